"""The respondent's pages. Views parse and render; `operations` and `queries` do the work."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from pro_service import rate_limits
from pro_service.extensions import limiter
from pro_service.i18n import LOCALES, _, get_locale
from pro_service.pathways.invitations import InvitationState, invitation_state
from pro_service.survey import bidi, context, goal_context, respondent
from pro_service.survey.forms import (
    ChoiceForm,
    CodeForm,
    LanguageForm,
    SubmitForm,
    item_field,
    one_answer,
    page_answers,
    page_form,
)
from pro_service.survey.guard import (
    STATUS,
    SUBMITTED,
    SessionProblem,
    current_invitation,
    once_more_on_conflict,
    problem_page,
)
from pro_service.survey.operations import SubmitRefused, choose_language, save_answers, submit_invitation
from pro_service.survey.plan import skipped
from pro_service.survey.queries import invitation_by_id, invitation_by_secret, survey_for
from pro_service.types import utcnow

bp = Blueprint("survey", __name__)
bp.add_app_template_global(bidi.in_language, "in_language")
json_bp = Blueprint("json", __name__)
"""The pages' JavaScript helpers, nested in `bp` (same headers), answering JSON even when they fail."""
RESPONDENT_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.after_request
def _respondent_headers(response):
    response.headers.update(RESPONDENT_HEADERS)
    return response


@bp.context_processor
def _menu():
    return {"locales": LOCALES}


bp.register_error_handler(SessionProblem, problem_page)


def _problem(status: int, message: str):
    return jsonify(error=message), status


@json_bp.errorhandler(SessionProblem)
def _json_session_problem(problem: SessionProblem):
    return _problem({SUBMITTED: 409, **STATUS}[problem.kind], f"no open questionnaire in this session ({problem.kind})")


@json_bp.errorhandler(HTTPException)  # a missing CSRF token, an unknown page, the rate limit
def _json_http_error(error: HTTPException):
    return _problem(error.code or 500, error.description or error.name)


def _locale() -> str:
    return str(get_locale())


@bp.get("/")
def home():
    """Someone who types only the address is most likely a respondent with a short code; staff use /login."""
    return redirect(url_for("survey.enter_code"))


@bp.get("/i/<token>")
@limiter.limit(rate_limits.configured("SURVEY_LINK_RATE_LIMIT", "30 per minute"), key_func=rate_limits.by_address,
               exempt_when=rate_limits.respondent_limits_off)
def open_link(token: str):
    invitation, language = invitation_by_secret(token=token) or (None, None)
    state = invitation_state(invitation, now=utcnow())
    if state is not InvitationState.VALID:
        raise SessionProblem(state, invitation)
    respondent.start(invitation, language=language, tablet=request.args.get("tablet") == "1")
    return redirect(url_for("survey.welcome"), 303)


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit(rate_limits.configured("SURVEY_CODE_RATE_LIMIT", "10 per minute"), key_func=rate_limits.by_address,
               methods=["POST"], exempt_when=rate_limits.respondent_limits_off)
@limiter.limit(rate_limits.configured("SURVEY_CODE_TARGET_RATE_LIMIT", "5 per minute"),
               key_func=rate_limits.by_typed_code, methods=["POST"], exempt_when=rate_limits.respondent_limits_off)
def enter_code():
    form = CodeForm()
    wrong = False
    if form.validate_on_submit():
        invitation, language = invitation_by_secret(code=form.code.data) or (None, None)
        # Unknown, expired and answered read the same here: a code is short enough to guess at.
        if invitation_state(invitation, now=utcnow()) is InvitationState.VALID:
            respondent.start(invitation, language=language, tablet=True)
            return redirect(url_for("survey.welcome"), 303)
        wrong = True
    respondent.forget_finished()
    return render_template("survey/code.html", form=form, wrong=wrong,
                           unit=context.tablet_unit(respondent.tablet_unit_id())), 200


@bp.post("/survey/language")
def change_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        # An unknown language code (or a stale token) says so, instead of silently leaving the page as it was.
        return render_template("error.html", error_title=_("That language could not be chosen"),
                               error_text=_("Go back and choose one of the languages in the menu.")), 400
    respondent.set_locale(form.lang.data)
    return redirect(context.safe_next(form.next.data), 303)


@bp.get("/survey")
def welcome():
    invitation = current_invitation()
    survey = survey_for(invitation, locale=_locale(), now=utcnow(), live=respondent.live_pages())
    return render_template("survey/welcome.html", **context.welcome(survey))


@bp.route("/survey/q/<int:number>/language", methods=["GET", "POST"])
def instrument_language(number: int):
    survey = survey_for(current_invitation(), locale=_locale(), now=utcnow(), live=respondent.live_pages())
    questionnaire = context.questionnaire(survey, number)
    form = ChoiceForm()
    form.language.choices = context.language_choices(questionnaire.instrument)
    if form.validate_on_submit():
        choose_language(questionnaire=questionnaire, language=form.language.data, now=utcnow())
        return redirect(url_for("survey.page", number=number, page=1), 303)
    if not form.is_submitted():
        form.language.data = context.likely_language(questionnaire.instrument)
    return render_template("survey/language_choice.html", form=form,
                           **context.language_choice(survey, questionnaire))


@bp.route("/survey/q/<int:number>/<int:page>", methods=["GET", "POST"])
@limiter.limit(rate_limits.configured("SURVEY_PAGE_RATE_LIMIT", "60 per minute"), key_func=rate_limits.by_invitation,
               methods=["POST"], exempt_when=rate_limits.respondent_limits_off)
