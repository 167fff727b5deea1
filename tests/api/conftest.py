"""Fixtures for the API: row counts to prove nothing changed, and problem checks (bearer tokens: tests/conftest.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pro_service import db

BASE = "/api/v1"


@pytest.fixture
def row_counts(app):
    """Rows per table, read on a connection of its own so it sees what requests committed.

    The audit trail is left out: a repeated call changes nothing, but it is still a read, and audited.
    """
    def counts() -> dict[str, int]:
        metadata = db.import_all_models().metadata
        with db.engine(app).connect() as connection:
            return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in metadata.sorted_tables if t.name != "audit_event"}

    return counts


def _assert_problem(response, status: int, detail_part: str, *, paths: list[str] | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"]
    assert detail_part in problem["detail"], problem["detail"]
    if paths is not None:
        assert [e["path"] for e in problem["errors"]] == paths
    return problem


@pytest.fixture
def assert_problem():
    """`assert_problem(response, status, detail_part, paths=[…])`: a problem document that says what is wrong."""
    return _assert_problem
