"""Whose units a reader may see in the quality report: a unit leader their own, an administrator every unit.

The report holds aggregates only (suppressed below 5), so an administrator,
who sees no patient data, may still read it for every unit of the installation.
"""
from __future__ import annotations

from typing import Any

from sqlmodel import select

from pro_service import db
from pro_service.auth.access import units_with_role
from pro_service.auth.models import Role
from pro_service.pathways.models import Unit

READER_ROLES = (Role.UNIT_LEADER, Role.ADMINISTRATOR)


def readable_units(*, user: Any) -> list[tuple[str, str]]:
    """(id, name) of the units `user` may read the report for, by name."""
    query = select(Unit.id, Unit.name).order_by(Unit.name, Unit.code)
    if not units_with_role(user, Role.ADMINISTRATOR):
        query = query.where(Unit.id.in_(sorted(units_with_role(user, Role.UNIT_LEADER))))
    return [(unit_id, name) for unit_id, name in db.session().exec(query)]
