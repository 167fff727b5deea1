"""What the respondent's answers change: drafts, the chosen language per instrument, the submit.

Every function is keyword-only and never commits; the request commits once at
its boundary, so a submission, its scores and its alerts succeed or fail together.
The respondent's drafts and assessments are plain rows (`survey.rows`), written by
id with prebuilt statements in the request's transaction, not through the ORM.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from datetime import datetime

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select

from pro_service import db
from pro_service.instruments import skips
from pro_service.instruments.models import Instrument
from pro_service.instruments.responses import InvalidAnswers
from pro_service.instruments.scoring import score
from pro_service.pathways.follow_up import respect_answered_no
from pro_service.pathways.patient_facts import ScoringFacts, facts_for_pathway
from pro_service.pathways.models import (
    Alert,
    AlertKind,
    Assessment,
    AssessmentStatus,
    Invitation,
    Pathway,
    Response,
    Score,
)
from pro_service.reports.operations import queue_refresh, refresh_pathway
from pro_service.survey import queries
from pro_service.survey.plan import MissingProblem, missing_problems, scored_answers
from pro_service.survey.rows import DRAFT_COLUMNS, DraftRow, InvitationLike, assessment_row
from pro_service.types import new_id


class SubmitRefused(Exception):
    """More answers are missing than an instrument's prorating rule allows; nothing was stored."""

    def __init__(self, problems: Mapping[int, tuple[MissingProblem, ...]]) -> None:
        self.problems = dict(problems)
        super().__init__(f"too many missing answers in questionnaire(s) {sorted(self.problems)}")


@dataclass(frozen=True)
class SubmitOutcome:
    already_submitted: bool
    critical: bool


def save_answers(*, questionnaire: queries.Questionnaire, language: str, answers: Mapping[int, int | None],
                 now: datetime) -> None:
    """Merge one page's answers into the assessment's draft; the assessment becomes in progress.

    An item left empty keeps what was saved before. A submitted response is
    never changed. Raises ``InvalidAnswers`` for a position the item does not have.
    Skip rules: answers to items the merged answers make the instrument skip move
    to the draft's `set_aside` (kept, never scored), and come back when the answer
    that skipped them changes back — so the draft's answers always score.

    Every page a respondent saves comes here, so it writes with single statements, not the ORM's flush
    (benchmarks/README.md, respondent flow); `questionnaire` shows what was stored.
    """
    instrument = questionnaire.instrument
    _check(instrument, answers)
    sent = {str(number): value for number, value in answers.items() if value is not None}
    if questionnaire.draft is None and _insert_draft(questionnaire, language=language, now=now, answers=sent):
        _mark_in_progress(questionnaire)
        return
    draft = _locked_draft(questionnaire)
    if draft.submitted_at is not None:
        return
    asked, aside = _asked_and_set_aside(instrument, {**draft.set_aside, **draft.answers, **sent})
    db.execute(_UPDATE_DRAFT, {"draft_id": draft.id, "answers": asked, "set_aside": aside, "language": language,
                               "updated_at": now})
    questionnaire.draft = replace(draft, answers=asked, set_aside=aside, language=language)
    _mark_in_progress(questionnaire)


def choose_language(*, questionnaire: queries.Questionnaire, language: str, now: datetime) -> None:
    """Record which of the instrument's languages the respondent reads it in (asked when theirs is missing)."""
    if language not in questionnaire.instrument.languages:
        raise ValueError(f"{questionnaire.instrument.id} has no language {language!r}")
    draft = _draft(questionnaire, language=language, now=now)
    if draft.submitted_at is None and draft.language != language:
        db.execute(_SET_LANGUAGE, {"draft_id": draft.id, "language": language, "updated_at": now})
        questionnaire.draft = replace(draft, language=language)


