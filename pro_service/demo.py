"""Demo data for `make run`: one unit, patients in several packages at different milestones.

The patients tell a coherent clinical story, in the order the package runs
(start, first consultation, clinical decision within its time limit,
evaluation), each answer dated after its milestone:
- DEMO-1 recovered: PHQ-9 19 at the start, 18 at the clinical decision (the
  baseline), 5 at the evaluation, and the other scales alike.
- DEMO-2 answered a critical item a few hours ago; the alerts queue has it and
  the evaluation the TSB package sets 7 days after the clinical decision is due.
- DEMO-3 (a child, with a parent) and DEMO-4 have only just started: their links are open.
- DEMO-5 ended 200 days ago, recovered, and answered the six-month follow-up: the change lasted. Her own
  goals, set at the clinical decision, were rated at the evaluation and the end, and she said at both
  whether the treatment helped and whether she felt ready to end.
Answers go through the survey operations, so the scores are the real ones.
DEMO-1 and DEMO-2 have GPs, so their letters can be previewed and finalized.
A demo clinician is created to log in with.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import select

from pro_service import db
from pro_service.auth.users import create_user, find_user, reset_password
from pro_service.goals.demo import add_demo_goals
from pro_service.instruments import skips
from pro_service.instruments.models import Instrument
from pro_service.instruments.scoring import score
from pro_service.letters.operations import set_general_practitioner
from pro_service.pathways.invitations import issue_invitations, reissue_invitation
from pro_service.pathways.models import Invitation, MilestoneEvent, Pathway, Unit
from pro_service.pathways.operations import (
    add_respondent,
    create_unit,
    register_milestone,
    register_patient,
    start_pathway,
)
from pro_service.pathways.packages import Packages
from pro_service.survey.operations import save_answers, submit_invitation
from pro_service.survey.queries import survey_for
from pro_service.types import new_id, utcnow

DEMO_UNIT_CODE = "DEMO-DPS"
DEMO_CLINICIAN = "klinikar@demo-dps.example"

# (external id, name, birth date, package, milestones after start as (id, days ago), parent's name)
PATIENTS = [
    ("DEMO-1", "Kari Nordmann", date(1988, 4, 12), "mh_adults",
     [("first_consultation", 130), ("clinical_decision", 100), ("evaluation", 2)], None),
    ("DEMO-2", "Ola Hansen", date(1975, 9, 3), "tsb",
     [("first_consultation", 20), ("clinical_decision", 1)], None),
    ("DEMO-3", "Emma Berg", date(2012, 2, 20), "mh_children", [], "Lise Berg"),
    ("DEMO-4", "Ahmed Ali", date(1995, 6, 30), "psychosis", [], None),
    ("DEMO-5", "Nora Lie", date(1979, 11, 2), "mh_adults",
     [("first_consultation", 320), ("clinical_decision", 300), ("evaluation", 240), ("end", 200)], None),
]
GPS = {
    "DEMO-1": {"name": "Dr. Per Hansen", "practice": "Storgata legekontor", "language": "nn",
               "address": "Storgata 1, 0155 Oslo"},
    "DEMO-2": {"name": "Dr. Anne Lund", "practice": "Lund legesenter", "language": "nb"},
}
# The responsible clinician with their title, who signs the GP letter.
RESPONSIBLE = {"DEMO-1": "Eva Berg, psykologspesialist", "DEMO-2": "Jonas Moe, overlege", "DEMO-5": "Eva Berg, psykologspesialist"}
GOALS = ("DEMO-5",)
"""Patients whose own goals (`goals.demo.DEMO_GOALS`) are rated over time."""
START_DAYS_AGO = {"DEMO-1": 150, "DEMO-2": 40, "DEMO-3": 2, "DEMO-4": 1, "DEMO-5": 330}

# (external id, milestone) -> the totals each instrument's answers add up to; "critical" answers PHQ-9 item 9;
# "instrument.scale" a scale other than the main one (the readiness question "ready to end?").
ANSWERS: dict[tuple[str, str], dict[str, int]] = {
    ("DEMO-1", "start"): {"phq9": 19, "gad7": 16, "core10": 24, "wsas": 28},
    ("DEMO-1", "clinical_decision"): {"phq9": 18, "gad7": 15, "core10": 22, "wsas": 26},
    ("DEMO-1", "evaluation"): {"phq9": 5, "gad7": 4, "core10": 7, "wsas": 8, "readiness": 3, "readiness.ready": 2},
    ("DEMO-2", "start"): {"phq9": 12, "audit": 21, "dudit": 14},
    ("DEMO-2", "clinical_decision"): {"phq9": 16, "audit": 19, "dudit": 12, "critical": 1},
    ("DEMO-5", "start"): {"phq9": 17, "gad7": 15, "core10": 22, "wsas": 24},
    ("DEMO-5", "clinical_decision"): {"phq9": 17, "gad7": 14, "core10": 21, "wsas": 22},
    ("DEMO-5", "evaluation"): {"phq9": 10, "gad7": 9, "core10": 14, "wsas": 14, "readiness": 2, "readiness.ready": 1},
    ("DEMO-5", "end"): {"phq9": 6, "gad7": 5, "core10": 8, "wsas": 9, "readiness": 3, "readiness.ready": 3},
}
# The first follow-up after the end (six months), answered: the change has lasted.
FOLLOW_UP_ANSWERS: dict[str, dict[str, int]] = {
    "DEMO-5": {"phq9": 7, "gad7": 5, "core10": 9},
}


@dataclass(frozen=True)
class DemoResult:
    created: bool
    links: tuple[tuple[str, str, str], ...]  # (respondent name, link, short code)
    clinician: tuple[str, str] | None = None  # (email, one-time password)


def create_demo(*, packages: Packages, base_url: str) -> DemoResult:
    """Idempotent: a second run finds the demo unit and only issues fresh links to its open invitations."""
    existing = db.session().exec(select(Unit).where(Unit.code == DEMO_UNIT_CODE)).first()
    if existing:
        return DemoResult(created=False, links=_fresh_links(existing, base_url), clinician=_clinician(existing))
    unit = create_unit(code=DEMO_UNIT_CODE, name="Demo DPS, allmennpoliklinikk", phone="22 00 00 00",
                       email="post@demo-dps.example")
    now = utcnow().replace(microsecond=0)
    links = []
    for external_id, name, birth_date, package_id, milestones, parent in PATIENTS:
        package = packages[package_id]
        patient, _ = register_patient(unit=unit, external_id=external_id, name=name, birth_date=birth_date,
                                      language="nb")
        if parent:
            add_respondent(patient=patient, role="parent", name=parent, language="nb")
        if external_id in GPS:
            set_general_practitioner(patient=patient, **GPS[external_id])
        pathway, registration = start_pathway(patient=patient, package=package, by="demo", base_url=base_url,
                                              started_at=now - timedelta(days=START_DAYS_AGO[external_id]),
                                              responsible_clinician=RESPONSIBLE.get(external_id))
        issued = _answered(registration, external_id, "start", pathway.started_at)
        for milestone_id, days_ago in milestones:
            occurred_at = now - timedelta(days=days_ago)
            registration = register_milestone(pathway=pathway, package=package, milestone_id=milestone_id,
                                              occurred_at=occurred_at, by="demo", base_url=base_url)
            issued = _answered(registration, external_id, milestone_id, occurred_at) or issued
        if external_id in GOALS:
            add_demo_goals(pathway=pathway, package=package)
        if external_id in FOLLOW_UP_ANSWERS:
            _answer_follow_up(pathway, FOLLOW_UP_ANSWERS[external_id], base_url=base_url, now=now)
        # Only links a person can still use: an expired one would greet them with "the link has expired".
        links += [(item.invitation.respondent.name, item.link, item.short_code)
                  for item in issued if item.invitation.expires_at > now]
    return DemoResult(created=True, links=tuple(links), clinician=_clinician(unit))


def _answered(registration, external_id: str, milestone_id: str, occurred_at: datetime) -> list:
    """Answer the milestone's invitations where `ANSWERS` says so; returns the ones left open."""
    totals = ANSWERS.get((external_id, milestone_id))
    if totals is None:
        return list(registration.invitations)
    # Answered after the milestone, as a patient would after being told of it: 20 hours later, or a few
    # hours ago when the milestone was yesterday.
    answered_at = min(occurred_at + timedelta(hours=20), utcnow().replace(microsecond=0) - timedelta(hours=3))
    for item in registration.invitations:
        answer_invitation(item.invitation, totals, now=answered_at)
    return []


