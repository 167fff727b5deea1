"""Packages (pakkeforløp) as data: milestones, time limits and which instruments are due when.

Loads ``surveys/packages/<id>.yaml`` into frozen objects and checks them against
the instrument catalogue. Every problem reads ``<file as given>: <location>:
<what is wrong>``, exactly as the instrument loader writes its own, e.g.
``surveys/packages/mh_adults.yaml: plan[3].instrument: unknown instrument 'phq10'``.
Pure: no Flask, no database.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from pro_service.instruments.definition_files import DefinitionError, parse_definition
from pro_service.instruments.fields import LanguageCode
from pro_service.instruments.base import AgeRange
from pro_service.instruments.models import Id, Language, Source, Text, Words
from pro_service.instruments.thresholds import Caseness
from pro_service.pathways.package_rules import (
    ProcessCode,
    TimeLimitRule,
    TimeLimitVariant,
    check_process_codes,
    check_variants,
    rules,
)

MilestoneId = Literal["start", "first_consultation", "clinical_decision", "evaluation", "end", "follow_up"]
Role = Literal["self", "parent", "other_relative", "teacher"]
REQUIRED_LANGUAGES = ("nb", "nn", "da", "en")
"""Every package and milestone name is given in at least these languages."""
Translations = Annotated[dict[LanguageCode, Language], AfterValidator(MappingProxyType)]

Days = StrictInt
Problem = tuple[str, str]


class PackageError(DefinitionError):
    """Invalid package files; one line per problem: ``<file>: <location>: <what is wrong>``."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TimeLimit(_Frozen):
    """At most ``days`` calendar days after the milestone ``from`` (a forløpstid)."""

    model_config = ConfigDict(populate_by_name=True)

    days: Annotated[Days, Field(ge=0)]
    from_milestone: Annotated[MilestoneId, Field(alias="from")]


class Milestone(_Frozen):
    id: MilestoneId
    name: Text
    progress_code: Words | None = None
    repeats: StrictBool = False
    max_registrations: Annotated[StrictInt, Field(ge=2)] | None = None
    """A milestone that does not repeat but may be registered up to this many times, e.g. the clinical
    decision after the basic and again after an extended assessment."""
    time_limit: TimeLimit | None = None
    """The ordinary limit (outpatient figures where the package has two); variants add the others."""
    time_limit_variants: tuple[TimeLimitVariant, ...] = ()
    interval_days: Annotated[Days, Field(ge=1)] | None = None
    """A repeating milestone only: at most this many days from one occurrence to the next."""
    after_end_days: tuple[Annotated[Days, Field(ge=1)], ...] = ()
    """A follow-up after the end: registering the end schedules one occurrence this many days after it, for
    each value (e.g. 182 and 365 for 6 and 12 months), unless the patient declined follow-up."""
    note: Words | None = None
    """Where a code or time limit comes from, or why it is left out."""

    def may_register(self, registered: int) -> bool:
        """Whether a milestone registered ``registered`` times already may be registered once more."""
        if self.after_end_days:
            return registered < len(self.after_end_days)
        return self.repeats or registered < (self.max_registrations or 1)


class Settings(_Frozen):
    respondent_sees_own_scores: StrictBool


class GoalSettings(_Frozen):
    """Own goals (Goal Based Outcomes): the milestone at which respondents write them; rated at evaluation and end."""

    set_at: MilestoneId
    note: Words | None = None


class PlanEntry(_Frozen):
    """One instrument for one respondent at one milestone; days count from the milestone's date."""

    milestone: MilestoneId
    instrument: Id
    respondent: Role
    age: AgeRange | None = None
    """Age of the *patient* in whole years for whom this entry applies; none = every patient."""
    opens_days: Days
    due_days: Days
    expires_days: Days
    why: Words

    def applies_to(self, age_years: int | None) -> bool:
        """Whether this entry is for a patient of this age; an unknown age meets no age limit."""
        if self.age is None:
            return True
        if age_years is None:
            return False
        return (self.age.min is None or age_years >= self.age.min) and (
            self.age.max is None or age_years <= self.age.max
        )


class CombinedPart(_Frozen):
    """One instrument's scale in a combined outcome, with the case cut-off the combined rule uses."""

    instrument: Id
    scale: Id
    caseness: Caseness


class CombinedOutcome(_Frozen):
    """An outcome defined over several scales at once, e.g. NHS Talking Therapies' PHQ-9 + GAD-7.

    A pathway is a case at start when any part is a case at baseline; recovered
    when it was a case and no part is a case at final; reliably improved when a
    part improved reliably and none deteriorated reliably (and the mirror image
    for deterioration). The rule is fixed here; which scales and cut-offs it
    applies to is data.
    """

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)+$")]
    name: Text
    respondent: Role
    parts: Annotated[tuple[CombinedPart, ...], Field(min_length=2)]
    source: Words


