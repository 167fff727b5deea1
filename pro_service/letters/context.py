"""Everything a GP letter says, as frozen plain data built by one function.

The template receives only this: no ORM object, so rendering can never touch
the database, and a test can check what the letter says without a PDF.
Texts are chosen inside `force_locale(gp.language)`, whatever the clinician reads.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app
from sqlalchemy import case, func
from sqlmodel import col, select

from pro_service import db, definitions
from pro_service.charts import ChartBand, ChartPoint, Geometry, trajectory_chart
from pro_service.i18n import _, force_locale
from pro_service.instruments.change import change, reliable_change_criterion
from pro_service.instruments.models import Instrument
from pro_service.letters import wording
from pro_service.letters.models import GeneralPractitioner
from pro_service.pathways.models import (
    Alert, Assessment, MilestoneEvent, Pathway, Patient, Respondent, Response, Score, Unit,
)
from pro_service.pathways.screen_results import screen_rows
from pro_service.reports import definitions as outcome
from pro_service.types import utcnow



CHART_STYLE = (
    ".chart-axis{stroke:#000;stroke-width:1}.chart-line{fill:none;stroke:#000;stroke-width:2}"
    ".chart-mark{fill:#000}.chart-tick,.chart-value,.chart-band-label,.chart-cutoff-label,.chart-reliable-label"
    "{font-family:'DejaVu Sans';font-size:10px;fill:#000}.chart-value{font-weight:bold}"
    ".chart-band-label,.chart-reliable-label{font-size:9px}"
)
LETTER_CHART = Geometry(width=440, height=220, pad_start=30, pad_end=100, pad_top=12, pad_bottom=24,
                        label_advance=5.0)  # band names at 9px
"""The chart beside the figures (75 mm wide): band names to the right, no milestone names above."""
"""The shared chart carries classes, not style; WeasyPrint styles an SVG only from its own <style>, which
`trajectory_chart` writes as an element of its tree."""


class LetterError(ValueError):
    """No letter can be written for this milestone event; the message says why."""


@dataclass(frozen=True)
class Person:
    name: str
    birth_date: date | None = None


@dataclass(frozen=True)
class GPPart:
    name: str
    practice: str
    address: str | None
    her_id: str | None


@dataclass(frozen=True)
class UnitPart:
    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class ScorePoint:
    value: float
    band: str | None
    on: date


@dataclass(frozen=True)
class Result:
    """One instrument's main scale for one respondent: baseline, latest (or final), and what the change means.

    The baseline and the latest or final score are picked by `reports.definitions`, as in the
    clinic and the outcome report; earlier scores are only history, in the chart.
    """

    short: str
    """The questionnaire's abbreviation (PHQ-9), or its title when it has none."""
    instrument: str
    scale: str
    respondent: str
    baseline: ScorePoint | None
    """None while there is no score at or after the package's baseline milestone."""
    latest: ScorePoint | None
    """The latest score after the baseline up to the letter's milestone; the final one in an end letter.
    Without a baseline: the latest score so far (history, no change)."""
    category: str | None
    """recovered, improved, unchanged, deteriorated; None without a baseline and a later score, or no basis."""
    category_text: str
    basis: str
    chart_svg: str


@dataclass(frozen=True)
class AlertPart:
    instrument: str
    item: int
    question: str
    answer: str
    on: date


@dataclass(frozen=True)
class ScreenPart:
    """A screen beside the scores (e.g. WHO-5's depression screen) from the latest answers, in plain words."""

    instrument: str
    respondent: str
    screen: str
    positive: bool | None
    result: str
    on: date


@dataclass(frozen=True)
class LetterContext:
    language: str
    patient: Person
    gp: GPPart
    unit: UnitPart
    clinician: str | None
    package: str
    milestone: str
    milestone_id: str
    milestone_date: date
    baseline_text: str
    """What the change is measured from, in plain words: the package's baseline milestone and its date."""
    final: bool
    """An end letter: the change is to the final score, not the latest."""
    results: tuple[Result, ...]
    alerts: tuple[AlertPart, ...]
    note: str
    written_on: date
    pathway_id: str
    patient_id: str
    unit_id: str
    screens: tuple[ScreenPart, ...] = ()
    summary: tuple[str, ...] = ()
    """One sentence per questionnaire that answers "did the patient get better?", e.g. "PHQ-9 18 → 7: …"."""
    patient_view: str | None = None
    """The patient's own view of the treatment (readiness.yaml), in one line; None when not answered."""


