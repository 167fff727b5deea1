"""Plain data for the goals step's templates and for the welcome and review pages' goals section.

Goal text reaches a template only from `pathway_goals` (one audited read per page shown) or from what the
respondent has just typed (a refused page shown again).
"""
from __future__ import annotations

from typing import Any

from flask import url_for

from pro_service.goals.models import HIGHEST, LOWEST, MAX_GOALS, MAX_TEXT
from pro_service.goals.operations import GoalError
from pro_service.goals.queries import GoalView, pathway_goals
from pro_service.i18n import _l
from pro_service.survey import respondent
from pro_service.survey.goal_forms import goal_field, rating_field
from pro_service.survey.goal_steps import SET, GoalStep, goal_step, progress
from pro_service.survey.queries import Survey

NOTHING_WRITTEN = _l("Write at least one goal, or choose “Skip this step” below.")
"""The write page sent on with every box empty: whoever does not want goals is shown the way past them."""


def _last_page_url(survey: Survey) -> str:
    if not survey.questionnaires:
        return url_for("survey.welcome")
    last = survey.questionnaires[-1]
    return url_for("survey.page", number=last.number, page=last.page_count)


def before_review(survey: Survey, url: str, invitation_id: str) -> str:
    """Where the last questionnaire page leads: the goals step while it is open, else `url` (the review)."""
    if url != url_for("survey.review"):
        return url
    step = goal_step(survey)
    if step is None or respondent.goals_skipped(invitation_id) or progress(step).done(step.task):
        return url
    return url_for("survey.goals") if step.task == SET else url_for("survey.goal_ratings")


def after_writing(survey: Survey, *, back: bool, have_goals: bool) -> str:
    if back:
        return _last_page_url(survey)
    return url_for("survey.goal_ratings") if have_goals else url_for("survey.review")


def after_rating(step: GoalStep, survey: Survey, *, back: bool) -> str:
    if not back:
        return url_for("survey.review")
    return url_for("survey.goals") if step.task == SET else _last_page_url(survey)


def _rating_at(goal: GoalView, event_id: str) -> int | None:
    return next((point.rating for point in goal.ratings if point.milestone_event_id == event_id), None)


def saved_texts(goals: tuple[GoalView, ...]) -> dict[str, str]:
    return {goal_field(goal.number): goal.text for goal in goals}


def saved_ratings(goals: tuple[GoalView, ...], step: GoalStep) -> dict[str, str]:
    return {rating_field(goal.number): str(rating) for goal in goals
            if (rating := _rating_at(goal, step.event.id)) is not None}


def _errors(messages: dict[int, str], anchor: str) -> list[dict[str, str]]:
    return [{"href": f"#{anchor}-{number}", "text": message} for number, message in sorted(messages.items())]


def _written_message(refused: GoalError) -> str:
    # The page saves only boxes with text, so "empty" can only mean that nothing at all was written.
    return str(NOTHING_WRITTEN) if refused.code == "empty" else refused.message


def write_page(survey: Survey, *, have_goals: bool, errors: dict[int, GoalError] | None = None) -> dict[str, Any]:
    messages = {number: _written_message(refused) for number, refused in (errors or {}).items()}
    return {"unit": survey.unit, "answers_form": "goals", "max_text": MAX_TEXT, "have_goals": have_goals,
            "boxes": [{"number": n, "field": goal_field(n), "error": messages.get(n)} for n in range(1, MAX_GOALS + 1)],
            "errors": _errors(messages, "goal")}


def rate_page(survey: Survey, step: GoalStep, goals: tuple[GoalView, ...],
              errors: dict[int, GoalError] | None = None) -> dict[str, Any]:
    errors = errors or {}
    return {"unit": survey.unit, "answers_form": "ratings", "setting": step.task == SET,
            "scale": [str(point) for point in range(LOWEST, HIGHEST + 1)],
            "goals": [{"number": goal.number, "text": goal.text, "field": rating_field(goal.number),
                       "error": errors[goal.number].message if goal.number in errors else None} for goal in goals],
            "errors": _errors({number: refused.message for number, refused in errors.items()}, "rating")}


def welcome_goals(survey: Survey) -> dict[str, Any] | None:
    """The welcome page's goals step: what it asks and where it is; no goal text, so no read to audit."""
    step = goal_step(survey)
    if step is None:
        return None
    return {"task": step.task, "url": url_for("survey.goals") if step.task == SET else url_for("survey.goal_ratings")}


def review_goals(survey: Survey) -> dict[str, Any] | None:
    """The review page's goals section: the goals with this milestone's ratings, or that the step was skipped."""
    step = goal_step(survey)
    if step is None:
        return None
    goals = pathway_goals(pathway=step.pathway, respondent=step.respondent)
    rated = [{"number": goal.number, "text": goal.text, "rating": _rating_at(goal, step.event.id)} for goal in goals]
    return {"task": step.task, "goals": rated, "any_rated": any(goal["rating"] is not None for goal in rated),
            "skipped": respondent.goals_skipped(survey.invitation_id) and not any(
                goal["rating"] is not None for goal in rated) and (step.task != SET or not goals),
            "write_url": url_for("survey.goals"), "rate_url": url_for("survey.goal_ratings")}
