"""Texts of the messages sent to respondents, written in the respondent's language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, format_date

from pro_service.i18n import LOCALES, _
from pro_service.pathways.models import Respondent, Unit


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


def invitation_message(*, respondent: Respondent, unit: Unit, link: str, short_code: str,
                       expires_at: datetime, reminder: bool) -> Message:
    locale = respondent.language if respondent.language in LOCALES else "nb"
    with force_locale(locale):
        until = format_date(expires_at, format="long")
        subject = (_("Reminder: questionnaire from %(unit)s", unit=unit.name) if reminder
                   else _("Questionnaire from %(unit)s", unit=unit.name))
        body = "\n\n".join([
            _("Hello %(name)s,", name=respondent.name),
            _("%(unit)s asks you to answer a few short questions before your next appointment. "
              "Your answers help you and your therapist see how things are going.", unit=unit.name),
            _("Open this link to answer: %(link)s", link=link),
            _("Or go to the clinic's tablet and type the code %(code)s.", code=short_code),
            _("The link works until %(date)s.", date=until),
            _("If you have questions, call %(unit)s at %(phone)s.", unit=unit.name, phone=unit.phone or "–"),
        ])
        sms = _("%(unit)s: please answer a short questionnaire before %(date)s: %(link)s",
                unit=unit.name, date=until, link=link)
    return Message(subject=subject, body=body, sms=sms)
