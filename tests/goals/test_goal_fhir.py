"""Own goals in the FHIR export: R4B Goal resources in the pathway Bundle and the NDJSON files."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.goal import Goal

import pro_service.interop
from goal_fixtures import MILESTONES, event, package, respondent
from pro_service.goals.operations import edit_goal_wording, rate_goal, save_goal

ARABIC = "أريد أن أنام جيداً"


def _goals(bundle: Bundle) -> list[Goal]:
    return [entry.resource for entry in bundle.entry if entry.resource.get_resource_type() == "Goal"]


def test_goals_are_valid_r4b_goal_resources_in_the_pathway_bundle(app, session, make_pathway, tmp_path):
    pathway = make_pathway(MILESTONES)
    me = respondent(session, pathway)
    goal = save_goal(pathway=pathway, package=package(), respondent=me, number=1, text=ARABIC)
    save_goal(pathway=pathway, package=package(), respondent=me, number=2, text="Gå på jobb")
    rate_goal(goal=goal, event=event(session, pathway, "clinical_decision"), package=package(), rating=1)
    rate_goal(goal=goal, event=event(session, pathway, "evaluation"), package=package(), rating=6)
    edit_goal_wording(goal=goal, text=ARABIC + " كل ليلة", by="lege@example.no", patient_present=True)
    session.commit()
    out = tmp_path / "pathway.json"

    result = app.test_cli_runner().invoke(args=["export", "fhir", "--pathway", pathway.id, "--out", str(out)])

    assert result.exit_code == 0, result.output
    goals = _goals(Bundle.model_validate_json(out.read_text(encoding="utf-8")))
    assert len(goals) == 2
    rated, unrated = goals
    Goal.model_validate_json(rated.model_dump_json())
    assert rated.description.text == ARABIC + " كل ليلة"
    assert rated.lifecycleStatus == "active" and rated.subject.reference == f"Patient/{pathway.patient_id}"
    assert rated.expressedBy.reference == f"Patient/{pathway.patient_id}"
    assert rated.achievementStatus.coding[0].code == "improving"  # 1 → 6: more than 2.45 points
    assert [n.text for n in rated.note] == ["GBO rating 1 of 10 at clinical decision",
                                            "GBO rating 6 of 10 at evaluation"]
    assert rated.target[0].detailInteger == 10 and rated.statusDate is not None
    assert unrated.achievementStatus is None and unrated.note is None


def test_a_parents_goal_is_expressed_by_a_related_person_and_written_to_ndjson(app, session, make_pathway, tmp_path):
    pathway = make_pathway(MILESTONES[:3], package="mh_children", parent={}, birth_date=date(2012, 3, 1))
    save_goal(pathway=pathway, package=package("mh_children"), respondent=respondent(session, pathway, "parent"),
              number=1, text="Færre krangler om morgenen")
    session.commit()

    result = app.test_cli_runner().invoke(args=["export", "fhir", "--since", "2020-01-01", "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    lines = (tmp_path / "Goal.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    goal = Goal.model_validate(json.loads(lines[0]))
    assert goal.expressedBy.reference == "#respondent" and goal.contained[0].get_resource_type() == "RelatedPerson"
    assert goal.description.text == "Færre krangler om morgenen"


def test_the_goal_mapping_imports_neither_flask_nor_a_database():
    probe = ("import json, sys, types\npackage = types.ModuleType('pro_service')\npackage.__path__ = [sys.argv[1]]\n"
             "sys.modules['pro_service'] = package\n__import__('pro_service.interop.goals')\n"
             "print(json.dumps(sorted(sys.modules)))")
    package_dir = Path(pro_service.interop.__file__).parent.parent
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe, str(package_dir)], capture_output=True,
                                       text=True, check=True).stdout)
    assert [n for n in loaded if n.split(".")[0] in ("flask", "sqlalchemy", "sqlmodel", "psycopg")] == []
