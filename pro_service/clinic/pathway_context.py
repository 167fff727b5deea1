"""Plain data for the pathway and evaluation templates: timeline, assessments, trajectories with charts."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import format_date, format_datetime
from markupsafe import Markup

from pro_service.instruments.change import reliable_change_criterion
from pro_service import charts, definitions
from pro_service.clinic import texts
from pro_service.clinic.context import alerts, instrument_title, locale, milestone_name, package_name
from pro_service.clinic.pathway_queries import Evaluation, PathwayPage
from pro_service.clinic.trajectories import Comparison, Trajectory, TrajectoryPoint, charted_scales
from pro_service.i18n import _
from pro_service.pathways.models import AssessmentStatus
from pro_service.pathways.packages import Package
from pro_service.pathways.queries import TimeLimitStatus
from pro_service.reports.definitions import ScorePoint, baseline_of

CANCELLABLE = {AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN, AssessmentStatus.IN_PROGRESS,
               AssessmentStatus.EXPIRED}


def event_label(package_id: str, milestone_id: str, occurred_at) -> str:
    return f"{milestone_name(package_id, milestone_id)} – {format_date(occurred_at, 'medium')}"


def pathway(page: PathwayPage, package: Package) -> dict[str, Any]:
    detail, patient = page.detail, page.patient
    names = {r.id: r for r in patient.respondents}
    events = {m.id: m for m in detail.milestones}
    codes = {c.id: c for c in package.process_codes}
    baseline_at = baseline_moment(page, detail.package)
    return {
        "id": detail.id,
        "patient": patient.name,
        "birth_date": format_date(patient.birth_date, "medium") if patient.birth_date else "–",
        "package": package_name(detail.package),
        "unit": detail.unit,
        "started": format_date(detail.started_at, "medium"),
        "ended": format_date(detail.ended_at, "medium") if detail.ended_at else None,
        "timeline": _timeline(page, package),
        "assessment_groups": [{
            "label": event_label(detail.package, event.milestone, event.occurred_at),
            "rows": [_assessment(a, names, page) for a in detail.assessments if a.milestone_event == event.id],
        } for event in reversed(detail.milestones)],
        "invitations": [{
            "id": invitation.id,
            "respondent": f"{names[invitation.respondent].name} ({texts.respondent(names[invitation.respondent].role)})"
            if invitation.respondent in names else "–",
            "milestone": event_label(detail.package, events[invitation.milestone_event].milestone,
                                     events[invitation.milestone_event].occurred_at),
            "expires": format_date(invitation.expires_at, "medium"),
            "used": format_datetime(invitation.used_at, "short") if invitation.used_at else None,
            "reminders": invitation.reminders_sent,
            "open": invitation.used_at is None,
        } for invitation in detail.invitations],
        "respondents": [{"name": r.name, "role": texts.respondent(r.role), "contact": r.email or r.phone or "–",
                         "edit_url": url_for("clinic.contact", pathway_id=detail.id, respondent_id=r.id)}
                        for r in patient.respondents],
        "trajectories": [trajectory(t, package_id=detail.package, index=i, baseline_at=baseline_at)
                         for i, t in enumerate(page.trajectories)],
        "alerts": alerts(page.alerts),
        "has_evaluation": any(m.milestone == "evaluation" for m in detail.milestones),
        "left_out": [{
            "milestone": event_label(detail.package, x.milestone, events[x.milestone_event].occurred_at),
            "instrument": f"{instrument_title(x.instrument)} ({texts.respondent(x.respondent_role)})",
            "why": _left_out_reason(x),
        } for x in detail.left_out],
        "process_codes": [{
            "name": texts.pick(codes[c.id].name, locale()),
            "code": c.code,
            "milestone": event_label(detail.package, c.milestone, c.occurred_at),
            "recorded": c.recorded,
            "basis": ", ".join(instrument_title(i) for i in c.answered) if c.recorded
            else (_("no answered questionnaire that counts") if codes[c.id].instruments
                  else _("no questionnaire of this service counts for this code")),
        } for c in detail.process_codes],
    }


def _left_out_reason(x) -> str:
    """Why a questionnaire of the plan was not sent, with the ages it is meant for."""
    if x.age_max is None:
        ages = _("%(min)s years or older", min=x.age_min)
    elif x.age_min is None:
        ages = _("up to %(max)s years", max=x.age_max)
    else:
        ages = _("%(min)s–%(max)s years", min=x.age_min, max=x.age_max)
    if x.reason == "age_unknown":
        return _("No date of birth is recorded; this questionnaire is for %(ages)s.", ages=ages)
    return _("The patient's age is outside its range (%(ages)s).", ages=ages)


def _timeline(page: PathwayPage, package: Package) -> list[dict[str, Any]]:
    limits: dict[str, Any] = {}
    for limit in page.detail.time_limits:  # an interval, once started, is its milestone's next deadline
        if limit.milestone not in limits or limit.status != TimeLimitStatus.NOT_STARTED:
            limits[limit.milestone] = limit
    rows = []
    for milestone in package.milestones:
        limit = limits.get(milestone.id)
        dates = [format_date(m.occurred_at, "medium") for m in page.detail.milestones if m.milestone == milestone.id]
        limit_text = None
        if limit is not None and limit.status != TimeLimitStatus.NOT_STARTED:
            limit_text = _("%(status)s – deadline %(date)s (%(days)s days from %(from)s)",
                           status=texts.limit_status(limit.status), date=format_date(limit.deadline, "medium"),
                           days=limit.days, **{"from": milestone_name(package.id, limit.from_milestone)})
        elif limit is not None:
            limit_text = _("%(days)s days from %(from)s", days=limit.days,
                           **{"from": milestone_name(package.id, limit.from_milestone)})
        rows.append({"name": texts.pick(milestone.name, locale()), "dates": dates, "limit": limit_text,
                     "status": limit.status.value if limit is not None else None, "repeats": milestone.repeats})
    return rows


def _assessment(a, respondents, page: PathwayPage) -> dict[str, Any]:
    instrument = definitions.catalog().get(a.instrument)
    score_text = "–"
    if instrument is not None and a.scores and not instrument.outcome_measure:
        # The patient's view (readiness) and the follow-up question: their answers in words, never a score.
        score_text = "; ".join(texts.band(instrument.scale(s.scale), s.band, locale()) for s in a.scores
                               if s.value is not None) or "–"
    elif instrument is not None and a.scores:
        scale = instrument.default_scale
        main = next((s for s in a.scores if s.scale == scale.id), None)
        if main is not None and main.value is not None:
            score_text = f"{texts.number(main.value)} ({texts.band(scale, main.band, locale())})"
    answer = page.answers.get(a.id)
    respondent = respondents.get(a.respondent)
    status = AssessmentStatus(a.status)
    return {
        "id": a.id,
        "instrument": instrument_title(a.instrument),
        "description": texts.pick(instrument.description, locale()) if instrument and instrument.description else None,
        "respondent": f"{respondent.name} ({texts.respondent(a.respondent_role)})" if respondent else "–",
        "status": texts.assessment_status(status),
        "due": format_date(a.due_at, "medium"),
        "score": score_text,
        "response_url": url_for("clinic.response", response_id=answer.response_id) if answer else None,
        "entered_by_clinician": bool(answer and answer.entered_by),
        "can_cancel": status in CANCELLABLE,
        "can_enter_paper": status in CANCELLABLE,
    }


def trajectory(t: Trajectory, *, package_id: str, index: int, baseline_at: datetime | None,
               until: datetime | None = None, compared_from: TrajectoryPoint | None = None) -> dict[str, Any]:
    """The chart and its table; `until`: only the points up to that moment (the milestone an evaluation compares to).

    The no-reliable-change band surrounds the package's baseline score, or `compared_from`'s where an evaluation
    compares from another point, so the band and the change beside it are measured from the same score. The
    chart is None when no point is left.
    """
    if until is not None:
        t = replace(t, points=tuple(p for p in t.points if p.occurred_at <= until))
    instrument = definitions.catalog()[t.instrument_id]
    scale = instrument.scale(t.scale_id)
    language = locale()
    named = f" – {texts.pick(scale.name, language)}" if len(charted_scales(instrument)) > 1 else ""
    title = (f"{texts.pick(instrument.title, language)}{named} – {texts.respondent(t.respondent_role)}"
             f" ({t.respondent_name})")
    rows = [_point_row(p, scale, package_id) for p in t.points]
    low, high = instrument.scale_range(scale)
    summary = "; ".join(f"{r['date']} ({r['milestone']}): {r['score_text']}" for r in rows)
    svg = charts.trajectory_chart(
        [charts.ChartPoint(label=r["date_short"], value=p.value, href=r["url"],
                           link_text=_("%(when)s: %(score)s – open the answers", when=r["date"], score=r["score_text"]))
         for r, p in zip(rows, t.points, strict=True)],
        low=float(low), high=float(high), title=title, summary=summary, chart_id=f"trajectory-{index}",
        bands=[charts.ChartBand(low=float(b.min), label=texts.pick(b.label, language)) for b in scale.bands],
        cut_off=float(scale.caseness.cut_off) if scale.caseness else None, cut_off_label=_("cut-off"),
        marks=[charts.ChartMark(index=i, label=r["milestone"]) for i, r in enumerate(rows)],
        missing_label=_("missing"),
        reliable_change=_reliable_band(t, scale, baseline_at, compared_from),
        reliable_change_label=_("no reliable change"),
    ) if t.points else None
    direction = (_("Higher scores mean more difficulties.") if scale.direction == "higher_is_worse"
                 else _("Higher scores mean better health."))
    return {"id": f"trajectory-{index}", "title": title, "scale": texts.pick(scale.name, language),
            "direction": direction,
            "chart": Markup(svg) if svg else None,  # noqa: S704 - charts escape every text they are given
            "rows": rows}


def _reliable_band(t: Trajectory, scale, baseline_at: datetime | None,
                   compared_from: TrajectoryPoint | None) -> tuple[float, float] | None:
    """(baseline score, reliable-change threshold), the baseline picked as the letter and the report pick it,
    unless the evaluation compares from another point."""
    criterion = reliable_change_criterion(scale)
    if criterion is None:
        return None
    if compared_from is not None and compared_from.value is not None:
        return float(compared_from.value), float(criterion)
    baseline = baseline_of([ScorePoint(occurred_at=p.occurred_at, milestone=p.milestone, value=p.value, order=i)
                            for i, p in enumerate(t.points) if p.value is not None], baseline_at=baseline_at)
    return (float(baseline.value), float(criterion)) if baseline is not None else None


def baseline_moment(page: PathwayPage, package_id: str) -> datetime | None:
    """When the package's baseline milestone was first registered (None: not yet)."""
    baseline = definitions.packages()[package_id].outcome.baseline
    return next((m.occurred_at for m in page.detail.milestones if m.milestone == baseline), None)


