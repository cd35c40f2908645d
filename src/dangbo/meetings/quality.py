"""Meeting quality (a selector): each party cell's figures for a period, the roll-ups of the
committees above the cells, and each member's attendance with the absence flags.

Reads only, scoped by MEETING_REPORT. The rules decide (`rules.meetings`: `validity` of each
meeting, `quality` of a cell's period, `shortfalls`, `absence_flags`); this module gathers the rows
they judge. A period is judged month by month once each month is over (a month still running, or
one in which the cell was dissolved, is left out: its meetings count with the next report), with the
rule set in force on the last day judged. The query count does not grow with the number of cells:
the organisations in one query, the meetings with their attendance counted per meeting in another
(grouped in SQL), and `quality()` per cell in Python — the rule needs each meeting's validity.
Organisations keep no founding date, so a cell's months start with the period (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.paths import path_ids
from dangbo.core.scoping import allowed, has_any, scope
from dangbo.meetings.models import Attendee, Meeting
from dangbo.orgs.models import Organisation
from dangbo.rules import meetings as rules
from dangbo.rules.meetings import CELL_KINDS, MeetingKind, Presence, Quality, Shortfall
from dangbo.rules.orgs import CELL_KINDS as CELL_ORG_KINDS
from dangbo.rules.roles import Perm

# The first year whose every day has a meeting rule set in force.
FIRST_YEAR = min(r.effective_from for r in rules.MEETING_RULES).year + 1


# --- The period ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def first(self) -> dt.date:
        if self.month:
            return dt.date(self.year, self.month, 1)
        if self.quarter:
            return dt.date(self.year, 3 * self.quarter - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        if self.month:
            return rules.last_day_of_month(self.year, self.month)
        if self.quarter:
            return rules.last_day_of_quarter(self.year, self.quarter)
        return dt.date(self.year, 12, 31)

    def judged_until(self, today: dt.date, dissolved_on: dt.date | None = None) -> dt.date:
        """The last day judged: the end of the last month that is over on `today` (and that the cell
        lived through, when it was dissolved), within the period. Before `first` when none is."""
        until = min(self.last, today.replace(day=1) - dt.timedelta(days=1))
        if dissolved_on is not None:
            until = min(until, dissolved_on.replace(day=1) - dt.timedelta(days=1))
        return until


def _whole_number(value: str | None, low: int, high: int) -> int | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 4 or not low <= int(value) <= high:
        raise ValueError(value)
    return int(value)


def parse_period(
    year: str | None,
    quarter: str | None = None,
    month: str | None = None,
    *,
    today: dt.date,
    names: tuple[str, str, str] = ("year", "quarter", "month"),
) -> Period:
    """The period asked for in a query string (`names`: the parameters' names there); the current
    year when none is given. Raises ValidationError naming the parameter that is wrong."""
    year_name, quarter_name, month_name = names
    try:
        number = _whole_number(year, FIRST_YEAR, today.year)
    except ValueError:
        raise ValidationError(
            {
                year_name: _("Write a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": today.year}
            }
        ) from None
    try:
        chosen_quarter = _whole_number(quarter, 1, 4)
    except ValueError:
        raise ValidationError({quarter_name: _("Choose a quarter from 1 to 4.")}) from None
    try:
        chosen_month = _whole_number(month, 1, 12)
    except ValueError:
        raise ValidationError({month_name: _("Choose a month from 1 to 12.")}) from None
    if chosen_quarter and chosen_month:
        raise ValidationError({month_name: _("Choose a quarter or a month, not both.")})
    return Period(number or today.year, chosen_quarter, chosen_month)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal (half up), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Per organisation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterMark:
    year: int
    quarter: int
    thematic: bool  # a valid thematic meeting was held in it


@dataclass(frozen=True)
class QualityRow:
    """One organisation's figures: a cell's own, or a committee's summed over the cells below it."""

    organisation: Organisation
    depth: int  # among the rows shown: 0 for the top ones
    is_cell: bool
    figures: Quality
    cancelled: int
    sealed: int  # meetings held whose minutes are signed and sealed
    cells: int
    cells_up_to_standard: int
    shortfalls: frozenset[Shortfall]
    quarters: tuple[QuarterMark, ...] = ()  # a cell's whole quarters in the period, in order

    @property
    def judged(self) -> bool:
        """At least one month of the period is over (and the cell lived through it)."""
        return self.figures.months > 0

    @property
    def regular(self) -> int:
        return self.figures.meetings - self.figures.thematic

    @property
    def attendance_percent(self) -> Decimal | None:
        return percent(self.figures.present, self.figures.summoned)

    @property
    def up_to_standard(self) -> bool | None:
        """The rule's verdict on a cell; on a committee, whether every cell below it meets the
        standard. None while nothing can be judged."""
        if not self.judged:
            return None
        return not self.shortfalls if self.is_cell else self.cells_up_to_standard == self.cells

    @property
    def ordered_shortfalls(self) -> list[Shortfall]:
        return [s for s in Shortfall if s in self.shortfalls]


@dataclass(frozen=True)
class QualityTable:
    period: Period
    today: dt.date
    until: dt.date
    rules: rules.MeetingRules
    rows: list[QualityRow]
    within: Organisation | None = None


def cells_visible(user: Any) -> QuerySet[Organisation]:
    return scope(Organisation.objects.filter(kind__in=CELL_ORG_KINDS), user, Perm.MEETING_REPORT)


def organisations_visible(user: Any) -> QuerySet[Organisation]:
    return scope(Organisation.objects.all(), user, Perm.MEETING_REPORT)


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments from the start of `first` to the start of the day after `last`, local time."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


def _validity(kind: MeetingKind, summoned: int, present: int, unrecorded: int, on: dt.date) -> rules.Validity:
    """`rules.validity` of a meeting from its counts of members summoned (less the exempt who stayed
    away), present and not yet recorded: the rule reads nothing else of its attendees."""
    absent = summoned - present - unrecorded
    attendees = (
        [rules.Attendee(Presence.PRESENT)] * present
        + [rules.Attendee(Presence.INVITED)] * unrecorded
        + [rules.Attendee(Presence.EXCUSED)] * absent
    )
    return rules.validity(kind, attendees, rules.meeting_rules(on))


@dataclass(frozen=True)
class _Meeting:
    organisation_id: int
    on: dt.date
    sealed: bool
    held: rules.HeldMeeting | None  # None: cancelled


def _meetings(user: Any, first: dt.date, until: dt.date, within: Organisation | None) -> list[_Meeting]:
    """The cell meetings held or cancelled in the period, with attendance counted in SQL (one row
    per meeting, one query)."""
    start, end = _bounds(first, until)
    counted = Q(attendees__counted=True)
    qs = scope(Meeting.objects.all(), user, Perm.MEETING_REPORT).filter(
        kind__in=[k.value for k in CELL_KINDS],
        status__in=[Meeting.Status.HELD, Meeting.Status.CANCELLED],
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if within is not None:
        qs = qs.filter(org_path__within=within.path)
    rows = (
        qs.values("pk", "organisation_id", "kind", "status", "starts_at", "invited_at", "minutes__sealed_at")
        .annotate(
            summoned=Count("attendees", filter=counted & ~Q(attendees__presence=Presence.EXEMPT)),
            present=Count("attendees", filter=counted & Q(attendees__presence=Presence.PRESENT)),
            unrecorded=Count("attendees", filter=counted & Q(attendees__presence=Presence.INVITED)),
        )
        .order_by()
    )
    found = []
    for row in rows:
        on = _day(row["starts_at"])
        held = None
        if row["status"] == Meeting.Status.HELD:
            kind = MeetingKind(row["kind"])
            validity = _validity(kind, row["summoned"], row["present"], row["unrecorded"], on)
            sent = row["invited_at"]
            held = rules.HeldMeeting(
                on=on,
                kind=kind,
                summoned=validity.summoned,
                present=validity.present,
                valid=validity.valid,
                documents_on_time=None
                if sent is None
                else rules.documents_on_time(_day(sent), on, rules.meeting_rules(on)),
            )
        found.append(_Meeting(row["organisation_id"], on, row["minutes__sealed_at"] is not None, held))
    return found


def _quarters(first: dt.date, until: dt.date, missing: Iterable[tuple[int, int]]) -> tuple[QuarterMark, ...]:
    """The quarters judged (whole quarters of the period), each with or without its thematic meeting."""
    lacking = set(missing)
    return tuple(
        QuarterMark(y, n, thematic=(y, n) not in lacking) for y, n in rules.whole_quarters(first, until)
    )


def _sum(figures: Iterable[Quality]) -> Quality:
    """Field by field: the counts added, the missing months and quarters put together."""
    qualities = list(figures)
    if not qualities:
        return Quality(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    values: dict[str, Any] = {}
    for f in fields(Quality):
        parts = [getattr(q, f.name) for q in qualities]
        values[f.name] = tuple(chain.from_iterable(parts)) if isinstance(parts[0], tuple) else sum(parts)
    return Quality(**values)


@dataclass
class _Cell:
    figures: Quality
    cancelled: int
    sealed: int
    shortfalls: frozenset[Shortfall]
    quarters: tuple[QuarterMark, ...]

    @property
    def up_to_standard(self) -> bool:
        return self.figures.months > 0 and not self.shortfalls


def _cell(cell: Organisation, meetings: list[_Meeting], period: Period, today: dt.date) -> _Cell:
    until = period.judged_until(today, cell.dissolved_on)
    first = period.first
    rule_set = rules.meeting_rules(max(first, min(until, period.last)))
    inside = [m for m in meetings if first <= m.on <= until]
    held = [m.held for m in inside if m.held is not None]
    figures = rules.quality(held, first, until, rule_set)
    return _Cell(
        figures=figures,
        cancelled=sum(1 for m in inside if m.held is None),
        sealed=sum(1 for m in inside if m.held is not None and m.sealed),
        shortfalls=rules.shortfalls(figures, rule_set, today),
        quarters=_quarters(first, until, figures.missing_quarters),
    )


def quality_table(
    user: Any, period: Period, today: dt.date, within: Organisation | None = None
) -> QualityTable:
    """The figures of every cell the user may report on (within `within`'s subtree if given) and the
    roll-up of every committee above them, in tree order (siblings by name). Three queries, however
    many cells: the user's roles (cached per request), the organisations, the meetings."""
    if not has_any(user, Perm.MEETING_REPORT):
        raise PermissionDenied
    until = period.judged_until(today)
    rule_set = rules.meeting_rules(max(period.first, min(until, period.last)))
    organisations = organisations_visible(user).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.first)
    )
    if within is not None:
        organisations = organisations.filter(path__within=within.path)
    by_id = {
        o.pk: o
        for o in organisations.only("pk", "name", "short_name", "kind", "path", "sort_key", "dissolved_on")
    }
    meetings: dict[int, list[_Meeting]] = defaultdict(list)
    if until >= period.first:
        for meeting in _meetings(user, period.first, until, within):
            meetings[meeting.organisation_id].append(meeting)
    cells = {pk: _cell(o, meetings[pk], period, today) for pk, o in by_id.items() if o.kind in CELL_ORG_KINDS}
    # Every visible organisation above a cell gets the cells of its subtree.
    below: dict[int, list[int]] = defaultdict(list)
    for pk in cells:
        for ancestor in path_ids(by_id[pk].path)[:-1]:
            if ancestor in by_id:
                below[ancestor].append(pk)
    shown = set(cells) | set(below)
    keyed = []
    for pk in shown:
        organisation = by_id[pk]
        ancestors = [by_id[a] for a in path_ids(organisation.path)[:-1] if a in shown]
        counted = [cells[pk]] if pk in cells else [cells[c] for c in below[pk]]
        figures = cells[pk].figures if pk in cells else _sum(c.figures for c in counted)
        row = QualityRow(
            organisation=organisation,
            depth=len(ancestors),
            is_cell=pk in cells,
            figures=figures,
            cancelled=sum(c.cancelled for c in counted),
            sealed=sum(c.sealed for c in counted),
            cells=len(counted),
            cells_up_to_standard=sum(1 for c in counted if c.up_to_standard),
            shortfalls=cells[pk].shortfalls if pk in cells else rules.shortfalls(figures, rule_set, today),
            quarters=cells[pk].quarters if pk in cells else (),
        )
        keyed.append(((*((a.sort_key, a.pk) for a in ancestors), (organisation.sort_key, pk)), row))
    keyed.sort(key=lambda pair: pair[0])
    return QualityTable(period, today, until, rule_set, [row for _key, row in keyed], within)


# --- Per member of one cell ----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberAttendance:
    person_id: int
    name: str
    summoned: int
    present: int
    excused: int
    unexcused: int
    exempt: int
    unrecorded: int
    flags: rules.AbsenceFlags

    @property
    def attendance_percent(self) -> Decimal | None:
        """Present over the meetings the member was summoned to and counted at (not exempt)."""
        return percent(self.present, self.summoned - self.exempt)


@dataclass(frozen=True)
class CellAttendance:
    cell: Organisation
    period: Period
    today: dt.date
    until: dt.date
    rules: rules.MeetingRules
    members: list[MemberAttendance]

    @property
    def flagged(self) -> list[MemberAttendance]:
        return [m for m in self.members if m.flags.flagged]


def member_attendance(user: Any, cell: Organisation, period: Period, today: dt.date) -> CellAttendance:
    """Each member summoned to the cell's meetings held in the period: how often present, absent
    with or without a reason, exempt; and the flags of `rules.absence_flags` over the period's year
    up to the last day judged. Names in Vietnamese order (given name first). One query."""
    if not allowed(user, Perm.MEETING_REPORT, cell):
        raise PermissionDenied
    until = period.judged_until(today, cell.dissolved_on)
    rule_set = rules.meeting_rules(max(period.first, min(until, period.last)))
    year_start = dt.date(period.year, 1, 1)
    records: dict[int, list[rules.Absence]] = defaultdict(list)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, tuple[str, str]] = {}
    if until >= period.first:
        start, end = _bounds(year_start, until)
        rows = Attendee.objects.filter(
            meeting__organisation=cell,
            meeting__kind__in=[k.value for k in CELL_KINDS],
            meeting__status=Meeting.Status.HELD,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
            counted=True,
            person__isnull=False,
        ).values_list("person_id", "person__full_name", "person__sort_key", "presence", "meeting__starts_at")
        for person_id, name, sort_key, presence, starts_at in rows:
            on = _day(starts_at)
            records[person_id].append(rules.Absence(on, Presence(presence)))
            if on >= period.first:
                counts[person_id][presence] += 1
                names[person_id] = (sort_key, name)
    members = [
        MemberAttendance(
            person_id=pk,
            name=names[pk][1],
            summoned=sum(counts[pk].values()),
            present=counts[pk].get(Presence.PRESENT, 0),
            excused=counts[pk].get(Presence.EXCUSED, 0),
            unexcused=counts[pk].get(Presence.UNEXCUSED, 0),
            exempt=counts[pk].get(Presence.EXEMPT, 0),
            unrecorded=counts[pk].get(Presence.INVITED, 0),
            flags=rules.absence_flags(records[pk], period.year, rule_set),
        )
        for pk in sorted(names, key=lambda pk: (names[pk][0], pk))
    ]
    return CellAttendance(cell, period, today, until, rule_set, members)
