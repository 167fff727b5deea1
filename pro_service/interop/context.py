"""Where codes and references point: the canonical base, the patient identifier system, local code systems.

One frozen value built from the settings, passed to every pure builder, so a
site can change a system (e.g. to the national identity number's OID when the
EPR sends that as the external id) without touching code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
FHIR_MIMETYPE = "application/fhir+json"


@dataclass(frozen=True)
class FhirContext:
    """The addresses the resources carry; `canonical_base` is where this service serves its FHIR resources."""

    canonical_base: str
    patient_system: str = "urn:pro-service:patient"
    code_system_base: str = "urn:pro-service"

    def questionnaire_url(self, instrument_id: str) -> str:
        return f"{self.canonical_base}/Questionnaire/{instrument_id}"

    def system(self, *parts: str) -> str:
        """A local code system: `urn:pro-service:scale`, or `https://…/CodeSystem/scale` for a URL base."""
        separator = ":" if self.code_system_base.startswith("urn:") else "/"
        return separator.join((self.code_system_base.rstrip("/:"), *parts))

    @property
    def scale_system(self) -> str:
        return self.system("scale")

    @property
    def band_system(self) -> str:
        return self.system("band")

    def answer_system(self, instrument_id: str, response_scale: str) -> str:
        return self.system("answer", instrument_id, response_scale)


def context_for(settings: Any) -> FhirContext:
    """The context of this installation: resources are served under `BASE_URL/api/v1/fhir`."""
    return FhirContext(canonical_base=f"{settings.base_url.rstrip('/')}/api/v1/fhir",
                       patient_system=settings.fhir_patient_identifier_system,
                       code_system_base=settings.fhir_code_system_base)


def scale_code(instrument_id: str, scale_id: str) -> str:
    """The local code of a score, e.g. `phq9.total`: ids are lower case letters, digits and `_`, so `.` is free."""
    return f"{instrument_id}.{scale_id}"