def _point_row(point: TrajectoryPoint, scale, package_id: str) -> dict[str, Any]:
    band = texts.band(scale, point.band, locale()) if point.value is not None else None
    score_text = f"{texts.number(point.value)} ({band})" if point.value is not None else _("missing")
    return {
        "milestone": milestone_name(package_id, point.milestone),
        "date": format_date(point.occurred_at, "medium"),
        "date_short": format_date(point.occurred_at, "short"),
        "score": texts.number(point.value) if point.value is not None else None,
        "band": band,
        "score_text": score_text,
        "prorated": point.prorated,
        "entered_by_clinician": bool(point.answer and point.answer.entered_by),
        "url": url_for("clinic.response", response_id=point.answer.response_id) if point.answer else None,
    }


def evaluation(ev: Evaluation) -> dict[str, Any]:
    detail = ev.page.detail
    groups: dict[str, list[Comparison]] = {}
    for comparison in ev.comparisons:
        groups.setdefault(comparison.trajectory.instrument_id, []).append(comparison)
    return {
        "id": detail.id,
        "patient": ev.page.patient.name,
        "package": package_name(detail.package),
        "events": [(m.id, event_label(detail.package, m.milestone, m.occurred_at)) for m in detail.milestones],
        "from_id": ev.from_event.id if ev.from_event else None,
        "to_id": ev.to_event.id,
        "from_label": event_label(detail.package, ev.from_event.milestone, ev.from_event.occurred_at)
        if ev.from_event else None,
        "to_label": event_label(detail.package, ev.to_event.milestone, ev.to_event.occurred_at),
        "baseline_milestone": milestone_name(detail.package, ev.baseline_milestone),
        "instruments": _with_charts([_instrument_group(instrument_id, comparisons, detail.package)
                                     for instrument_id, comparisons in groups.items()], groups, detail.package,
                                    baseline_moment(ev.page, detail.package), until=ev.to_event.occurred_at),
    }


