"""A respondent in a test: an invitation made through `start_pathway`, and a browser-like client."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from survey_helpers import Browser

from pro_service import definitions
from pro_service.pathways.operations import start_pathway

BASE_URL = "https://pro.example.no"


@pytest.fixture
def invite(session, make_patient):
    """Start an mh_adults pathway and return its one IssuedInvitation (the only time the token is known)."""

    def make(*, started_at: datetime | None = None, **patient):
        package = definitions.packages()["mh_adults"]
        _pathway, registration = start_pathway(
            patient=make_patient(**patient), package=package, by="dr", base_url=BASE_URL,
            started_at=started_at or datetime.now(UTC) - timedelta(days=1))
        session.commit()
        [issued] = registration.invitations
        return issued

    return make


@pytest.fixture
def browser(client):
    """A browser that prefers English until the respondent's language is known (tests read English words)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return Browser(client)
