"""The quality page's filter: a GET form (it changes nothing, so no CSRF token), read into a ReportRequest."""
from __future__ import annotations

from datetime import date, timedelta

from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import AnyOf, Optional, ValidationError

from pro_service.i18n import _l
from pro_service.plain_text import PlainTextForm

from .model import ReportRequest, quarters

CUSTOM = "custom"
QUARTERS_OFFERED = 8
LONGEST_DAYS = 366 * 5
"""A custom period may span at most five years: longer asks the database for more than a page needs."""


def complete_quarters(today: date, count: int = QUARTERS_OFFERED) -> list[tuple[str, date, date]]:
    """The last `count` calendar quarters that have ended by `today`, newest first."""
    this_quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last_day = this_quarter_start - timedelta(days=1)
    first_day = date(last_day.year - 2, last_day.month, 1)
    return list(reversed(quarters(first_day, last_day)))[:count]


class QualityForm(PlainTextForm):
    """What the reader asks for; choices are filled per request from their units and the packages."""

    class Meta:
        csrf = False  # a GET that only reads: nothing for a forged request to change

    period = SelectField(_l("Period"), validate_choice=False)
    # Our own parse message, translated with the rest, not WTForms' wording.
    start = DateField(_l("From (custom period)"), validators=[Optional()],
                      invalid_value_message=_l("Enter the date as YYYY-MM-DD."))
    end = DateField(_l("To (custom period)"), validators=[Optional()],
                    invalid_value_message=_l("Enter the date as YYYY-MM-DD."))
    package = SelectField(_l("Package"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False)
    role = SelectField(_l("Respondent"), validate_choice=False)

    def fill(self, *, today: date, packages: list[tuple[str, str]], units: list[tuple[str, str]],
             roles: list[tuple[str, str]]) -> None:
        """Choices and their AnyOf checks (a tampered value gets a plain message, not WTForms' generic one)."""
        self.offered = complete_quarters(today)
        self.period.choices = [SelectChoice(label, label) for label, _first, _last in self.offered] + [
            SelectChoice(CUSTOM, _l("Custom period (from and to below)"))]
        self.package.choices = [SelectChoice("", _l("All packages"))] + [SelectChoice(*p) for p in packages]
        self.unit.choices = [SelectChoice("", _l("All my units"))] + [SelectChoice(*u) for u in units]
        self.role.choices = [SelectChoice("", _l("All respondents"))] + [SelectChoice(*r) for r in roles]
        for field, message in ((self.period, _l("Choose a quarter or a custom period.")),
                               (self.package, _l("Choose a package from the list.")),
                               (self.unit, _l("Choose one of your units, or all of them.")),
                               (self.role, _l("Choose a respondent from the list."))):
            field.validators = [AnyOf([choice.value for choice in field.choices], message=message)]
        for field in (self.package, self.unit, self.role):
            field.data = field.data or ""  # absent from the query: "all"
        if not self.period.data:
            self.period.data = self.offered[0][0]

    def validate_end(self, field: DateField) -> None:
        if self.period.data != CUSTOM:
            return
        if self.start.data is None or field.data is None:
            raise ValidationError(_l("For a custom period, enter both dates as YYYY-MM-DD."))
        if field.data < self.start.data:
            raise ValidationError(_l("The period must end on or after the day it starts."))
        if (field.data - self.start.data).days > LONGEST_DAYS:
            raise ValidationError(_l("Choose a period of at most five years."))

    def report_request(self, *, unit_ids: tuple[str, ...]) -> ReportRequest:
        """The request for a validated form; `unit_ids` are the reader's units, narrowed to the one chosen."""
        if self.period.data == CUSTOM:
            start, end = self.start.data, self.end.data
        else:
            start, end = next((first, last) for label, first, last in self.offered if label == self.period.data)
        units = (self.unit.data,) if self.unit.data else unit_ids
        return ReportRequest(start=start, end=end, units=tuple(sorted(units)), package=self.package.data or None,
                             role=self.role.data or None, by="package")