def _with_charts(groups: list[dict[str, Any]], comparisons: dict[str, list[Comparison]],
                 package_id: str, baseline_at: datetime | None, *, until: datetime) -> list[dict[str, Any]]:
    """One glance per instrument (issue 13): each respondent's column gets the trajectory chart of the pathway page,
    up to `until` (the compared milestone), as the comparison and the goal charts beside it stop there."""
    index = 0
    for group, found in zip(groups, comparisons.values(), strict=True):
        ordered = sorted(found, key=lambda c: (c.trajectory.respondent_role != "self", c.trajectory.respondent_role))
        for column, comparison in zip(group["columns"], ordered, strict=True):
            index += 1
            column["chart"] = trajectory(comparison.trajectory, package_id=package_id, index=index,
                                         baseline_at=baseline_at, until=until,
                                         compared_from=comparison.before)["chart"]
            column["before_score"] = _short_score(comparison.before)
            column["after_score"] = _short_score(comparison.after)
    return groups


def _short_score(point: TrajectoryPoint | None) -> str:
    return texts.number(point.value) if point is not None and point.value is not None else "–"


def _instrument_group(instrument_id: str, comparisons: list[Comparison], package_id: str) -> dict[str, Any]:
    instrument = definitions.catalog()[instrument_id]
    scale = instrument.default_scale
    language = locale()
    columns = []
    for c in sorted(comparisons, key=lambda c: (c.trajectory.respondent_role != "self", c.trajectory.respondent_role)):
        points = [p for p in (c.before, c.after) if p is not None]
        languages = {p.answer.language for p in points if p.answer}
        columns.append({
            "respondent": f"{texts.respondent(c.trajectory.respondent_role)} ({c.trajectory.respondent_name})",
            "before": _score_cell(c.before, scale, package_id),
            "after": _score_cell(c.after, scale, package_id),
            "delta": _signed(c.change.delta) if c.change else "–",
            "category": (c.change.category or "none") if c.change else "none",
            "category_text": texts.category(c.change.category) if c.change else (
                _("Only the baseline so far") if c.before else _("No baseline yet")),
            "basis": texts.basis(instrument, scale, prorated=any(p.prorated for p in points), languages=languages),
        })
    return {"title": texts.pick(instrument.title, language), "scale": texts.pick(scale.name, language),
            "direction": (_("Higher scores mean more difficulties.") if scale.direction == "higher_is_worse"
                          else _("Higher scores mean better health.")),
            "columns": columns}


def _score_cell(point: TrajectoryPoint | None, scale, package_id: str) -> str:
    if point is None:
        return "–"
    return _("%(score)s (%(band)s), %(milestone)s %(date)s", score=texts.number(point.value),
             band=texts.band(scale, point.band, locale()), milestone=milestone_name(package_id, point.milestone),
             date=format_date(point.occurred_at, "medium"))


def _signed(value) -> str:
    text = texts.number(abs(float(value)))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")

