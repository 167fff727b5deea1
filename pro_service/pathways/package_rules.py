"""A package's time-limit variants and process codes, as data the clinic, the API and the quality report iterate over.

A milestone's ``time_limit`` is the ordinary limit (outpatient figures where the
package has two). ``time_limit_variants`` add the limits that apply only under a
condition, e.g. TSB's inpatient limit or D12's six-week extension. ``Package.time_limits()``
returns both as ``TimeLimitRule`` objects, so a report needs no special case per package.
A repeating milestone's ``interval_days`` is a rule too, measured from the milestone to its next
registration (``from`` is the milestone itself); a variant with ``from`` the milestone itself varies it,
e.g. TSB's shorter interval between evaluations in inpatient units.

A process code is a code of the kodeveileder that this service's own data shows,
e.g. "a standardised tool was used at the evaluation": it is recorded for a
registration of its milestone when an assessment of one of its instruments for
that registration was answered. Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from pro_service.instruments.fields import Id, Text, Words

T = TypeVar("T")
MilestoneId = Literal["start", "first_consultation", "clinical_decision", "evaluation", "end", "follow_up"]

ALWAYS = "always"
"""The condition of a milestone's ordinary ``time_limit``: it applies to every pathway."""
INPATIENT = "inpatient"
"""The pathway is treated in an inpatient unit (døgnenhet): its care setting (`Pathway.care_setting`) says so,
and then the inpatient limit replaces the milestone's ordinary (outpatient) one (see `in_setting`)."""
EXTENDED_ASSESSMENT = "extended_assessment"
"""The milestone is registered a second time after an extended assessment (utvidet utredning): the limit
is measured on that second registration, from the first registration of ``from_milestone``."""
Condition = Literal["inpatient", "extended_assessment"]
END = "end"
"""The milestone that closes a repeating milestone's last interval: no evaluation falls due after the end."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TimeLimitVariant(_Frozen):
    """A limit for the same milestone that applies only when ``when`` holds."""

    model_config = ConfigDict(populate_by_name=True)

    id: Id
    when: Condition
    days: Annotated[StrictInt, Field(ge=0)]
    from_milestone: Annotated[MilestoneId, Field(alias="from")]
    source: Words


@dataclass(frozen=True)
class TimeLimitRule:
    """One time limit of a package, ordinary or conditional.

    ``id`` is the milestone id for the ordinary limit, ``<milestone>.interval`` for the ordinary
    interval and ``<milestone>.<variant id>`` for a variant. ``registration`` says which registration of the milestone is
    measured: 1 (the first) for every condition but ``extended_assessment`` (2).
    """

    id: str
    milestone: str
    from_milestone: str
    days: int
    condition: str
    registration: int
    source: str | None

    @property
    def interval(self) -> bool:
        """Measured from each registration of the milestone to the next, not from an earlier milestone."""
        return self.from_milestone == self.milestone


def rules(milestones: Iterable[Any]) -> tuple[TimeLimitRule, ...]:
    """Every time limit of these milestones, in file order: ordinary limit, ordinary interval, variants."""
    found: list[TimeLimitRule] = []
    for milestone in milestones:
        if milestone.time_limit is not None:
            found.append(TimeLimitRule(
                id=milestone.id, milestone=milestone.id, from_milestone=milestone.time_limit.from_milestone,
                days=milestone.time_limit.days, condition=ALWAYS, registration=1, source=milestone.note))
        if milestone.interval_days is not None:
            found.append(TimeLimitRule(
                id=f"{milestone.id}.interval", milestone=milestone.id, from_milestone=milestone.id,
                days=milestone.interval_days, condition=ALWAYS, registration=1, source=milestone.note))
        for variant in milestone.time_limit_variants:
            found.append(TimeLimitRule(
                id=f"{milestone.id}.{variant.id}", milestone=milestone.id, from_milestone=variant.from_milestone,
                days=variant.days, condition=variant.when,
                registration=2 if variant.when == EXTENDED_ASSESSMENT else 1, source=variant.source))
    return tuple(found)


def in_setting(found: Iterable[TimeLimitRule], care_setting: str) -> tuple[TimeLimitRule, ...]:
    """The limits that apply to a pathway treated in `care_setting` ("outpatient" or "inpatient").

    An inpatient pathway is measured by a milestone's inpatient limit where the package has one, instead of
    the ordinary limit (the outpatient figure); an outpatient pathway never by an inpatient limit. An
    inpatient interval replaces only the ordinary interval, so the limit to a first evaluation stays. Other
    conditions (the extended assessment) apply in both settings.
    """
    found = tuple(found)
    if care_setting != INPATIENT:
        return tuple(rule for rule in found if rule.condition != INPATIENT)
    replaced = {(rule.milestone, rule.interval) for rule in found if rule.condition == INPATIENT}
    return tuple(rule for rule in found
                 if not (rule.condition == ALWAYS and (rule.milestone, rule.interval) in replaced))


def intervals(registrations: Sequence[T], end: T | None) -> list[tuple[T, T | None]]:
    """Each interval of a repeating milestone: from one registration (sorted) to the next, the last one to the
    end where the end came after it (an evaluation at the end is advised, none after it), else still open."""
    spans: list[tuple[T, T | None]] = list(zip(registrations, registrations[1:]))
    if registrations:
        last = registrations[-1]
        spans.append((last, end if end is not None and end >= last else None))
    return spans


class ProcessCode(_Frozen):
    """A kodeveileder code this service can show from its own data."""

    id: Id
    name: Text
    code: Words | None
    """The code as the kodeveileder writes it; null where it could not be verified (then ``note`` says so)."""
    milestone: MilestoneId
    instruments: tuple[Id, ...] = ()
    """An answered assessment of one of these for a registration of ``milestone`` records the code.
    Empty: no shipped instrument qualifies (e.g. no feedback tool is shipped); never recorded."""
    source: Words
    note: Words | None = None


def check_variants(milestones: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """Variants name earlier milestones (or their own, to vary its interval), have unique ids, and extended
    assessment needs a repeatable decision."""
    seen: list[str] = []
    for index, milestone in enumerate(milestones):
        ids: set[str] = set()
        for number, variant in enumerate(milestone.time_limit_variants):
            where = f"milestones[{index}].time_limit_variants[{number}]"
            if variant.id in ids:
                yield f"{where}.id", f"duplicate variant id '{variant.id}'"
            if variant.id == "interval" and milestone.interval_days is not None:
                yield f"{where}.id", "'interval' names the milestone's ordinary interval"
            ids.add(variant.id)
            if variant.from_milestone == milestone.id:
                if milestone.interval_days is None:
                    yield f"{where}.from", "an interval variant needs the milestone's interval_days"
                elif variant.when != INPATIENT:
                    yield f"{where}.when", "only an inpatient variant may vary the interval"
            elif variant.from_milestone not in seen:
                yield f"{where}.from", f"'{variant.from_milestone}' is not an earlier milestone"
            if variant.when == EXTENDED_ASSESSMENT and not milestone.may_register(1):
                yield f"{where}.when", "extended_assessment needs a milestone registered at least twice"
        seen.append(milestone.id)


def check_process_codes(codes: Iterable[ProcessCode], milestone_ids: Iterable[str],
                        catalog: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    milestone_ids = set(milestone_ids)
    seen: set[str] = set()
    for index, code in enumerate(codes):
        where = f"process_codes[{index}]"
        if code.id in seen:
            yield f"{where}.id", f"duplicate process code '{code.id}'"
        seen.add(code.id)
        if code.milestone not in milestone_ids:
            yield f"{where}.milestone", f"the package has no milestone '{code.milestone}'"
        for instrument in code.instruments:
            if instrument not in catalog:
                yield f"{where}.instruments", f"unknown instrument '{instrument}'"
        if code.code is None and code.note is None:
            yield f"{where}.note", "a process code without a verified code needs a note saying why"