def letter_context(*, milestone_event_id: str, note: str) -> LetterContext:
    """Read the milestone event, its pathway and scores (three queries, whatever the history) into a context."""
    session = db.session()
    row = session.exec(
        select(MilestoneEvent, Pathway, Patient, Unit, GeneralPractitioner, _baseline_at())
        .join(Pathway, col(Pathway.id) == MilestoneEvent.pathway_id)
        .join(Patient, col(Patient.id) == Pathway.patient_id)
        .join(Unit, col(Unit.id) == Pathway.unit_id)
        .outerjoin(GeneralPractitioner, col(GeneralPractitioner.patient_id) == Patient.id)
        .where(MilestoneEvent.id == milestone_event_id)
    ).first()
    if row is None:
        raise LetterError(f"no milestone event {milestone_event_id!r}")
    event, pathway, patient, unit, gp, baseline_at = row
    if gp is None:
        raise LetterError("the patient has no GP registered")
    scores = session.exec(
        select(Score, Response, Assessment, Respondent, MilestoneEvent.milestone_id, MilestoneEvent.occurred_at)
        .join(Response, col(Response.id) == Score.response_id)
        .join(Assessment, col(Assessment.id) == Response.assessment_id)
        .join(MilestoneEvent, col(MilestoneEvent.id) == Assessment.milestone_event_id)
        .join(Respondent, col(Respondent.id) == Assessment.respondent_id)
        .where(Assessment.pathway_id == pathway.id, col(Response.submitted_at).is_not(None),
               MilestoneEvent.occurred_at <= event.occurred_at)
        .order_by(col(MilestoneEvent.occurred_at), col(Response.submitted_at), col(Score.id))
    ).all()
    alerts = session.exec(
        select(Alert, Assessment)
        .join(Assessment, col(Assessment.id) == Alert.assessment_id)
        .where(Alert.pathway_id == pathway.id, col(Alert.acknowledged_at).is_(None))
        .order_by(col(Alert.created_at))
    ).all()

    if baseline_at is not None and baseline_at > event.occurred_at:
        baseline_at = None  # registered after this letter's milestone: not yet, as far as the letter goes
    final = event.milestone_id == "end"
    language = gp.language
    zone = ZoneInfo(current_app.config["SETTINGS"].timezone)
    package = definitions.packages()[pathway.package_id]
    with force_locale(language):
        order: dict[str, int] = {}
        for index, entry in enumerate(package.plan):
            order.setdefault(entry.instrument, index)
        scores = sorted(scores, key=lambda row: order.get(row[2].instrument_id, len(order)))  # the plan's order
        results = _results(scores, language, zone, baseline_at=baseline_at, final=final)
        return LetterContext(
            language=language,
            patient=Person(name=patient.name, birth_date=patient.birth_date),
            gp=GPPart(name=gp.name, practice=gp.practice, address=gp.address, her_id=gp.her_id),
            unit=UnitPart(name=unit.name, phone=unit.phone, email=unit.email),
            clinician=pathway.responsible_clinician,
            package=wording.pick(package.name, language),
            milestone=wording.pick(package.milestone(event.milestone_id).name, language),
            milestone_id=event.milestone_id,
            milestone_date=wording.local_date(event.occurred_at, zone),
            baseline_text=_baseline_text(package, baseline_at, final=final, language=language, zone=zone,
                                         at_baseline=baseline_at == event.occurred_at),
            final=final,
            results=results,
            alerts=tuple(_alert(alert, assessment, language, zone) for alert, assessment in alerts),
            note=note.strip(),
            written_on=wording.local_date(utcnow(), zone),
            pathway_id=pathway.id,
            patient_id=patient.id,
            unit_id=unit.id,
            screens=_screens(scores, language, zone),
            summary=tuple(line for line in (wording.summary_line(r) for r in results) if line),
            patient_view=wording.patient_view(scores, language, zone),
        )


def _baseline_at():
    """The first registration of the pathway's package's baseline milestone (`outcome.baseline`), as a column."""
    packages = definitions.packages().values()
    baseline = case(*[(Pathway.package_id == p.id, p.outcome.baseline) for p in packages], else_=None)
    first = MilestoneEvent.__table__.alias("baseline_event")
    return (select(func.min(first.c.occurred_at)).where(first.c.pathway_id == Pathway.id,
                                                         first.c.milestone_id == baseline)
            .correlate(Pathway).scalar_subquery().label("baseline_at"))


def _baseline_text(package, baseline_at: datetime | None, *, final: bool, language: str, zone: ZoneInfo,
                   at_baseline: bool = False) -> str:
    """What change is measured from, in the GP's words; `at_baseline`: this letter is at the baseline milestone."""
    milestone = wording.pick(package.milestone(package.outcome.baseline).name, language)
    if baseline_at is None:
        return _("Change is measured from the first score at or after “%(milestone)s”, which has not been "
                 "registered yet; so far the scores show no change.", milestone=milestone)
    on = format_date(wording.local_date(baseline_at, zone), "long", locale=language)
    if at_baseline:
        return _("These are the baseline scores: later letters measure change from the first score at or after "
                 "“%(milestone)s” on %(date)s.", milestone=milestone, date=on)
    if final:
        return _("Change is measured since “%(milestone)s” on %(date)s: from the first score at or after it "
                 "(the baseline) to the final score, at the end of the pathway or else at the last evaluation.",
                 milestone=milestone, date=on)
    return _("Change is measured since “%(milestone)s” on %(date)s: from the first score at or after it "
             "(the baseline) to the latest score up to this letter.", milestone=milestone, date=on)


