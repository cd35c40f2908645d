"""Reads of member records, always through the scoping function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from dangbo.core.scoping import scope
from dangbo.members import counts
from dangbo.members.counts import AGE_BANDS, PARTY_AGE_BANDS, Statistics
from dangbo.members.models import BadgeAward, MemberEvent, PartyMember
from dangbo.orgs import names
from dangbo.orgs.models import Organisation
from dangbo.rules import membership
from dangbo.rules.membership import PartyAge
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold

ACTIVE = (membership.Status.PROBATIONARY, membership.Status.FULL)
ORDER = ("person__sort_key", "person_id")  # Vietnamese order of given names; served by person_sort_key_idx


def members_visible(user: Any) -> QuerySet[PartyMember]:
    return scope(PartyMember.objects.select_related("person", "organisation"), user, Perm.PERSON_VIEW)


def register(
    user: Any, organisation: Organisation, *, query: str = "", status: str = ""
) -> QuerySet[PartyMember]:
    """The 7-HSĐV register of a subtree, in Vietnamese order of given names; every word must match."""
    qs = _subtree(user, organisation, status)
    for word in fold(query).split():
        qs = qs.filter(person__search_text__contains=word)
    return qs.order_by("person__sort_key", "person_id")


def _subtree(user: Any, organisation: Organisation, status: str) -> QuerySet[PartyMember]:
    qs = members_visible(user).filter(org_path__within=organisation.path)
    return qs.filter(status=status) if status else qs


SEARCH_COUNT_CAP = 1000  # a search counts its matches up to here; past it, "more than 1.000"
SCAN_UP_TO = 500_000  # a register this large is searched row by row (its path's range of member rows)
NAME_CAP = 2000  # past this many matching names, a search is dense: the people's own index finds it


@dataclass(frozen=True)
class Register:
    """The register's rows for a paginator, at any size.

    The count comes from the kept counts when nothing is searched (no COUNT over millions of rows),
    else matches are counted up to SEARCH_COUNT_CAP. A page is read in two steps: the ids of its rows
    (only the name index and the member's path: on PostgreSQL an index-only walk of the name order,
    the folded name tested inside the index), then those rows with everything the page shows."""

    ids: QuerySet[PartyMember]
    rows: QuerySet[PartyMember]
    total: int
    capped: bool = False

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list[PartyMember]:
        page = list(self.ids.values_list("pk", flat=True)[item])
        return list(self.rows.filter(pk__in=page).order_by(*ORDER))


def register_for_page(
    user: Any, organisation: Organisation, *, query: str = "", status: str = ""
) -> Register:
    ids, rows = register(user, organisation, query=query, status=status), members_visible(user)
    words = fold(query).split()
    size = counts.members_in(user, organisation, status)
    if not words:
        return Register(ids, rows, size)
    # First the matches, in no order, up to the cap. A register up to a province's size is read
    # row by row: its member rows lie together along the path index and carry the folded name, so
    # no person is visited (≈ 25 ms for 90,000 members). A larger one goes through the names that
    # match: a national register has ≈ 1 distinct name per 7 people, so words that are common apart
    # but rare together ("le hoang") test 7× fewer candidates, and the people of the few matching
    # names come by their sort key; words matching very many names are dense, and the walk of the
    # name order below finds a page of them fast.
    if size <= SCAN_UP_TO:
        candidates = _subtree(user, organisation, status).order_by()
        for word in words:
            candidates = candidates.filter(search_text__contains=word)
    else:
        candidates = ids.order_by()
        keys = names.matching(words, NAME_CAP + 1)
        if len(keys) <= NAME_CAP:
            candidates = candidates.filter(person__sort_key__in=keys)
    found = list(candidates.values_list("pk", flat=True)[: SEARCH_COUNT_CAP + 1])
    # Few: the page reads just those. Many: walking the name order finds a page of them quickly —
    # whereas for few or none that walk would cross the whole register.
    if len(found) > SEARCH_COUNT_CAP:
        return Register(ids, rows, SEARCH_COUNT_CAP, capped=True)
    return Register(rows.filter(pk__in=found).order_by(*ORDER), rows, len(found))


def timeline(member: PartyMember) -> list[MemberEvent]:
    return list(member.events.order_by("on", "pk"))


@dataclass(frozen=True)
class BadgeCandidate:
    member: PartyMember
    years: int
    due_on: dt.date
    party_age: PartyAge

    @property
    def key(self) -> str:
        """The value of its box on the ceremony's list: "member:years"."""
        return f"{self.member.pk}:{self.years}"


def _state(member: PartyMember) -> membership.MemberState:
    return membership.replay(
        membership.Event(membership.EventKind(e.kind), e.on, e.official) for e in member.events.all()
    )


def badge_candidates(user: Any, organisation: Organisation, ceremony_on: dt.date) -> BadgeList:
    """Active members whose badge falls due after the previous ceremony and by this one, the
    highest milestone first, then in Vietnamese name order; a list the paginator reads page by page.

    An active member's badge falls due `years` after `party_age_from` (the admission date moved
    later by the days outside the Party), so each milestone is one exact range of
    `member_party_age_idx`: the database selects, counts, orders and pages the list, and only the
    rows of a page are replayed from their events (for the due date and the party age shown). A
    national register's ceremony lists ≈ 95,000 members; a page of them costs the same as a cell's.
    Members under discipline will be excluded once discipline records exist (issue 7).
    """
    return BadgeList(_badge_queryset(user, organisation, ceremony_on), ceremony_on)


def _last_start(day: dt.date, years: int) -> dt.date:
    """The latest party-age start whose `years` badge falls due by `day` (29 February: see add_months)."""
    start = membership.add_months(day, -12 * years)
    while membership.add_months(start + dt.timedelta(days=1), 12 * years) <= day:
        start += dt.timedelta(days=1)
    return start


