"""The FHIR mapping is pure: it imports neither Flask nor a database library (only `queries`, `export`'s
callers and `commands` touch the app), so it can be tested and reused alone."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pro_service.interop

FORBIDDEN = ("flask", "werkzeug", "jinja2", "sqlalchemy", "sqlmodel", "alembic", "psycopg", "pydantic_settings")
PURE = ("context", "questionnaires", "records", "resources", "bundles", "outcomes", "search", "export")

# pro_service/__init__.py builds the Flask app, so the parent package is stubbed.
PROBE = """
import json, sys, types
package = types.ModuleType("pro_service")
package.__path__ = [sys.argv[1]]
sys.modules["pro_service"] = package
for name in sys.argv[2:]:
    __import__(f"pro_service.interop.{name}")
print(json.dumps(sorted(sys.modules)))
"""


def test_the_mapping_imports_neither_flask_nor_a_database():
    package_dir = Path(pro_service.interop.__file__).parent.parent
    result = subprocess.run([sys.executable, "-c", PROBE, str(package_dir), *PURE], capture_output=True, text=True,
                            check=True)
    loaded = json.loads(result.stdout)

    assert "fhir.resources.R4B.questionnaire" in loaded
    assert [name for name in loaded if name.split(".")[0] in FORBIDDEN] == []
    assert {name.split(".")[1] for name in loaded if name.startswith("pro_service.")} <= {"interop", "instruments"}
