"""Party membership: admission age, probation, party age, badges and their awards.

Pure Python. Sources (../shared/docs/rules.md §1–2): Điều lệ Đảng with Quy định 294-QĐ/TW of
26/5/2025 (in force 01/7/2025) and Hướng dẫn 06-HD/TW of 09/6/2025 (before: 232-QĐ/TW of
20/01/2025, 24-QĐ/TW of 30/7/2021); party age and badges: Hướng dẫn 01-HD/TW of 28/9/2021 item 18,
Hướng dẫn 12-HD/BTCTW of 2022 (form 6-HHD); cash awards: Hướng dẫn 56-HD/VPTW of 2015.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from dangbo.rules.ruleset import in_force

Gap = tuple[dt.date, dt.date]  # half-open: (first day outside the Party, day back)

BADGE_MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)

# Members are registered in a party cell: a grassroots cell or a subordinate cell (OrgKind codes).
CELL_KINDS_FOR_MEMBERS = frozenset({"grassroots_cell", "cell"})


# --- Calendar helpers ----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (or earlier); a day the target month lacks becomes its last day,
    so 29 February plus a year is 28 February in a non-leap year."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_working_days(day: dt.date, count: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The `count`-th working day (Monday–Friday, not a holiday) after `day`."""
    off = set(holidays)
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            count -= 1
    return current


def full_months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


# --- Rule sets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipRules:
    regulation: str
    effective_from: dt.date
    min_admission_age_months: int = 18 * 12
    max_admission_age_months: int = 60 * 12  # older: only with the provincial-level committee's approval
    ceremony_within_working_days: int = 30
    probation_months: int = 12
    full_membership_review_working_days: int = 30
    probation_reminder_days: tuple[int, ...] = (90, 60, 30, 15, 7)
    readmissions_allowed: int = 1


MEMBERSHIP_RULES: tuple[MembershipRules, ...] = (
    # ⚠ Records reach back decades; events before 2011 are replayed with the figures the Charter has
    # kept since (12 months' probation, one readmission). Earlier charters varied; not verified here.
    MembershipRules("Điều lệ Đảng (sự kiện trước 2011: số liệu hiện hành)", dt.date(1930, 2, 3)),
    MembershipRules("Điều lệ Đảng khóa XI ngày 19/01/2011", dt.date(2011, 1, 19)),
    MembershipRules("Quy định 24-QĐ/TW ngày 30/7/2021", dt.date(2021, 7, 30)),
    MembershipRules("Quy định 232-QĐ/TW ngày 20/01/2025", dt.date(2025, 1, 20)),
    MembershipRules("Quy định 294-QĐ/TW ngày 26/5/2025", dt.date(2025, 7, 1)),
)


@dataclass(frozen=True)
class BadgeRules:
    regulation: str
    effective_from: dt.date
    milestones: tuple[int, ...] = BADGE_MILESTONES
    # Seriously ill members: how many months early, by milestone range (inclusive).
    early_if_ill: tuple[tuple[int, int, int], ...] = ((30, 65, 12), (70, 90, 24))
    posthumous_early_months: int = 12
    # Months after a discipline decision before a badge may be awarded again.
    wait_after_discipline: Mapping[str, int] = field(
        default_factory=lambda: {"khien_trach": 6, "canh_cao": 9, "cach_chuc": 12}
    )
    ceremony_days: tuple[tuple[int, int], ...] = ((3, 2), (19, 5), (2, 9), (7, 11))  # (day, month)
    # Cash award in multiples of the base salary (56-HD/VPTW 2015); None where not confirmed (⚠).
    cash_multiples: Mapping[int, Decimal | None] = field(
        default_factory=lambda: {
            30: Decimal("1.5"),
            40: Decimal("2"),
            45: None,
            50: Decimal("3"),
            55: Decimal("3.5"),
            60: Decimal("5"),
            65: Decimal("6"),
            70: Decimal("8"),
            75: Decimal("10"),
            80: Decimal("15"),
            85: None,
            90: None,
        }
    )