def _results(rows, language: str, zone: ZoneInfo, *, baseline_at: datetime | None, final: bool) -> tuple[Result, ...]:
    """Per instrument and respondent, the main scale's baseline and latest (or final) score, in milestone order."""
    catalog = definitions.catalog()
    series: dict[tuple[str, str], list[tuple[ScorePoint, outcome.ScorePoint]]] = defaultdict(list)
    respondents: dict[tuple[str, str], Respondent] = {}
    for score, response, assessment, respondent, milestone_id, occurred_at in rows:
        instrument = catalog.get(assessment.instrument_id)
        if instrument is None or score.scale_id != instrument.default_scale.id or score.value is None:
            continue
        if not instrument.outcome_measure:
            continue  # the patient's view (readiness): one line of its own, not a score with a change
        scale = instrument.default_scale
        band = scale.band_for(score.value)
        key = (instrument.id, respondent.id)
        respondents[key] = respondent
        shown = ScorePoint(value=score.value, band=wording.pick(band.label, language) if band else None,
                           on=wording.local_date(response.submitted_at, zone))
        point = outcome.ScorePoint(occurred_at=occurred_at, milestone=milestone_id, value=score.value,
                                   caseness=score.caseness, respondent=respondent.id, order=len(series[key]))
        series[key].append((shown, point))
    return tuple(
        _result(catalog[instrument_id], points, respondents[(instrument_id, rid)], language,
                baseline_at=baseline_at, final=final)
        for (instrument_id, rid), points in series.items()
    )


def _result(instrument: Instrument, series: list[tuple[ScorePoint, outcome.ScorePoint]], respondent: Respondent,
            language: str, *, baseline_at: datetime | None, final: bool) -> Result:
    scale = instrument.default_scale
    points = [shown for shown, _p in series]
    found = [p for _s, p in series]
    first = outcome.baseline_of(found, baseline_at=baseline_at)
    last = (outcome.final_of if final else outcome.latest_of)(found, baseline=first)
    baseline = points[first.order] if first is not None else None
    latest = points[last.order] if last is not None else (points[-1] if first is None else None)
    category = None
    if baseline is None:
        category_text = _("No baseline yet, so no change is shown.")
    elif latest is None:
        category_text = (_("No final score after the baseline, so no change is shown.") if final
                         else _("Only the baseline so far; change is shown from the next score."))
    else:
        category = change(instrument, scale.id, baseline.value, latest.value,
                          cases=(first.caseness, last.caseness)).category
        category_text = wording.category_text(category)
    low, high = instrument.scale_range(scale)
    title = f"{wording.pick(instrument.title, language)} – {_respondent(respondent.role)}"
    labels = [format_date(p.on, "short", locale=language) for p in points]
    criterion = reliable_change_criterion(scale)
    chart = trajectory_chart(
        [ChartPoint(label=label, value=p.value) for label, p in zip(labels, points, strict=True)],
        low=float(low), high=float(high), title=title,
        summary="; ".join(f"{label}: {format_decimal(p.value, locale=language)}" for label, p in zip(labels, points, strict=True)),
        chart_id=f"chart-{instrument.id}-{respondent.id}", stylesheet=CHART_STYLE, geometry=LETTER_CHART,
        bands=[ChartBand(low=float(b.min), label=wording.pick(b.label, language)) for b in scale.bands],
        cut_off=float(scale.caseness.cut_off) if scale.caseness else None, cut_off_label=_("cut-off"),
        reliable_change=(baseline.value, criterion) if baseline is not None and criterion else None,
        reliable_change_label=_("no reliable change"),
    )
    return Result(
        short=wording.short_name(wording.pick(instrument.title, language)),
        instrument=wording.pick(instrument.title, language), scale=wording.pick(scale.name, language),
        respondent=_respondent(respondent.role), baseline=baseline, latest=latest, category=category,
        category_text=category_text, basis=wording.basis(scale, language), chart_svg=chart,
    )


def _screens(rows, language: str, zone: ZoneInfo) -> tuple[ScreenPart, ...]:
    """The screens of the latest answers per questionnaire and respondent, from the score rows already read."""
    responses = {response.id: (response, assessment, respondent) for _s, response, assessment, respondent, *_r in rows}
    return tuple(ScreenPart(instrument=row.instrument, respondent=_respondent(row.respondent_role), screen=row.screen,
                            positive=row.positive, result=row.result, on=row.on)
                 for row in screen_rows(responses.values(), language=language, zone=zone))


def _respondent(role: str) -> str:
    return {
        "self": _("the patient"),
        "parent": _("parent"),
        "other_relative": _("other relative"),
        "teacher": _("teacher"),
    }[role]


def _alert(alert: Alert, assessment: Assessment, language: str, zone: ZoneInfo) -> AlertPart:
    instrument = definitions.catalog()[assessment.instrument_id]
    item = instrument.item(alert.item)
    options = instrument.response_scale(item).options or ()
    if alert.value is None:  # a critical item left unanswered: the risk was not ruled out
        answer = _("not answered")
    else:
        answer = next((wording.pick(o.label, language) for o in options if o.points == alert.value),
                      format_decimal(alert.value, locale=language))
    return AlertPart(instrument=wording.pick(instrument.title, language), item=alert.item,
                     question=wording.pick(item.text, language), answer=answer,
                     on=wording.local_date(alert.created_at, zone))
