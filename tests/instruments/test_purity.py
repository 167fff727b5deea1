"""The domain core imports neither Flask nor a database library, so it can be tested and reused alone."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pro_service.instruments

FORBIDDEN = ("flask", "werkzeug", "jinja2", "sqlalchemy", "sqlmodel", "alembic", "psycopg", "pydantic_settings")

# pro_service/__init__.py builds the Flask app, so the parent package is stubbed:
# what is measured is what the instrument modules themselves pull in.
PROBE = """
import json, pkgutil, sys, types
package = types.ModuleType("pro_service")
package.__path__ = [sys.argv[1]]
sys.modules["pro_service"] = package
import pro_service.instruments as core
for module in pkgutil.iter_modules(core.__path__):
    __import__(f"pro_service.instruments.{module.name}")
print(json.dumps(sorted(sys.modules)))
"""


def test_instruments_import_neither_flask_nor_a_database():
    package_dir = Path(pro_service.instruments.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(package_dir)], capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    assert "pro_service.instruments.scoring" in loaded
    assert [name for name in loaded if name.split(".")[0] in FORBIDDEN] == []
    outside = [name for name in loaded if name.startswith("pro_service.") and not name.startswith("pro_service.instruments")]
    assert outside == []
