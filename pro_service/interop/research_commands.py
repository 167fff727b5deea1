"""`pro-service export research`: pseudonymised scores for quality registries and research.

The operator names the person the export is made for (`--by`): an active user
with the administrator role (every unit) or the unit-leader role (their units).
Every export leaves one audit row per unit it covers, actor that user, with the
period and the row count; no patient is named, as for a report.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from sqlalchemy import func, insert, select
from sqlmodel import Session

from pro_service import db, definitions
from pro_service.audit.models import ActorKind, AuditEvent
from pro_service.auth.models import Membership, Role
from pro_service.auth.users import find_user
from pro_service.bounds import Day
from pro_service.pathways.models import (AdministrativeSex, Assessment, MilestoneEvent, Pathway, Patient,
                                         Respondent, RespondentRole, Response, Score, Unit)
from pro_service.progress import LateProgress
from pro_service.types import new_id, utcnow

from .research import ResearchKeyError, Source, columns, read_key, row
from .research_goals import FILE as GOALS_FILE
from .research_goals import write_goals

AUDIT_ACTION = "research.export"
EXPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.UNIT_LEADER})
FORMATS = ("csv", "parquet")
BATCH = 1000


def allowed_units(session: Session, email: str) -> tuple[str, dict[str, str]]:
    """The user's id and {unit id: code} `email` may export: every unit for an administrator, their own for a unit leader.

    Raises click.ClickException for an unknown or inactive user, or one without either role.
    """
    user = find_user(email=email)
    if user is None or not user.is_active:
        raise click.ClickException(f"no active user with email {email!r}")
    roles = set(session.execute(select(Membership.unit_id, Membership.role)
                                .where(Membership.user_id == user.id)))
    units = dict(session.execute(select(Unit.id, Unit.code)).all())
    if any(role == Role.ADMINISTRATOR for _unit, role in roles):
        return user.id, units
    led = {unit_id for unit_id, role in roles if role == Role.UNIT_LEADER}
    if not led:
        raise click.ClickException(f"{email} may not export research data: that needs the administrator or "
                                   "unit-leader role")
    return user.id, {unit_id: code for unit_id, code in units.items() if unit_id in led}


def _statement(unit_ids, start: datetime, end: datetime):
    """Every score of a response submitted in [start, end) in the units, in one set-based query."""
    return (
        select(Patient.id, Patient.birth_date, Patient.sex, Pathway.package_id, Pathway.unit_id,
               MilestoneEvent.milestone_id, Pathway.started_at, Response.submitted_at, Assessment.instrument_id,
               Score.scale_id, Score.value, Score.band, Score.caseness, Respondent.role)
        .join(Response, Score.response_id == Response.id)
        .join(Assessment, Response.assessment_id == Assessment.id)
        .join(MilestoneEvent, Assessment.milestone_event_id == MilestoneEvent.id)
        .join(Respondent, Assessment.respondent_id == Respondent.id)
        .join(Pathway, Assessment.pathway_id == Pathway.id)
        .join(Patient, Pathway.patient_id == Patient.id)
        .where(Pathway.unit_id.in_(unit_ids), Response.submitted_at >= start, Response.submitted_at < end)
        .order_by(Patient.id, Response.submitted_at, Assessment.instrument_id, Score.scale_id)
    )


def sources(session: Session, unit_ids, start: datetime, end: datetime, units: dict[str, str],
            zone: ZoneInfo) -> Iterator[Source]:
    """The scores as `Source`s, streamed in batches of `BATCH` rows."""
    result = session.execute(_statement(unit_ids, start, end).execution_options(yield_per=BATCH))
    for (patient_id, birth_date, sex, package, unit_id, milestone, started_at, submitted_at, instrument, scale,
         score, band, caseness, role) in result:
        yield Source(patient_id=patient_id, birth_date=birth_date, sex=sex and str(sex), package=package,
                     unit=units[unit_id], milestone=milestone, started_on=started_at.astimezone(zone).date(),
                     submitted_on=submitted_at.astimezone(zone).date(), instrument=instrument, scale=scale,
                     score=score, band=band, caseness=caseness, respondent_role=str(role))


def _count(session: Session, unit_ids, start: datetime, end: datetime) -> int:
    counted = select(func.count()).select_from(_statement(unit_ids, start, end).order_by(None).subquery())
    return session.execute(counted).scalar_one()


def _write_csv(rows, path: Path, names: list[str]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for count, values in enumerate(rows, start=1):
            writer.writerow(values)
    return count


def _write_parquet(rows, path: Path, names: list[str], pa, pq) -> int:
    schema = pa.schema([(name, pa.int64() if name == "days_since_start" else
                         pa.float64() if name == "score" else pa.string()) for name in names])
    count, batch = 0, []
    with pq.ParquetWriter(path, schema) as writer:
        for values in rows:
            batch.append(values)
            count += 1
            if len(batch) == BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _dictionary(path: Path, cols) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["column", "meaning", "type", "allowed values"])
        writer.writerows([col.name, col.meaning, col.type, col.allowed] for col in cols)


@click.command("research")
@click.option("--from", "start", required=True, type=Day(),
              help="First day of submission (YYYY-MM-DD, local time).")
@click.option("--to", "end", required=True, type=Day(), help="Last day, included.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for research.csv (or .parquet) and research-dictionary.csv.")
@click.option("--key-file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The data controller's pseudonym key (at least 32 bytes); never stored.")
@click.option("--by", "by_email", required=True,
              help="Email of the active administrator or unit leader the export is made for (audited).")
@click.option("--with-dates", is_flag=True, help="Add the submission date (otherwise only days since start).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--with-goals", is_flag=True,
              help=f"Also write {GOALS_FILE}: own goals' 0-10 ratings per goal number (never their wording).")
def export_research(start, end, out: Path, key_file: Path, by_email: str, with_dates: bool,
                    output_format: str, with_goals: bool = False) -> None:
    """Pseudonymised scores, one row per scale of each assessment submitted in the period, and a data dictionary."""
    if end.date() < start.date():
        raise click.BadParameter("must not be before --from", param_hint="--to")
    try:
        key = read_key(key_file)
    except ResearchKeyError as exc:
        raise click.BadParameter(str(exc), param_hint="--key-file") from None
    pa = pq = None
    if output_format == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise click.UsageError("Parquet needs pyarrow: pip install 'pro-service[research]', "
                                   "or use --format csv") from None
    zone = ZoneInfo(current_app.config["SETTINGS"].timezone)
    first = start.replace(tzinfo=zone)
    after = (end + timedelta(days=1)).replace(tzinfo=zone)
    with db.unit_of_work() as session:
        user_id, units = allowed_units(session, by_email)
        cols = columns(with_dates=with_dates, packages=definitions.packages().keys(), units=units.values(),
                       milestones={m.id for p in definitions.packages().values() for m in p.milestones},
                       sexes=[s.value for s in AdministrativeSex], instruments=definitions.catalog().keys(),
                       roles=[r.value for r in RespondentRole])
        names = [col.name for col in cols]
        progress = LateProgress(_count(session, list(units), first, after), "Exporting scores")

        def rows():
            for source in sources(session, list(units), first, after, units, zone):
                progress()
                yield row(source, key=key, with_dates=with_dates)

        out.mkdir(parents=True, exist_ok=True)
        data = out / f"research.{output_format}"
        try:
            count = (_write_parquet(rows(), data, names, pa, pq) if pa is not None
                     else _write_csv(rows(), data, names))
        finally:
            progress.close()
        _dictionary(out / "research-dictionary.csv", cols)
        goal_count = (write_goals(session, out, key=key, with_dates=with_dates, unit_ids=list(units), start=first,
                                  end=after, units=units, zone=zone) if with_goals else None)
        detail = (f"{start.date().isoformat()}..{end.date().isoformat()} rows={count} "
                  f"dates={'yes' if with_dates else 'no'} format={output_format}"
                  + (f" goal_ratings={goal_count}" if with_goals else ""))
        at = utcnow()
        audit_rows = [{"id": new_id(), "at": at, "actor_kind": ActorKind.USER, "actor_id": user_id,
                       "action": AUDIT_ACTION, "patient_id": None, "unit_id": unit_id, "pathway_id": None,
                       "remote_addr": None, "detail": detail} for unit_id in units]
        if audit_rows:
            session.execute(insert(AuditEvent), audit_rows)
    click.echo(f"Wrote {count} row(s) to {data} and the data dictionary to {out / 'research-dictionary.csv'}.")
    if with_goals:
        click.echo(f"Wrote {goal_count} goal rating(s), without their wording, to {out / GOALS_FILE}.")
