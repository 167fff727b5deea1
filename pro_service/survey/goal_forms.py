"""The goals step's forms; each carries a CSRF token (Flask-WTF), like the other respondent forms."""
from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import Optional

from pro_service.goals.models import HIGHEST, LOWEST, MAX_GOALS
from pro_service.goals.operations import GoalError
from pro_service.survey.forms import RespondentForm

SCALE = tuple(str(point) for point in range(LOWEST, HIGHEST + 1))


class GoalsForm(RespondentForm):
    """Up to three goals in the respondent's own words; the text is checked by `goals.operations.clean_text`."""

    goal_1 = TextAreaField()
    goal_2 = TextAreaField()
    goal_3 = TextAreaField()
    nav = HiddenField()
    lang = HiddenField()


class RatingsForm(RespondentForm):
    """One optional 0–10 rating per goal; fields are added per respondent by `ratings_form`."""

    nav = HiddenField()
    lang = HiddenField()


def goal_field(number: int) -> str:
    return f"goal_{number}"


def rating_field(number: int) -> str:
    return f"rating_{number}"


def texts(form: GoalsForm) -> dict[int, str]:
    return {number: form[goal_field(number)].data or "" for number in range(1, MAX_GOALS + 1)}


def ratings_form(numbers: tuple[int, ...], **kwargs) -> RatingsForm:
    class Ratings(RatingsForm):
        pass

    for number in numbers:
        setattr(Ratings, rating_field(number),
                RadioField(choices=[SelectChoice(point, point) for point in SCALE], validators=[Optional()]))
    return Ratings(**kwargs)


def rating_errors(form: RatingsForm, numbers: tuple[int, ...]) -> dict[int, GoalError]:
    """A sent rating that is not 0–10 (a tampered form): refused with the goals' own message."""
    form.validate()
    return {number: GoalError("rating") for number in numbers if form[rating_field(number)].errors}


def ratings(form: RatingsForm, numbers: tuple[int, ...]) -> dict[int, int | None]:
    values = {number: form[rating_field(number)].data for number in numbers}
    return {number: int(value) if value in SCALE else None for number, value in values.items()}
