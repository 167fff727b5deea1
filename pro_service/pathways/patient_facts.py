"""What scoring needs to know about the patient: administrative sex and age in whole years on a date.

A caseness cut-off can depend on both (AUDIT ≥ 7 for women and people over 65),
so a response is scored with the patient's sex and age when the answers were
given, and the stored caseness — which the outcome report counts — matches what
the clinician and the GP letter are shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import bindparam
from sqlmodel import select

from pro_service import db
from pro_service.pathways.models import Pathway, Patient


@dataclass(frozen=True)
class ScoringFacts:
    sex: str | None
    age: int | None

    def as_kwargs(self) -> dict[str, str | int | None]:
        return {"sex": self.sex, "age": self.age}


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years on ``on`` (a birthday counts on the day itself)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def local_date(moment: datetime) -> date:
    """The date in the service's time zone (Europe/Oslo by default): ages turn over at local midnight."""
    zone = current_app.config["SETTINGS"].timezone if has_app_context() else "Europe/Oslo"
    return moment.astimezone(ZoneInfo(zone)).date()


def facts(*, sex: str | None, birth_date: date | None, on: date) -> ScoringFacts:
    age = age_in_years(birth_date, on) if birth_date is not None and birth_date <= on else None
    return ScoringFacts(sex=str(sex) if sex is not None else None, age=age)


_SEX_AND_BIRTH_DATE = (select(Patient.sex, Patient.birth_date).join(Pathway, Pathway.patient_id == Patient.id)
                       .where(Pathway.id == bindparam("pathway_id")))
"""Built once: every submitted questionnaire is scored with it."""


def facts_for_pathway(pathway_id: str, *, at: datetime) -> ScoringFacts:
    """The patient's sex and age at ``at`` for one pathway, read in one query."""
    row = db.session().exec(_SEX_AND_BIRTH_DATE, params={"pathway_id": pathway_id}).first()
    if row is None:
        return ScoringFacts(sex=None, age=None)
    return facts(sex=row[0], birth_date=row[1], on=local_date(at))
