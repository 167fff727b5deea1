"""Standard data out: HL7 FHIR R4 (R4B models of `fhir.resources`) for EPRs and Helsenorge.

The mapping modules (`context`, `questionnaires`, `resources`, `bundles`,
`outcomes`) are pure: they take frozen instruments and plain records and return
validated `fhir.resources` models, so they import neither Flask nor the
database. `queries` reads the records, `export` writes files, `commands` is the
CLI; the API routes are in `pro_service/api/fhir.py`.
"""