def _answer_follow_up(pathway: Pathway, totals: Mapping[str, int], *, base_url: str, now: datetime) -> None:
    """Invite to and answer the follow-ups that have opened, two days after each (or a few hours ago)."""
    opened = db.session().exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == pathway.id,
                                                            MilestoneEvent.milestone_id == "follow_up",
                                                            MilestoneEvent.occurred_at <= now)).all()
    for event in opened:
        for item in issue_invitations(event=event, base_url=base_url):
            answer_invitation(item.invitation, totals,
                              now=min(event.occurred_at + timedelta(days=2), now - timedelta(hours=3)))


def answer_invitation(invitation: Invitation, totals: Mapping[str, int], *, now: datetime,
                      language: str = "nb") -> None:
    """Answer and submit every questionnaire of an invitation so each main scale adds up to `totals[id]`.

    Through the respondent's own operations (save, submit), so scores and alerts
    are exactly what a respondent would cause. `totals["critical"]` answers the
    critical items with that many points; otherwise they are answered 0.
    """
    survey = survey_for(invitation, locale=language, now=now)
    for questionnaire in survey.questionnaires:
        instrument = questionnaire.instrument
        others = {key.split(".", 1)[1]: value for key, value in totals.items() if key.startswith(f"{instrument.id}.")}
        answers = answers_for_total(instrument, totals.get(instrument.id, 0), critical=totals.get("critical", 0),
                                    others=others)
        save_answers(questionnaire=questionnaire, language=language, answers=answers, now=now)
    submit_invitation(invitation=invitation, key=new_id(), locale=language, now=now)