BADGE_RULES: tuple[BadgeRules, ...] = (
    BadgeRules("Hướng dẫn 01-HD/TW ngày 28/9/2021, mục 18", dt.date(2021, 9, 28)),
)


def membership_rules(on: dt.date) -> MembershipRules:
    return in_force(MEMBERSHIP_RULES, on)


def badge_rules(on: dt.date) -> BadgeRules:
    return in_force(BADGE_RULES, on)


# --- Admission and probation ---------------------------------------------------------------------


@dataclass(frozen=True)
class AdmissionAge:
    months: int
    allowed: bool
    needs_higher_approval: bool


def admission_age(birth_date: dt.date, vote_date: dt.date) -> AdmissionAge:
    """Age at the chi bộ vote, counted in months: 18–60 years; older only with higher approval."""
    rules = membership_rules(vote_date)
    months = full_months_between(birth_date, vote_date)
    if months < rules.min_admission_age_months:
        return AdmissionAge(months, allowed=False, needs_higher_approval=False)
    over = months > rules.max_admission_age_months
    return AdmissionAge(months, allowed=True, needs_higher_approval=over)


def ceremony_deadline(decision_received_on: dt.date, holidays: Iterable[dt.date] = ()) -> dt.date:
    rules = membership_rules(decision_received_on)
    return add_working_days(decision_received_on, rules.ceremony_within_working_days, holidays)


def probation_end(ceremony_on: dt.date) -> dt.date:
    """Full membership is dated here — the end of the 12 months — even if the chi bộ meets later."""
    return add_months(ceremony_on, membership_rules(ceremony_on).probation_months)


def full_membership_review_deadline(ceremony_on: dt.date, holidays: Iterable[dt.date] = ()) -> dt.date:
    rules = membership_rules(ceremony_on)
    return add_working_days(probation_end(ceremony_on), rules.full_membership_review_working_days, holidays)


def probation_reminders(ceremony_on: dt.date) -> list[tuple[int, dt.date]]:
    """(days before, date) of each reminder before probation ends, earliest first."""
    end = probation_end(ceremony_on)
    days = membership_rules(ceremony_on).probation_reminder_days
    return [(n, end - dt.timedelta(days=n)) for n in sorted(days, reverse=True)]


# --- Party age -----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PartyAge:
    years: int
    months: int
    days: int


def _merged(gaps: Sequence[Gap], admitted_on: dt.date) -> list[Gap]:
    ordered = sorted(gaps)
    for start, end in ordered:
        if end <= start:
            raise ValueError(f"a gap must end after it starts: {start} – {end}")
        if start < admitted_on:
            raise ValueError(f"a gap cannot start before admission: {start} < {admitted_on}")
    merged: list[Gap] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _gap_days(gaps: Sequence[Gap], admitted_on: dt.date, until: dt.date | None = None) -> int:
    total = 0
    for start, end in _merged(gaps, admitted_on):
        if until is not None:
            end = min(end, until)
        total += max(0, (end - start).days)
    return total