def _insert_draft(questionnaire: queries.Questionnaire, *, language: str, now: datetime,
                  answers: Mapping[str, Any]) -> bool:
    """Insert the assessment's draft holding the first saved answers; False when another request already did
    (two tabs), whose draft the caller then merges into."""
    asked, aside = _asked_and_set_aside(questionnaire.instrument, answers)
    draft = DraftRow(id=new_id(), language=language, answers=asked, set_aside=aside, submitted_at=None)
    inserted = _INSERT_DRAFT.execute({
        "id": draft.id, "assessment_id": questionnaire.assessment.id, "language": language,
        "instrument_version": questionnaire.instrument.version, "answers": asked, "set_aside": aside,
        "started_at": now, "updated_at": now})
    if inserted.rowcount != 1:
        return False
    questionnaire.draft = draft
    return True


def _mark_in_progress(questionnaire: queries.Questionnaire) -> None:
    assessment = questionnaire.assessment
    if assessment.status not in {AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN}:
        return
    marked = db.execute(_MARK_IN_PROGRESS, {"assessment_id": assessment.id, "was": assessment.status})
    if marked.rowcount == 1:  # else a clinician changed it meanwhile (cancelled it), and that stands
        questionnaire.assessment = replace(assessment, status=AssessmentStatus.IN_PROGRESS)


# Built once, executed on the session's connection: building an ORM statement with its values on every save
# cost more than running it.
_RESPONSE = Response.__table__
_UPDATE_DRAFT = (update(_RESPONSE).where(_RESPONSE.c.id == bindparam("draft_id"))
                 .values(answers=bindparam("answers"), set_aside=bindparam("set_aside"),
                         language=bindparam("language"), updated_at=bindparam("updated_at")))
_SET_LANGUAGE = (update(_RESPONSE).where(_RESPONSE.c.id == bindparam("draft_id"))
                 .values(language=bindparam("language"), updated_at=bindparam("updated_at")))
_ASSESSMENT = Assessment.__table__
_MARK_IN_PROGRESS = (update(_ASSESSMENT)
                     .where(_ASSESSMENT.c.id == bindparam("assessment_id"), _ASSESSMENT.c.status == bindparam("was"))
                     .values(status=AssessmentStatus.IN_PROGRESS))
_INSERT_DRAFT = db.DialectInsert(_RESPONSE,
                                 lambda insert: insert.on_conflict_do_nothing(index_elements=["assessment_id"]))


def submit_invitation(*, invitation: InvitationLike, key: str, locale: str, now: datetime) -> SubmitOutcome:
    """Freeze, score and store every open assessment of the invitation at once, and raise alerts.

    Idempotent: when the invitation is already used (a double click, a resent
    form, a retry after a lost response) nothing changes and the first outcome
    is returned. The claim is a conditional UPDATE, so of two racing submits
    exactly one stores; unique constraints on scores and alerts guard the rest.
    Raises ``SubmitRefused`` when too many answers are missing.
    """
    if invitation.used_at is not None:
        return SubmitOutcome(already_submitted=True, critical=queries.has_critical_answer(invitation))
    survey = queries.survey_for(invitation, locale=locale, now=now)
    problems = {q.number: missing_problems(q.instrument, q.answers) for q in survey.questionnaires}
    problems = {number: found for number, found in problems.items() if found}
    if problems:
        raise SubmitRefused(problems)
    if not _claim(invitation, key=key, now=now):
        return SubmitOutcome(already_submitted=True, critical=queries.has_critical_answer(invitation))
    critical = False
    pathway_ids = {q.assessment.pathway_id for q in survey.questionnaires}
    # Scored with the patient's sex and age today, so stored caseness uses the cut-off the manual gives for them.
    patients = {pathway_id: facts_for_pathway(pathway_id, at=now) for pathway_id in pathway_ids}
    for questionnaire in survey.questionnaires:
        critical |= _store(questionnaire, patient=patients[questionnaire.assessment.pathway_id], locale=locale,
                           now=now)
    db.session().flush()
    for pathway_id in pathway_ids:
        respect_answered_no(pathway_id=pathway_id, at=now)
        queue_refresh(pathway_id, now=now)
    return SubmitOutcome(already_submitted=False, critical=critical)