class Outcome(_Frozen):
    """How the package's outcome is measured: one baseline rule for the clinic, the letter and the report."""

    baseline: MilestoneId
    """Baseline: the first scored assessment at or after this milestone's first registration."""
    note: Words | None = None
    combined: tuple[CombinedOutcome, ...] = ()


FINAL_MILESTONES = ("end", "evaluation")
"""Final: the end milestone's score when answered, else the last evaluation's."""


class Package(_Frozen):
    id: Id
    country: Literal["NO", "DK"]
    code: Words | None
    code_note: Words | None = None
    name: Text
    translations: Translations = Field(default_factory=lambda: MappingProxyType({}))
    """Status and source of each name language beyond nb, nn, da and en, as an instrument's ``languages``."""
    source: Source
    milestones: Annotated[tuple[Milestone, ...], Field(min_length=1)]
    settings: Settings
    outcome: Outcome
    plan: Annotated[tuple[PlanEntry, ...], Field(min_length=1)]
    process_codes: tuple[ProcessCode, ...] = ()
    goals: GoalSettings | None = None
    """Own goals, when the package asks for them; none = no goals."""

    def time_limits(self) -> tuple[TimeLimitRule, ...]:
        """Every time limit, ordinary and conditional, as frozen rules a report iterates over."""
        return rules(self.milestones)

    def milestone(self, milestone_id: str) -> Milestone:
        for milestone in self.milestones:
            if milestone.id == milestone_id:
                return milestone
        raise KeyError(f"package '{self.id}' has no milestone '{milestone_id}'")

    def plan_for(self, milestone_id: str) -> tuple[PlanEntry, ...]:
        """The plan's entries for one milestone, in file order; raises ``KeyError`` for an unknown one."""
        self.milestone(milestone_id)
        return tuple(entry for entry in self.plan if entry.milestone == milestone_id)


