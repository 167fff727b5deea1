from datetime import UTC, datetime, timedelta

import pytest

from pro_service import definitions
from pro_service.pathways.models import MilestoneEvent
from pro_service.pathways.queries import TimeLimitStatus, time_limits

OSLO = "Europe/Oslo"
CONSULTED = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)  # deadline for the clinical decision: 21 February


@pytest.fixture
def adults(app):
    with app.app_context():
        return definitions.packages()["mh_adults"]


def events(*pairs):
    return [MilestoneEvent(pathway_id="p", milestone_id=m, occurred_at=at, registered_by="t") for m, at in pairs]


@pytest.mark.parametrize("now, decided, status", [
    (CONSULTED + timedelta(days=10), None, TimeLimitStatus.PENDING),
    (datetime(2026, 2, 14, 12, tzinfo=UTC), None, TimeLimitStatus.AT_RISK),
    (datetime(2026, 2, 21, 22, 59, tzinfo=UTC), None, TimeLimitStatus.AT_RISK),  # 23:59 on the deadline day in Oslo
    (datetime(2026, 2, 21, 23, 0, tzinfo=UTC), None, TimeLimitStatus.OVERDUE),  # midnight in Oslo: the 22nd
    (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 2, 21, 22, 59, tzinfo=UTC), TimeLimitStatus.MET),
    (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 2, 21, 23, 0, tzinfo=UTC), TimeLimitStatus.MISSED),
])
def test_time_limits_count_calendar_days_in_the_service_time_zone(adults, now, decided, status):
    pairs = [("start", CONSULTED - timedelta(days=5)), ("first_consultation", CONSULTED)]
    if decided:
        pairs.append(("clinical_decision", decided))

    [limit] = time_limits(package=adults, events=events(*pairs), now=now, timezone=OSLO)

    assert (limit.milestone, limit.from_milestone, limit.days) == ("clinical_decision", "first_consultation", 42)
    assert limit.deadline.isoformat() == "2026-02-21"
    assert (limit.status, limit.occurred_at) == (status, decided)


def test_a_time_limit_has_not_started_before_its_from_milestone(adults):
    [limit] = time_limits(package=adults, events=events(("start", CONSULTED)), now=CONSULTED, timezone=OSLO)

    assert (limit.status, limit.deadline) == (TimeLimitStatus.NOT_STARTED, None)