def answers_for_total(instrument: Instrument, total: int, *, critical: int = 0,
                      others: Mapping[str, int] | None = None) -> dict[int, int]:
    """Option positions whose main-scale score is as near `total` as the items allow (reversed items included),
    and each scale named in `others` as near its total.

    Items a skip rule leaves out (AUDIT after "Never") are not answered.
    """
    scale = instrument.default_scale

    def asked(answers: dict[int, int]) -> dict[int, int]:
        return skips.asked_and_set_aside(instrument, answers)[0]

    def scored(answers: dict[int, int], scale_id: str = scale.id) -> float:
        value = score(instrument, asked(answers)).scales[scale_id].score
        return float(value) if value is not None else 0.0

    def positions(number: int) -> range:
        return range(len(instrument.response_scale(instrument.item(number)).options or ()))

    answers: dict[int, int] = {}
    for item in instrument.items:  # every item at the position that adds least
        answers[item.number] = min(positions(item.number), key=lambda p: scored({**_zeros(instrument), item.number: p}))
    for item in instrument.items:
        if item.critical is not None:
            options = instrument.response_scale(item).options or ()
            answers[item.number] = next((p for p, o in enumerate(options) if o.points >= critical), 0) \
                if critical else min(positions(item.number), key=lambda p: options[p].points)
    for item in instrument.items:
        if item.critical is not None or item.number not in scale.items:
            continue
        answers[item.number] = min(positions(item.number),
                                   key=lambda p: (abs(total - scored({**answers, item.number: p})) if
                                                  scored({**answers, item.number: p}) <= total else 1000, -p))
    for scale_id, wanted in (others or {}).items():
        for number in instrument.scale(scale_id).items:
            answers[number] = min(positions(number),
                                  key=lambda p: abs(wanted - scored({**answers, number: p}, scale_id)))
    return asked(answers)


def _zeros(instrument: Instrument) -> dict[int, int]:
    return {item.number: 0 for item in instrument.items}


def _clinician(unit: Unit) -> tuple[str, str]:
    return demo_user(unit, email=DEMO_CLINICIAN, name="Demo Klinikar", role="clinician")


def demo_user(unit: Unit, *, email: str, name: str, role: str) -> tuple[str, str]:
    """A demo user, made with the auth operations; a re-run gives them a fresh one-time password."""
    user = find_user(email=email)
    if user is None:
        _user, password = create_user(email=email, name=name, unit=unit, role=role, language="nb")
        return email, password
    return email, reset_password(user=user)


def _fresh_links(unit: Unit, base_url: str) -> tuple[tuple[str, str, str], ...]:
    # Tokens are stored only as hashes, so a re-run cannot print the old links: it adds new ones.
    now = utcnow()
    invitations = db.session().exec(
        select(Invitation).join(MilestoneEvent).join(Pathway)
        .where(Pathway.unit_id == unit.id, Invitation.used_at.is_(None), Invitation.expires_at > now)
    ).all()
    issued = [reissue_invitation(invitation=invitation, base_url=base_url) for invitation in invitations]
    return tuple((item.invitation.respondent.name, item.link, item.short_code) for item in issued)