class Packages(Mapping[str, Package]):
    """The loaded packages by id, sorted by id; read-only."""

    def __init__(self, packages: Iterable[Package]) -> None:
        self._by_id = MappingProxyType({p.id: p for p in sorted(packages, key=lambda p: p.id)})
        self._by_code = MappingProxyType({p.code.casefold(): p for p in self._by_id.values() if p.code})

    def __getitem__(self, package_id: str) -> Package:
        return self._by_id[package_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __repr__(self) -> str:
        return f"Packages({', '.join(self._by_id)})"

    def find(self, id_or_code: str) -> Package | None:
        """A package by its id or its official code (``D11``, ``d11``); ``None`` when neither matches."""
        return self._by_id.get(id_or_code) or self._by_code.get(id_or_code.strip().casefold())


def load_package(path: str | os.PathLike[str], catalog: Mapping[str, Any]) -> Package:
    """Read and validate one package file against the instrument catalogue; raises ``PackageError``."""
    name = str(path)
    package = parse_definition(path, Package, PackageError, keys_hint="id, country, …")
    problems = check(package, catalog, file_id=Path(path).stem)
    if problems:
        raise PackageError((name, location, message) for location, message in problems)
    return package


def load_packages(directory: str | os.PathLike[str], catalog: Mapping[str, Any]) -> Packages:
    """Load every ``*.yaml`` file of a directory; raises one ``PackageError`` for all bad files."""
    if not Path(directory).is_dir():
        raise PackageError([(str(directory), "(directory)", "not found")])
    packages: list[Package] = []
    problems: list[tuple[str, str, str]] = []
    codes: dict[str, str] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            package = load_package(path, catalog)
        except PackageError as exc:
            problems += exc.problems
            continue
        key = package.code.casefold() if package.code else None
        if key in codes:
            problems.append((str(path), "code", f"'{package.code}' is also the code of package '{codes[key]}'"))
            continue
        if key:
            codes[key] = package.id
        packages.append(package)
    if problems:
        raise PackageError(problems)
    return Packages(packages)


def check(package: Package, catalog: Mapping[str, Any], *, file_id: str) -> list[Problem]:
    """Every problem of a structurally valid package; empty when it may be used."""
    problems: list[Problem] = []
    if package.id != file_id:
        problems.append(("id", f"'{package.id}' does not match the file name '{file_id}.yaml'"))
    problems += _names(package)
    problems += _milestones(package)
    problems += _plan(package, catalog)
    problems += _outcome(package, catalog)
    if package.goals is not None and package.goals.set_at not in {m.id for m in package.milestones}:
        problems.append(("goals.set_at", f"the package has no milestone '{package.goals.set_at}'"))
    problems += check_variants(package.milestones)
    problems += check_process_codes(package.process_codes, (m.id for m in package.milestones), catalog)
    return problems


def _names(package: Package) -> Iterator[Problem]:
    """The required languages and every listed translation in every name; no unlisted extra language."""
    texts = [("name", package.name)] + [(f"milestones[{i}].name", m.name) for i, m in enumerate(package.milestones)]
    texts += [(f"process_codes[{i}].name", c.name) for i, c in enumerate(package.process_codes)]
    for location, text in texts:
        for language in REQUIRED_LANGUAGES:
            if language not in text:
                yield location, f"missing language '{language}'"
        for language in package.translations:
            if language not in text and language not in REQUIRED_LANGUAGES:
                yield location, f"missing language '{language}' (listed under translations)"
        for language in text:
            if language not in REQUIRED_LANGUAGES and language not in package.translations:
                yield f"{location}.{language}", f"language '{language}' is not listed under translations"


def _milestones(package: Package) -> Iterator[Problem]:
    seen: list[str] = []
    for index, milestone in enumerate(package.milestones):
        where = f"milestones[{index}]"
        if milestone.id in seen:
            yield f"{where}.id", f"duplicate milestone id '{milestone.id}'"
        limit = milestone.time_limit
        if limit is not None and limit.from_milestone not in seen:
            yield f"{where}.time_limit.from", f"'{limit.from_milestone}' is not an earlier milestone"
        if milestone.interval_days is not None and not milestone.repeats:
            yield f"{where}.interval_days", "only a repeating milestone (repeats: true) has an interval"
        if milestone.max_registrations is not None and milestone.repeats:
            yield f"{where}.max_registrations", "a repeating milestone has no maximum"
        yield from _follow_up(milestone, where, seen)
        seen.append(milestone.id)


def _follow_up(milestone: Milestone, where: str, earlier: list[str]) -> Iterator[Problem]:
    if not milestone.after_end_days:
        return
    if "end" not in earlier:
        yield f"{where}.after_end_days", "only a milestone listed after 'end' is scheduled from the end"
    if list(milestone.after_end_days) != sorted(set(milestone.after_end_days)):
        yield f"{where}.after_end_days", "give the days in increasing order, each once"
    if milestone.repeats or milestone.max_registrations is not None or milestone.time_limit is not None:
        yield f"{where}.after_end_days", ("a follow-up occurs once per day listed: it takes no repeats, "
                                          "max_registrations or time_limit")


def _plan(package: Package, catalog: Mapping[str, Any]) -> Iterator[Problem]:
    milestones = {milestone.id for milestone in package.milestones}
    seen: dict[tuple[str, str, str], int] = {}
    for index, entry in enumerate(package.plan):
        where = f"plan[{index}]"
        if entry.milestone not in milestones:
            yield f"{where}.milestone", f"the package has no milestone '{entry.milestone}'"
        instrument = catalog.get(entry.instrument)
        if instrument is None:
            yield f"{where}.instrument", f"unknown instrument '{entry.instrument}'"
        elif entry.respondent not in instrument.respondents:
            allowed = ", ".join(instrument.respondents)
            message = f"instrument '{entry.instrument}' is answered by {allowed}, not {entry.respondent}"
            yield f"{where}.respondent", message
        if entry.due_days < entry.opens_days:
            yield f"{where}.due_days", f"{entry.due_days} is before opens_days ({entry.opens_days})"
        if entry.expires_days < entry.due_days:
            yield f"{where}.expires_days", f"{entry.expires_days} is before due_days ({entry.due_days})"
        age = entry.age
        if age is not None and age.min is not None and age.max is not None and age.min > age.max:
            yield f"{where}.age", f"min {age.min} is greater than max {age.max}"
        key = (entry.milestone, entry.instrument, entry.respondent)
        if key in seen:
            yield where, f"repeats plan[{seen[key]}] ({', '.join(key)})"
        else:
            seen[key] = index


def _outcome(package: Package, catalog: Mapping[str, Any]) -> Iterator[Problem]:
    milestones = {milestone.id for milestone in package.milestones}
    if package.outcome.baseline not in milestones:
        yield "outcome.baseline", f"the package has no milestone '{package.outcome.baseline}'"
    for index, combined in enumerate(package.outcome.combined):
        where = f"outcome.combined[{index}]"
        names = [part.instrument for part in combined.parts]
        if combined.id != "+".join(names):
            yield f"{where}.id", f"must be the parts' instruments joined by '+': '{'+'.join(names)}'"
        for language in REQUIRED_LANGUAGES:
            if language not in combined.name:
                yield f"{where}.name", f"missing language '{language}'"
        for number, part in enumerate(combined.parts):
            here = f"{where}.parts[{number}]"
            instrument = catalog.get(part.instrument)
            if instrument is None:
                yield f"{here}.instrument", f"unknown instrument '{part.instrument}'"
                continue
            try:
                scale = instrument.scale(part.scale)
            except KeyError:
                yield f"{here}.scale", f"instrument '{part.instrument}' has no scale '{part.scale}'"
                continue
            if scale.reliable_change is None:
                yield f"{here}.scale", f"'{part.instrument}' {part.scale} has no reliable-change basis"
            low, high = instrument.scale_range(scale)
            if not low <= part.caseness.cut_off <= high:
                yield f"{here}.caseness", f"{part.caseness.cut_off} is outside the scale's range"
            planned = {(e.instrument, e.respondent) for e in package.plan}
            if (part.instrument, combined.respondent) not in planned:
                yield f"{here}.instrument", f"'{part.instrument}' is not planned for {combined.respondent}"