def page(number: int, page: int):
    invitation = current_invitation()
    survey = survey_for(invitation, locale=_locale(), now=utcnow(), live=respondent.live_pages())
    questionnaire = context.questionnaire(survey, number)
    if questionnaire.language is None:
        return redirect(url_for("survey.instrument_language", number=number), 303)
    if 1 < page > questionnaire.page_count:  # a skip rule took the page away (an answer changed in another tab)
        return redirect(url_for("survey.page", number=number, page=questionnaire.page_count), 303)
    items = context.page_items(questionnaire, page)
    form = page_form(questionnaire.instrument, items, questionnaire.language, data=context.saved(questionnaire))
    if form.validate_on_submit():
        save_answers(questionnaire=questionnaire, language=questionnaire.language,
                     answers=page_answers(form, items), now=utcnow())
        if form.lang.data in LOCALES:
            respondent.set_locale(form.lang.data)
            return redirect(url_for("survey.page", number=number, page=page), 303)
        following = context.next_url(survey, number, page, back=form.nav.data == "back")
        return redirect(goal_context.before_review(survey, following, invitation.id), 303)
    check = request.args.get("check") == "1"
    # A sent answer that is no option (a tampered form) is shown as an error; nothing saved earlier is touched.
    invalid = context.invalid_items(form, items) if form.is_submitted() else frozenset()
    return render_template("survey/page.html", form=form,
                           **context.page(survey, questionnaire, page, check=check, invalid=invalid)), \
        422 if invalid else 200


@json_bp.post("/survey/q/<int:number>/<int:page>/autosave")
@limiter.limit(rate_limits.configured("SURVEY_AUTOSAVE_RATE_LIMIT", "120 per minute"),
               key_func=rate_limits.by_invitation,
               exempt_when=rate_limits.respondent_limits_off)
def autosave(number: int, page: int):
    """One answer, saved into the draft as it is chosen (JavaScript); checked and saved as the page's form is."""
    survey = survey_for(current_invitation(), locale=_locale(), now=utcnow(), live=respondent.live_pages())
    questionnaire = context.questionnaire(survey, number)
    if questionnaire.language is None:
        return _problem(409, "the questionnaire's language is not chosen yet")
    if questionnaire.draft is not None and questionnaire.draft.submitted_at is not None:
        return _problem(409, "this questionnaire is already answered")
    items = context.page_items(questionnaire, page)
    sent = one_answer(request)
    if sent is None:
        return _problem(400, 'send one answer: {"item": <number>, "answer": <position>} or item_<number>=<position>')
    item, value = sent
    if item not in {i.number for i in items}:
        return _problem(400, f"item {item} is not on this page")
    if item in skipped(questionnaire.instrument, questionnaire.answers):
        return _problem(409, f"item {item} is not asked because of an earlier answer (a skip rule)")
    form = page_form(questionnaire.instrument, items, questionnaire.language,
                     formdata=MultiDict({item_field(item): value}))
    answer = page_answers(form, items)[item] if form.validate() else None
    if answer is None:
        errors = form.errors.get(item_field(item)) or ["no answer"]
        return _problem(400, f"item {item}: {' '.join(map(str, errors))}")
    save_answers(questionnaire=questionnaire, language=questionnaire.language, answers={item: answer}, now=utcnow())
    return "", 204


bp.register_blueprint(json_bp)


@bp.get("/survey/review")
def review():
    invitation = current_invitation()
    survey = survey_for(invitation, locale=_locale(), now=utcnow(), live=respondent.live_pages())
    form = SubmitForm(key=respondent.new_submission_key(invitation))
    return render_template("survey/review.html", form=form, **context.review(survey))


@bp.post("/survey/submit")
@limiter.limit(rate_limits.configured("SURVEY_SUBMIT_RATE_LIMIT", "10 per minute"), key_func=rate_limits.by_invitation,
               exempt_when=rate_limits.respondent_limits_off)
def submit():
    invitation = current_invitation(allow_used=True)
    form = SubmitForm()
    key = respondent.read_submission_key(form.key.data or "", invitation) if form.validate_on_submit() else None
    if key is None:
        abort(400)
    if not form.asked.data and invitation.used_at is None:
        survey = survey_for(invitation, locale=_locale(), now=utcnow(), live=respondent.live_pages())
        if context.open_critical_items(survey):  # asked once, kindly; the next submit goes through
            form = SubmitForm(formdata=None, key=respondent.new_submission_key(invitation), asked="1")
            return render_template("survey/review.html", form=form, **context.review(survey, ask_critical=True))
    try:
        outcome = once_more_on_conflict(lambda: submit_invitation(
            invitation=invitation_by_id(invitation.id), key=key, locale=_locale(), now=utcnow()))
    except SubmitRefused as refused:
        survey = survey_for(invitation, locale=_locale(), now=utcnow(), live=respondent.live_pages())
        form = SubmitForm(formdata=None, key=respondent.new_submission_key(invitation))
        return render_template("survey/review.html", form=form, **context.review(survey, refused.problems)), 422
    if respondent.is_tablet():
        respondent.end_on_tablet(unit_id=context.unit_id(invitation), critical=outcome.critical)
    return redirect(url_for("survey.done"), 303)


@bp.get("/survey/done")
def done():
    outcome = context.outcome(respondent.finished_on_tablet(), current_invitation(allow_used=True, or_none=True))
    if outcome is None:
        return redirect(url_for("survey.welcome"), 303)
    if outcome["critical"]:
        return render_template("survey/critical.html", **outcome)
    return redirect(url_for("survey.thanks"), 303)


@bp.get("/survey/thanks")
def thanks():
    finished = respondent.finished_on_tablet()
    invitation = None if finished else current_invitation(allow_used=True)
    return render_template("survey/thanks.html", **context.thanks(finished, invitation, locale=_locale()))


from pro_service.survey import goal_views as _goal_views  # noqa: E402,F401  (registers the goals step on bp)
