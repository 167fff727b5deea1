"""The respondent's plain rows keep the loaded assessment's rule of its state in time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pro_service.pathways.models import Assessment, AssessmentStatus
from pro_service.survey.rows import AssessmentRow, assessment_row

OPENS = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 2, 10, 8, 0, tzinfo=UTC)
moments = st.integers(min_value=-40 * 24 * 60, max_value=80 * 24 * 60).map(lambda m: OPENS + timedelta(minutes=m))


@given(status=st.sampled_from(list(AssessmentStatus)), now=moments)
def test_a_row_and_a_loaded_assessment_are_in_the_same_state_at_any_moment(status, now):
    loaded = Assessment(id="a", pathway_id="p", milestone_event_id="e", respondent_id="r", instrument_id="phq9",
                        status=status, opens_at=OPENS, due_at=OPENS, expires_at=EXPIRES)
    row = assessment_row(loaded)

    assert row.status_at(now) == loaded.status_at(now)


@given(status=st.sampled_from([AssessmentStatus.SCHEDULED, AssessmentStatus.OPEN, AssessmentStatus.IN_PROGRESS]),
       now=moments)
def test_time_decides_until_the_assessment_is_completed_or_cancelled(status, now):
    row = AssessmentRow(id="a", pathway_id="p", instrument_id="phq9", status=status, opens_at=OPENS,
                        expires_at=EXPIRES)
    expected = (AssessmentStatus.EXPIRED if now >= EXPIRES
                else AssessmentStatus.IN_PROGRESS if status == AssessmentStatus.IN_PROGRESS
                else AssessmentStatus.OPEN if now >= OPENS else AssessmentStatus.SCHEDULED)
    assert row.status_at(now) == expected


@given(status=st.sampled_from([AssessmentStatus.COMPLETED, AssessmentStatus.CANCELLED]), now=moments)
def test_completed_and_cancelled_are_final(status, now):
    row = AssessmentRow(id="a", pathway_id="p", instrument_id="phq9", status=status, opens_at=OPENS,
                        expires_at=EXPIRES)
    assert row.status_at(now) == status

