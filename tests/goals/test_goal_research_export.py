"""Research export: goals are left out unless --with-goals, and then only ratings per goal number, never wording."""
from __future__ import annotations

import csv

from pro_service.auth.users import create_user
from pro_service.goals.operations import rate_goal, save_goal
from pro_service.interop.research import pseudonym

from goal_fixtures import MILESTONES, event, package, respondent

KEY = "k" * 64
WORDING = "Klare å gå på Rema 1000 på Grünerløkka alene"


def _setup(session, make_unit, make_pathway, tmp_path):
    unit = make_unit()
    create_user(email="leader@example.no", name="Leder", unit=unit, role="unit_leader")
    pathway = make_pathway(MILESTONES, unit=unit)
    goal = save_goal(pathway=pathway, package=package(), respondent=respondent(session, pathway), number=2,
                     text=WORDING)
    rate_goal(goal=goal, event=event(session, pathway, "clinical_decision"), package=package(), rating=2)
    rate_goal(goal=goal, event=event(session, pathway, "evaluation"), package=package(), rating=7)
    session.commit()
    key = tmp_path / "research.key"
    key.write_text(KEY + "\n", encoding="utf-8")
    return pathway, key


def _run(app, out, key, *extra):
    return app.test_cli_runner().invoke(args=["export", "research", "--from", "2026-01-01", "--to", "2026-12-31",
                                              "--out", str(out), "--key-file", str(key), "--by",
                                              "leader@example.no", *extra])


def _every_file(directory) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in sorted(directory.iterdir()))


def test_goals_are_not_exported_without_the_flag(app, session, make_unit, make_pathway, tmp_path):
    _pathway, key = _setup(session, make_unit, make_pathway, tmp_path)
    result = _run(app, tmp_path / "out", key)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "research-goals.csv").exists()
    assert "Rema" not in _every_file(tmp_path / "out")


def test_with_goals_exports_ratings_per_goal_number_and_never_the_wording(app, session, make_unit, make_pathway,
                                                                          tmp_path):
    pathway, key = _setup(session, make_unit, make_pathway, tmp_path)
    result = _run(app, tmp_path / "out", key, "--with-goals")
    assert result.exit_code == 0, result.output
    assert "Wrote 2 goal rating(s)" in result.output
    with (tmp_path / "out" / "research-goals.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["goal_number"], r["respondent_role"], r["milestone"], r["days_since_start"], r["rating"])
            for r in rows] == [("2", "self", "clinical_decision", "20", "2"), ("2", "self", "evaluation", "80", "7")]
    assert {r["pseudonym"] for r in rows} == {pseudonym(pathway.patient_id, KEY.encode())}
    assert "rated_on" not in rows[0]
    everything = _every_file(tmp_path / "out")
    assert "Rema" not in everything and "Grünerløkka" not in everything and pathway.patient_id not in everything


def test_with_goals_and_dates_adds_the_day_of_the_rating(app, session, make_unit, make_pathway, tmp_path):
    _pathway, key = _setup(session, make_unit, make_pathway, tmp_path)
    result = _run(app, tmp_path / "out", key, "--with-goals", "--with-dates")
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "research-goals.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["rated_on"] for r in rows] == ["2026-01-25", "2026-03-26"]
