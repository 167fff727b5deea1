"""The package file's optional `goals: {set_at: …}`: shipped where goals are used, checked against the milestones."""
import pytest
import yaml

from pro_service import definitions
from pro_service.pathways.packages import PackageError, load_package


def test_shipped_packages_set_goals_at_the_clinical_decision(app):
    with app.app_context():
        packages = definitions.packages()
        assert {p.id: p.goals.set_at for p in packages.values() if p.goals} == {
            "mh_adults": "clinical_decision", "mh_children": "clinical_decision", "tsb": "clinical_decision"}
        assert packages["psychosis"].goals is None


def test_goals_at_an_unknown_milestone_are_refused(app, tmp_path):
    with app.app_context():
        catalog = definitions.catalog()
    source = yaml.safe_load(open_text("surveys/packages/psychosis.yaml"))
    source["goals"] = {"set_at": "clinical_decision"}
    source["milestones"] = [m for m in source["milestones"] if m["id"] != "clinical_decision"]
    source["plan"] = [e for e in source["plan"] if e["milestone"] != "clinical_decision"]
    path = tmp_path / "psychosis.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackageError, match="goals.set_at: the package has no milestone 'clinical_decision'"):
        load_package(path, catalog)


def open_text(relative: str) -> str:
    from pathlib import Path

    return (Path(__file__).parents[2] / relative).read_text(encoding="utf-8")
