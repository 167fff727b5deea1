"""The alerts queue as plain data: cards grouped by patient, each with its age and the unit's phone."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pro_service.clinic.queries import AlertRow
from pro_service.i18n import _, ngettext


def age(created_at: datetime, now: datetime) -> str:
    """How long the alert has waited, in the largest whole unit: minutes, hours or days."""
    minutes = max(0, int((now - created_at).total_seconds() // 60))
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return ngettext("%(num)d minute ago", "%(num)d minutes ago", minutes)
    if minutes < 48 * 60:
        return ngettext("%(num)d hour ago", "%(num)d hours ago", minutes // 60)
    return ngettext("%(num)d day ago", "%(num)d days ago", minutes // (24 * 60))


def grouped(cards: Sequence[dict[str, Any]], rows: Sequence[AlertRow], *, units: Mapping[str, Any],
            now: datetime) -> list[dict[str, Any]]:
    """One group per patient (pathway), the patient with the oldest alert first; cards oldest first."""
    groups: dict[str, dict[str, Any]] = {}
    for card, row in zip(cards, rows, strict=True):
        unit = units.get(row.unit_id)
        card = {**card, "age": age(row.created_at, now)}
        group = groups.setdefault(row.pathway_id, {
            "patient": row.patient_name, "pathway_url": card["pathway_url"], "id": row.id,
            "unit": unit.name if unit else "", "phone": unit.phone if unit else None, "cards": []})
        group["cards"].append(card)
    for group in groups.values():
        group["count"] = ngettext("%(num)d open alert", "%(num)d open alerts", len(group["cards"]))
        group["phone_text"] = _("Unit phone: %(phone)s", phone=group["phone"]) if group["phone"] else None
    return list(groups.values())