def enter_paper_response(*, assessment: Assessment, instrument: Instrument, language: str,
                         answers: Mapping[int, int | None], by: str, now: datetime) -> SubmitOutcome:
    """Store a paper questionnaire a clinician types in for the respondent, marked `entered_by`.

    Scored and alerted exactly as a respondent's submit; a draft the respondent
    started online is replaced. Raises ``ValueError`` when the assessment is
    already answered or cancelled, ``InvalidAnswers`` for an impossible answer,
    ``SubmitRefused`` when too many answers are missing.
    """
    if assessment.status in {AssessmentStatus.COMPLETED, AssessmentStatus.CANCELLED}:
        raise ValueError(f"the assessment is {assessment.status} and cannot take a paper answer")
    if language not in instrument.languages:
        raise ValueError(f"{instrument.id} has no language {language!r}")
    _check(instrument, answers)
    stored = {str(number): value for number, value in answers.items() if value is not None}
    problems = missing_problems(instrument, stored)
    if problems:
        raise SubmitRefused({1: problems})
    questionnaire = queries.Questionnaire(number=1, assessment=assessment_row(assessment), instrument=instrument,
                                          draft=None, language=language)
    critical = _store(questionnaire, patient=facts_for_pathway(assessment.pathway_id, at=now), locale=language,
                      now=now, answers=stored, entered_by=by)
    db.session().flush()
    db.session().expire(assessment)  # completed with a single statement: read it again when next used
    respect_answered_no(pathway_id=assessment.pathway_id, at=now)
    refresh_pathway(assessment.pathway_id)
    return SubmitOutcome(already_submitted=False, critical=critical)


def _claim(invitation: InvitationLike, *, key: str, now: datetime) -> bool:
    claimed = db.execute(_CLAIM, {"invitation_id": invitation.id, "used_at": now, "submission_key": key})
    if claimed.rowcount != 1:
        return False
    if isinstance(invitation, Invitation):  # a loaded invitation (the demo's) learns it without a second UPDATE
        set_committed_value(invitation, "used_at", now)
        set_committed_value(invitation, "submission_key", key)
    return True


def _store(questionnaire: queries.Questionnaire, *, patient: ScoringFacts, locale: str, now: datetime,
           answers: Mapping[str, Any] | None = None, entered_by: str | None = None) -> bool:
    """Freeze one response and store its scores, judged with `patient`'s sex and age (the manual's cut-off for
    them); returns whether it raised an alert. `answers` replace the draft's (a paper questionnaire's).

    Written with single prebuilt statements (the respondent's submit runs this once per questionnaire); only the
    rare alert goes through the ORM.
    """
    session = db.session()
    instrument, assessment = questionnaire.instrument, questionnaire.assessment
    language = questionnaire.language or (questionnaire.draft.language if questionnaire.draft else None)
    response = _draft(questionnaire, language=language or _fallback_language(instrument, locale), now=now)
    language = language or response.language
    # A draft saved before its instrument had skip rules may hold answers to skipped items: set them aside too.
    given, set_aside = _asked_and_set_aside(
        instrument, {**response.set_aside, **(response.answers if answers is None else answers)})
    result = score(instrument, scored_answers(instrument, given), sex=patient.sex, age=patient.age)
    connection = session.connection()
    connection.execute(_FREEZE_RESPONSE, {
        "response_id": response.id, "answers": given, "set_aside": set_aside, "language": language,
        "instrument_version": instrument.version, "entered_by": entered_by, "submitted_at": now, "updated_at": now})
    questionnaire.draft = replace(response, answers=given, set_aside=set_aside, language=language, submitted_at=now)
    connection.execute(insert(Score.__table__), [
        {"id": new_id(), "response_id": response.id, "scale_id": scale_id,
         "value": float(scale.score) if scale.score is not None else None, "band": scale.band,
         "caseness": scale.caseness, "missing": scale.missing, "prorated": scale.prorated,
         "threshold": float(scale.threshold.value) if scale.threshold is not None else None}
        for scale_id, scale in result.scales.items()])
    if result.critical:  # the pathway is read only when there is an alert to raise for its unit
        pathway = session.get(Pathway, assessment.pathway_id)
        session.add_all(Alert(pathway_id=pathway.id, unit_id=pathway.unit_id, assessment_id=assessment.id,
                              item=answer.item,
                              kind=AlertKind.ANSWER if answer.answered else AlertKind.UNANSWERED,
                              value=float(answer.value) if answer.answered else None, created_at=now)
                        for answer in result.critical)
    connection.execute(_COMPLETE, {"assessment_id": assessment.id, "completed_at": now})
    questionnaire.assessment = replace(assessment, status=AssessmentStatus.COMPLETED)
    # Only a critical answer shows the respondent where to get help now; an unanswered item alerts the clinicians.
    return any(answer.answered for answer in result.critical)


