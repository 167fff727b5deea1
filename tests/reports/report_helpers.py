"""Constants the report tests share."""
from datetime import UTC, date, datetime

BASE_URL = "https://pro.example.no"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
"""Every pathway starts on a Monday in January 2026 unless told otherwise; milestones follow by days."""
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
