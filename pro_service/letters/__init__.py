"""GP letters: context (plain data) → HTML template → WeasyPrint → PDF/A."""