_INVITATION = Invitation.__table__
_CLAIM = (update(_INVITATION).where(_INVITATION.c.id == bindparam("invitation_id"), _INVITATION.c.used_at.is_(None))
          .values(used_at=bindparam("used_at"), submission_key=bindparam("submission_key")))
_FREEZE_RESPONSE = (update(_RESPONSE).where(_RESPONSE.c.id == bindparam("response_id"))
                    .values(answers=bindparam("answers"), set_aside=bindparam("set_aside"),
                            language=bindparam("language"), instrument_version=bindparam("instrument_version"),
                            entered_by=bindparam("entered_by"), submitted_at=bindparam("submitted_at"),
                            updated_at=bindparam("updated_at")))
_COMPLETE = (update(_ASSESSMENT).where(_ASSESSMENT.c.id == bindparam("assessment_id"))
             .values(status=AssessmentStatus.COMPLETED, completed_at=bindparam("completed_at")))
_LOCKED_DRAFT = select(*DRAFT_COLUMNS).where(_RESPONSE.c.assessment_id == bindparam("assessment_id")).with_for_update()


def _draft(questionnaire: queries.Questionnaire, *, language: str, now: datetime) -> DraftRow:
    """The assessment's draft, inserted empty if it has none, else read again and locked until commit."""
    if questionnaire.draft is None and _insert_draft(questionnaire, language=language, now=now, answers={}):
        return questionnaire.draft
    return _locked_draft(questionnaire)


def _locked_draft(questionnaire: queries.Questionnaire) -> DraftRow:
    """The draft as stored now, locked until commit, so saves from two tabs merge, never overwrite.

    Without the lock both requests would merge into the answers they read before either wrote, and the later
    write would drop the earlier one's answer. (SQLite has no row locks; it lets one writer at a time.)
    """
    row = db.execute(_LOCKED_DRAFT, {"assessment_id": questionnaire.assessment.id}).one()
    questionnaire.draft = DraftRow(*row)
    return questionnaire.draft


def _asked_and_set_aside(instrument: Instrument, stored: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stored answers (string keys) split into those to items asked and those to items a skip rule leaves out."""
    asked, aside = skips.asked_and_set_aside(instrument, scored_answers(instrument, stored))
    unscored = {key: value for key, value in stored.items() if int(key) not in asked and int(key) not in aside}
    return ({**unscored, **{str(number): value for number, value in asked.items()}},
            {str(number): value for number, value in aside.items()})


def _fallback_language(instrument: Instrument, locale: str) -> str:
    return locale if locale in instrument.languages else next(iter(instrument.languages))


def _check(instrument: Instrument, answers: Mapping[int, int | None]) -> None:
    for number, value in answers.items():
        if value is None:
            continue
        item = instrument.item(number)
        response = instrument.response_scale(item)
        try:
            response.kind.points(response, value)
        except InvalidAnswers as exc:
            raise InvalidAnswers(f"item {number}: {exc}") from None