def _badge_queryset(user: Any, organisation: Organisation, ceremony_on: dt.date) -> QuerySet[PartyMember]:
    previous = membership.previous_ceremony(ceremony_on)
    windows, milestone = Q(), []
    for years in membership.BADGE_MILESTONES:
        window = Q(
            party_age_from__gt=_last_start(previous, years),
            party_age_from__lte=_last_start(ceremony_on, years),
        )
        windows |= window
        milestone.append(When(window, then=Value(years)))
    return (
        members_visible(user)
        .filter(windows, org_path__within=organisation.path, status__in=ACTIVE)
        .annotate(badge_years=Case(*milestone, output_field=IntegerField()))
        # a badge recorded as given is not due again
        .exclude(Exists(BadgeAward.objects.filter(member=OuterRef("pk"), years=OuterRef("badge_years"))))
        .order_by("-badge_years", "person__sort_key", "person_id")
    )


def badges_awarded(
    user: Any, organisation: Organisation, awarded_on: dt.date | None = None
) -> QuerySet[BadgeAward]:
    """Badges recorded as given to members of a subtree (at one ceremony, or all), in name order."""
    qs = scope(BadgeAward.objects.all(), user, Perm.PERSON_VIEW).filter(
        member__org_path__within=organisation.path
    )
    if awarded_on is not None:
        qs = qs.filter(awarded_on=awarded_on)
    return qs.select_related("member__person", "member__organisation").order_by(
        "-years", "member__person__sort_key", "pk"
    )


@dataclass(frozen=True)
class BadgeList:
    """The members due a badge, for a paginator: counted and sliced by the database."""

    members: QuerySet[PartyMember]
    ceremony_on: dt.date

    def count(self) -> int:
        return self.members.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[BadgeCandidate]:
        return iter(self[0 : self.count()])

    def __getitem__(self, item: slice) -> list[BadgeCandidate]:
        rows = self.members[item].prefetch_related(
            Prefetch("events", queryset=MemberEvent.objects.order_by("on", "pk"))
        )
        found = []
        for member in rows:
            state = _state(member)
            assert state.admitted_on is not None
            years: int = getattr(member, "badge_years")  # noqa: B009 (annotated by the query)
            age = membership.current_party_age(state, self.ceremony_on)
            assert age is not None
            found.append(
                BadgeCandidate(
                    member, years, membership.badge_date(state.admitted_on, years, state.gaps), age
                )
            )
        return found


@dataclass(frozen=True)
class ProbationDue:
    member: PartyMember
    ends_on: dt.date
    days_left: int
    reminder: int  # the reminder stage reached: 90, 60, 30, 15 or 7 days before the end


def probation_due(user: Any, organisation: Organisation, today: dt.date) -> list[ProbationDue]:
    """Probationary members whose 12 months end within the first reminder window (90 days)."""
    window = max(membership.membership_rules(today).probation_reminder_days)
    earliest_start = membership.add_months(today, -12) - dt.timedelta(days=1)
    latest_start = membership.add_months(today + dt.timedelta(days=window), -12) + dt.timedelta(days=1)
    qs = members_visible(user).filter(
        org_path__within=organisation.path,
        status=membership.Status.PROBATIONARY,
        probation_started_on__range=(earliest_start, latest_start),
    )
    due = []
    for member in qs:
        assert member.probation_started_on is not None
        ends = membership.probation_end(member.probation_started_on)
        left = (ends - today).days
        if 0 <= left <= window:
            stage = min(
                n for n, _ in membership.probation_reminders(member.probation_started_on) if n >= left
            )
            due.append(ProbationDue(member, ends, left, stage))
    return sorted(due, key=lambda d: (d.ends_on, d.member.person.sort_key))


STAT_DIMENSIONS = ("status", *list(counts.COLUMNS)[1:])


def _band_case(field: str, bands: tuple[tuple[int, int], ...], on: dt.date) -> Case:
    """Which band of whole years before `on` a date field falls in, as the band's lower bound."""
    whens = [
        When(
            **{
                f"{field}__gt": membership.add_months(on, -12 * high),
                f"{field}__lte": membership.add_months(on, -12 * low),
            },
            then=Value(low),
        )
        for low, high in bands
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def statistics(user: Any, organisation: Organisation, on: dt.date) -> Statistics:
    """Counts of a subtree's members in activity by every dimension: from the kept counts for today,
    counted live for another day."""
    if on == timezone.localdate():
        return counts.read(user, organisation, on)
    return statistics_live(user, organisation, on)


def statistics_live(
    user: Any, organisation: Organisation, on: dt.date, *, active_only: bool = True
) -> Statistics:
    """The same figures from ONE grouped query over the members: the database returns the count of
    each combination, Python adds them up per dimension."""
    qs = members_visible(user).filter(org_path__within=organisation.path)
    if active_only:
        qs = qs.filter(status__in=ACTIVE)
    rows = (
        qs.annotate(
            gender=F("person__gender"),
            age_band=_band_case("person__birth_date", AGE_BANDS, on),
            party_age_band=_band_case("party_age_from", PARTY_AGE_BANDS, on),
        )
        .order_by()
        .values(*STAT_DIMENSIONS)
        .annotate(n=Count("pk"))
    )
    by: dict[str, dict[Any, int]] = {name: {} for name in STAT_DIMENSIONS}
    total = 0
    for row in rows:
        total += row["n"]
        for name in STAT_DIMENSIONS:
            by[name][row[name]] = by[name].get(row[name], 0) + row["n"]
    return Statistics(total, counts.ordered(by))
