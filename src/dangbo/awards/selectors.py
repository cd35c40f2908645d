"""Awards: the reads, every one through the scoping function.

Awards and proposals are placed where their subject is (a person where their party organisation and
business unit are), proposals also where their proposer is; decisions in the organisation that keeps
them. `Perm.EMULATION_VIEW` reads them, `EMULATION_ENTRY` proposes, `EMULATION_MANAGE` reviews,
decides and overrides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangbo.awards.models import Award, AwardType, Decision, Proposal
from dangbo.core.scoping import scope, scope_condition
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules.emulation import Level
from dangbo.rules.roles import Perm


def award_types() -> QuerySet[AwardType]:
    return AwardType.objects.all()


def awards(user: Any) -> QuerySet[Award]:
    return scope(Award.objects.all(), user, Perm.EMULATION_VIEW).select_related("award_type", "decision")


def proposals(user: Any) -> QuerySet[Proposal]:
    return scope(Proposal.objects.all(), user, Perm.EMULATION_VIEW).select_related("award_type")


def decisions(user: Any) -> QuerySet[Decision]:
    """The decisions kept in one's organisations, and those giving an award one may see."""
    reach = scope_condition(Decision, user, Perm.EMULATION_VIEW) | Q(
        pk__in=awards(user).values("decision_id")
    )
    return Decision.objects.filter(reach).select_related("organisation")


def people(user: Any) -> QuerySet[Person]:
    return scope(Person.objects.all(), user, Perm.EMULATION_VIEW)


def organisations(user: Any, perm: Perm = Perm.EMULATION_VIEW) -> QuerySet[Organisation]:
    return scope(Organisation.objects.all(), user, perm)


def units(user: Any, perm: Perm = Perm.EMULATION_VIEW) -> QuerySet[Unit]:
    return scope(Unit.objects.all(), user, perm)


def history(subject: Organisation | Unit | Person) -> QuerySet[Award]:
    """Every title and form given to the subject, latest year first."""
    key = {type(subject).__name__.lower(): subject}
    return (
        Award.objects.filter(**key)
        .select_related("award_type", "decision")
        .order_by("-year", "award_type__position")
    )


def subject_proposals(subject: Organisation | Unit | Person) -> QuerySet[Proposal]:
    key = {type(subject).__name__.lower(): subject}
    return Proposal.objects.filter(**key).select_related("award_type").order_by("-year", "-pk")


@dataclass
class Statistics:
    """Counts of awards per title or form and year (columns: years, oldest first)."""

    years: list[int]
    rows: list[tuple[AwardType, list[int], int]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.totals)


def statistics(awards_: QuerySet[Award], years: Iterable[int] | None = None) -> Statistics:
    """The awards given, counted per title or form (in catalogue order, by level) and per year."""
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in awards_.order_by().values("award_type_id", "year").annotate(n=Count("pk")):
        counts[row["award_type_id"]][row["year"]] = row["n"]
    wanted = sorted(set(years) if years is not None else {y for by in counts.values() for y in by})
    table = Statistics(years=wanted)
    kinds = AwardType.objects.filter(pk__in=list(counts))
    for kind in sorted(kinds, key=lambda k: (Level(k.level).rank, k.position)):
        cells = [counts[kind.pk].get(year, 0) for year in wanted]
        if any(cells):
            table.rows.append((kind, cells, sum(cells)))
    table.totals = [sum(row[1][i] for row in table.rows) for i in range(len(wanted))]
    return table
