"""Constants the report tests share."""
from datetime import UTC, date, datetime

from flask import current_app

from pro_service import definitions
from pro_service.reports.operations import refresh_queued

BASE_URL = "https://pro.example.no"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""Every pathway starts on a Monday in January 2026 unless told otherwise; milestones follow by days."""
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


def settled(session):
    """`session` after the report rows respondents' submits queued are rewritten, as the worker or a report
    read does first; returns it."""
    refresh_queued(session=session, catalog=definitions.catalog(), packages=definitions.packages(),
                   timezone=current_app.config["SETTINGS"].timezone)
    return session
