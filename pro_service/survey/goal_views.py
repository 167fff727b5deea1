"""The goals step of the respondent's pages (issue 17): write up to three goals, rate them 0–10, or skip.

Registered on the survey blueprint (imported at the end of survey/views.py), so the pages share its
headers, language menu and session problems; the session holds the invitation, the URLs hold nothing.
"""
from __future__ import annotations

from flask import redirect, render_template, url_for

from pro_service import rate_limits
from pro_service.extensions import limiter
from pro_service.goals.queries import pathway_goals
from pro_service.i18n import LOCALES, get_locale
from pro_service.survey import goal_context, goal_forms, goal_steps, respondent
from pro_service.survey.goal_steps import RATE, GoalStep
from pro_service.survey.guard import current_invitation
from pro_service.survey.queries import Survey, survey_for
from pro_service.survey.views import bp
from pro_service.types import utcnow

_page_limit = limiter.limit(rate_limits.configured("SURVEY_PAGE_RATE_LIMIT", "60 per minute"),
                            key_func=rate_limits.by_invitation, methods=["POST"],
                            exempt_when=rate_limits.respondent_limits_off)


def _step() -> tuple[Survey, GoalStep | None]:
    survey = survey_for(current_invitation(), locale=str(get_locale()), now=utcnow(), live=respondent.live_pages())
    return survey, goal_steps.goal_step(survey)


def _leave(form, *, here: str, going: str):
    """After a saved page: the same page (`here`) in the language chosen from the menu, else where it was `going`."""
    if form.lang.data in LOCALES:
        respondent.set_locale(form.lang.data)
        return redirect(url_for(here), 303)
    return redirect(going, 303)


@bp.route("/survey/goals", methods=["GET", "POST"])
@_page_limit
def goals():
    survey, step = _step()
    if step is None:
        return redirect(url_for("survey.welcome"), 303)
    if step.task == RATE:
        return redirect(url_for("survey.goal_ratings"), 303)
    form = goal_forms.GoalsForm()
    if form.is_submitted():
        if form.nav.data == "skip":
            respondent.skip_goals(survey.invitation_id)
            return redirect(url_for("survey.review"), 303)
        errors = goal_steps.save_written(step, goal_forms.texts(form), need_one=form.nav.data == "next")
        have_goals = goal_steps.progress(step).goals > 0
        if not errors:
            return _leave(form, here="survey.goals", going=goal_context.after_writing(
                survey, back=form.nav.data == "back", have_goals=have_goals))
        # Shown again with what was typed; the unit of work is rolled back (422), so nothing changed.
        return render_template("survey/goals.html", form=form,
                               **goal_context.write_page(survey, have_goals=have_goals, errors=errors)), 422
    saved = pathway_goals(pathway=step.pathway, respondent=step.respondent)
    form = goal_forms.GoalsForm(data=goal_context.saved_texts(saved))
    return render_template("survey/goals.html", form=form, **goal_context.write_page(survey, have_goals=bool(saved)))


@bp.route("/survey/goals/rating", methods=["GET", "POST"])
@_page_limit
def goal_ratings():
    survey, step = _step()
    if step is None:
        return redirect(url_for("survey.welcome"), 303)
    numbers = goal_steps.goal_numbers(step)
    if not numbers:
        return redirect(url_for("survey.goals" if step.task != RATE else "survey.review"), 303)
    form = goal_forms.ratings_form(numbers)
    if form.is_submitted():
        if form.nav.data == "skip":
            respondent.skip_goals(survey.invitation_id)
            return redirect(url_for("survey.review"), 303)
        errors = goal_forms.rating_errors(form, numbers)
        if not errors:
            goal_steps.save_ratings(step, goal_forms.ratings(form, numbers))
            return _leave(form, here="survey.goal_ratings",
                          going=goal_context.after_rating(step, survey, back=form.nav.data == "back"))
        shown = pathway_goals(pathway=step.pathway, respondent=step.respondent)
        return render_template("survey/goals_rate.html", form=form,
                               **goal_context.rate_page(survey, step, shown, errors)), 422
    shown = pathway_goals(pathway=step.pathway, respondent=step.respondent)
    form = goal_forms.ratings_form(numbers, data=goal_context.saved_ratings(shown, step))
    return render_template("survey/goals_rate.html", form=form, **goal_context.rate_page(survey, step, shown))
