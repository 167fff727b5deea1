"""Shared set-ups of the pathway tests."""
from __future__ import annotations

from pro_service.pathways.models import CareSetting
from pro_service.pathways.operations import change_care_setting


def inpatient_tsb_quality_page(*, client, login_as, make_unit, make_pathway, session, milestones, **pathway) -> str:
    """The quality page (TSB, 2026, in English) as the leader of a unit with five inpatient TSB pathways at
    `milestones`: five, so small-number suppression hides none of their figures."""
    unit = make_unit()
    for _ in range(5):
        made = make_pathway(milestones, package="tsb", unit=unit, **pathway)
        change_care_setting(pathway=made, care_setting=CareSetting.INPATIENT)
    session.commit()
    login_as("unit_leader", unit=unit)
    return client.get("/clinic/quality", query_string={"period": "custom", "start": "2026-01-01",
                                                       "end": "2026-12-31", "package": "tsb"},
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