def party_age(admitted_on: dt.date, on: dt.date, gaps: Sequence[Gap] = ()) -> PartyAge:
    """Calendar difference between `on` and the admission date moved later by the days spent
    outside the Party before `on` (expulsion, removal, lost contact, gaps between transfers)."""
    if on < admitted_on:
        raise ValueError("party age is counted from the admission date")
    start = admitted_on + dt.timedelta(days=_gap_days(gaps, admitted_on, until=on))
    if on <= start:
        return PartyAge(0, 0, 0)
    months = full_months_between(start, on)
    days = (on - add_months(start, months)).days
    return PartyAge(months // 12, months % 12, days)


# --- Badges --------------------------------------------------------------------------------------


def badge_date(
    admitted_on: dt.date, years: int, gaps: Sequence[Gap] = (), *, seriously_ill: bool = False
) -> dt.date:
    """The earliest date the badge for `years` of party age may be awarded."""
    rules = badge_rules(dt.date.max)  # the award lies ahead: judge it by the newest rule set
    if years not in rules.milestones:
        raise ValueError(f"{years} is not a badge milestone {rules.milestones}")
    start = admitted_on + dt.timedelta(days=_gap_days(gaps, admitted_on))
    due = add_months(start, 12 * years)
    if seriously_ill:
        early = next(months for low, high, months in rules.early_if_ill if low <= years <= high)
        due = add_months(due, -early)
    return due


def next_milestone(age: PartyAge) -> int | None:
    return next((m for m in BADGE_MILESTONES if m > age.years), None)


def badge_allowed_after_discipline(form: str, decided_on: dt.date, on: dt.date) -> bool:
    """Not while under discipline; again 6 / 9 / 12 months after khiển trách / cảnh cáo / cách chức."""
    waits = badge_rules(on).wait_after_discipline
    if form not in waits:
        raise ValueError(f"unknown discipline form for badges: {form}")
    return on >= add_months(decided_on, waits[form])


def ceremony_dates(year: int, on: dt.date | None = None) -> list[dt.date]:
    """The badge ceremony days of a year: 3/2, 19/5, 2/9 and 7/11."""
    rules = badge_rules(on or dt.date(year, 1, 1))
    return sorted(dt.date(year, month, day) for day, month in rules.ceremony_days)


def next_ceremony(on: dt.date) -> dt.date:
    return next(d for d in ceremony_dates(on.year) + ceremony_dates(on.year + 1) if d >= on)


def previous_ceremony(on: dt.date) -> dt.date:
    """The ceremony day before `on` (a badge due after it and by `on` is awarded at `on`)."""
    return max(d for d in ceremony_dates(on.year - 1) + ceremony_dates(on.year) if d < on)


def badge_cash_multiple(years: int, on: dt.date) -> Decimal | None:
    """Multiples of the base salary awarded with the badge; None where the figure is not confirmed."""
    rules = badge_rules(on)
    if years not in rules.milestones:
        raise ValueError(f"{years} is not a badge milestone")
    return rules.cash_multiples.get(years)


# --- Lifecycle -----------------------------------------------------------------------------------


class EventKind(StrEnum):
    ADMITTED = "admitted"  # kết nạp (the admission decision; its date starts party age)
    FULL_MEMBER = "full_member"  # công nhận đảng viên chính thức
    TRANSFER_OUT = "transfer_out"  # chuyển sinh hoạt đi
    TRANSFER_IN = "transfer_in"  # chuyển sinh hoạt đến
    REMOVED = "removed"  # xóa tên
    EXPELLED = "expelled"  # khai trừ
    DIED = "died"  # từ trần
    READMITTED = "readmitted"  # kết nạp lại


class Status(StrEnum):
    PROBATIONARY = "probationary"
    FULL = "full"
    TRANSFERRED_OUT = "transferred_out"
    REMOVED = "removed"
    EXPELLED = "expelled"
    DECEASED = "deceased"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    on: dt.date
    official: bool = True  # transfers: official (chính thức) or temporary (tạm thời)


# status before (None: not yet a member) → events that may follow
TRANSITIONS: dict[Status | None, frozenset[EventKind]] = {
    None: frozenset({EventKind.ADMITTED}),
    Status.PROBATIONARY: frozenset(
        {EventKind.FULL_MEMBER, EventKind.TRANSFER_OUT, EventKind.REMOVED, EventKind.EXPELLED, EventKind.DIED}
    ),
    Status.FULL: frozenset({EventKind.TRANSFER_OUT, EventKind.REMOVED, EventKind.EXPELLED, EventKind.DIED}),
    Status.TRANSFERRED_OUT: frozenset({EventKind.TRANSFER_IN, EventKind.DIED}),
    Status.REMOVED: frozenset({EventKind.READMITTED}),
    Status.EXPELLED: frozenset({EventKind.READMITTED}),
    Status.DECEASED: frozenset(),
}


class LifecycleError(ValueError):
    """An impossible sequence of events; `code` names the reason for a translated message."""

    def __init__(self, code: str, event: Event, status: Status | None) -> None:
        super().__init__(f"{code}: {event.kind} on {event.on} after {status}")
        self.code, self.event, self.status = code, event, status


@dataclass(frozen=True)
class MemberState:
    status: Status | None = None
    admitted_on: dt.date | None = None  # first admission: party age counts from here
    probation_started_on: dt.date | None = None  # latest (re)admission
    full_on: dt.date | None = None
    gaps: tuple[Gap, ...] = ()
    readmissions: int = 0
    outside_since: dt.date | None = None  # open gap: removed, expelled or transferred out
    transferred_while: Status | None = None  # what the member was when transferred out
    left_on: dt.date | None = None
    last_on: dt.date | None = None  # date of the latest event: the next may not be earlier


def apply(state: MemberState, event: Event) -> MemberState:
    """The state after one more event, or LifecycleError when the sequence is impossible."""
    if event.kind not in TRANSITIONS[state.status]:
        raise LifecycleError("not_allowed", event, state.status)
    if state.last_on is not None and event.on < state.last_on:
        raise LifecycleError("before_previous", event, state.status)
    return replace(_next_state(state, event), last_on=event.on)


def _next_state(state: MemberState, event: Event) -> MemberState:
    kind = event.kind
    if kind is EventKind.ADMITTED:
        return MemberState(Status.PROBATIONARY, admitted_on=event.on, probation_started_on=event.on)
    if kind is EventKind.FULL_MEMBER:
        assert state.probation_started_on is not None
        if event.on < probation_end(state.probation_started_on):
            raise LifecycleError("probation_not_over", event, state.status)
        # Full membership is dated at the end of the 12 months, whenever the chi bộ decides.
        return replace(state, status=Status.FULL, full_on=probation_end(state.probation_started_on))
    if kind is EventKind.TRANSFER_OUT:
        return replace(
            state,
            status=Status.TRANSFERRED_OUT,
            transferred_while=state.status,
            outside_since=event.on if event.official else None,
            left_on=event.on,
        )
    if kind is EventKind.TRANSFER_IN:
        return replace(
            state,
            status=state.transferred_while,
            transferred_while=None,
            outside_since=None,
            gaps=_closed_gaps(state, event.on),
            left_on=None,
        )
    if kind in (EventKind.REMOVED, EventKind.EXPELLED):
        status = Status.REMOVED if kind is EventKind.REMOVED else Status.EXPELLED
        return replace(state, status=status, outside_since=event.on, left_on=event.on)
    if kind is EventKind.READMITTED:
        rules = membership_rules(event.on)
        if state.readmissions >= rules.readmissions_allowed:
            raise LifecycleError("readmitted_already", event, state.status)
        gaps = _closed_gaps(state, event.on)
        return replace(
            state,
            status=Status.PROBATIONARY,
            probation_started_on=event.on,
            full_on=None,
            gaps=gaps,
            readmissions=state.readmissions + 1,
            outside_since=None,
            left_on=None,
        )
    # DIED
    return replace(state, status=Status.DECEASED, left_on=event.on)


def replay(events: Iterable[Event]) -> MemberState:
    """The state after a member's events in date order (raises on the first impossible one)."""
    state = MemberState()
    for event in events:
        state = apply(state, event)
    return state


def _closed_gaps(state: MemberState, until: dt.date) -> tuple[Gap, ...]:
    """The member's gaps with the open one (if any) closed on `until`."""
    if state.outside_since is None or until <= state.outside_since:
        return state.gaps
    return (*state.gaps, (state.outside_since, until))


def current_party_age(state: MemberState, on: dt.date) -> PartyAge | None:
    """Party age on a date, counting an open gap (removed, expelled, transferred out) up to it;
    a deceased member's party age stops at death."""
    if state.admitted_on is None or on < state.admitted_on:
        return None
    if state.status is Status.DECEASED and state.left_on is not None:
        on = min(on, state.left_on)
    return party_age(state.admitted_on, on, _closed_gaps(state, on))
