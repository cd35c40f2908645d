"""Party meetings: whether a meeting is valid, what a show-of-hands vote needs, who is flagged for
missing meetings, and the meeting-quality figures a cell is judged on.

Pure Python. Sources (../shared/docs/rules.md §9): Điều lệ Đảng (2011) Điều 3 (probationary members
do not vote), Điều 4 k3 and 5 k2 (admission and full membership: two thirds of the full members),
Điều 8 k2 (removal), Điều 9 k5 (resolutions: more than half of the members), Điều 24 k2 (the cell
meets monthly); Quy định 24-QĐ/TW of 30/7/2021 mục 9.3 (who counts as "the members"); Hướng dẫn
12-HD/BTCTW of 06/7/2018 and 42-HD/BTCTW of 28/10/2025 on the quality of cell meetings. A figure
marked ⚠ in rules.md is a field of the rule set, never a literal in a view.

The numbers that decide are integers: "at least two thirds of 7" is 5 (⌈14/3⌉), "more than half
of 7" is 4 (⌊7/2⌋ + 1), computed with exact fractions, never floats.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from dangbo.rules.ruleset import in_force


class MeetingKind(StrEnum):
    CELL_REGULAR = "cell_regular"  # Sinh hoạt chi bộ thường kỳ
    CELL_THEMATIC = "cell_thematic"  # Sinh hoạt chi bộ chuyên đề
    COMMITTEE = "committee"  # Hội nghị Ban Chấp hành (cấp ủy)
    STANDING = "standing"  # Hội nghị Ban Thường vụ
    EXPANDED = "expanded"  # Hội nghị Ban Chấp hành mở rộng
    CONGRESS = "congress"  # Đại hội
    OTHER = "other"  # Hội nghị khác (học tập nghị quyết, sơ kết …)


# The kinds a party cell holds as its own activity (sinh hoạt chi bộ): counted in meeting quality.
CELL_KINDS = frozenset({MeetingKind.CELL_REGULAR, MeetingKind.CELL_THEMATIC})


class Presence(StrEnum):
    INVITED = "invited"  # not recorded yet
    PRESENT = "present"
    EXCUSED = "excused"  # vắng có lý do
    UNEXCUSED = "unexcused"  # vắng không có lý do
    EXEMPT = "exempt"  # miễn công tác và sinh hoạt đảng (not counted when absent)


ABSENT = frozenset({Presence.EXCUSED, Presence.UNEXCUSED})


class VoteRule(StrEnum):
    MAJORITY = "majority"  # hơn một nửa
    TWO_THIRDS = "two_thirds"  # ít nhất hai phần ba


class VoteMatter(StrEnum):
    """What a show of hands decides; the rule set says which majority each needs."""

    RESOLUTION = "resolution"  # nghị quyết, kết luận, chủ trương (Điều lệ Điều 9 k5)
    ADMISSION = "admission"  # đề nghị kết nạp đảng viên (Điều 4 k3)
    FULL_MEMBERSHIP = "full_membership"  # đề nghị công nhận đảng viên chính thức (Điều 5 k2)
    REMOVAL = "removal"  # đề nghị xóa tên (no figure found: ⚠ more than half)
    OTHER = "other"  # thông qua biên bản, chương trình … (more than half)


class Comparison(StrEnum):
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"


@dataclass(frozen=True)
class Threshold:
    """A share of a whole that a count must exceed (`MORE_THAN`) or reach (`AT_LEAST`)."""

    share: Fraction
    comparison: Comparison

    def required(self, whole: int) -> int:
        """The smallest count that meets the threshold out of `whole` (0 when the whole is 0)."""
        if whole < 0:
            raise ValueError("a whole cannot be negative")
        if whole == 0:
            return 0
        exact = self.share * whole
        if self.comparison is Comparison.AT_LEAST:
            return math.ceil(exact)
        return math.floor(exact) + 1

    def met(self, count: int, whole: int) -> bool:
        return whole > 0 and count >= self.required(whole)


MORE_THAN_HALF = Threshold(Fraction(1, 2), Comparison.MORE_THAN)
TWO_THIRDS = Threshold(Fraction(2, 3), Comparison.AT_LEAST)


@dataclass(frozen=True)
class MeetingRules:
    regulation: str
    effective_from: dt.date
    # Who must be present for a meeting to be valid, as a share of those summoned who count (⚠ no
    # central figure: a resolution needs more than half of the members, so with half or fewer
    # present the meeting cannot decide anything; a committee may set another share here).
    quorum: Mapping[MeetingKind, Threshold]
    # What a vote needs, as a share of the voting members (QĐ 24 mục 9.3), not of those present.
    votes: Mapping[VoteRule, Threshold]
    matters: Mapping[VoteMatter, VoteRule]
    # A cell meets every month (Điều lệ Điều 24 k2); at least one thematic meeting per quarter.
    regular_every_months: int = 1
    thematic_per_quarter: int = 1
    # A good meeting: more than 85 % of the members attend (12-HD; ⚠ 42-HD names no figure) …
    attendance_target: Threshold = Threshold(Fraction(85, 100), Comparison.MORE_THAN)
    # … and in the year nobody is absent with a reason more than 3 meetings in a row.
    excused_in_a_row: int = 3
    # Absent without reason in this many months of a calendar year: the cell considers removal
    # (Điều lệ Điều 8 k2: "ba tháng trong năm"). The platform flags; it never removes.
    unexcused_per_year: int = 3
    # A regular meeting lasts at least this many minutes; a regular and a thematic meeting held in
    # one session at least `combined_min_minutes` (42-HD; None: no figure in force).
    min_minutes: int = 90
    combined_min_minutes: int | None = None
    # Documents reach the members this many days before the meeting (42-HD: on the handbook at
    # least 1 day before; ⚠ before 42-HD no figure, the same day count is used).
    documents_ahead_days: int = 1
    # The cell committee prepares next month's meeting around this day of the month before
    # (⚠ practice, not a regulation: the day the planner suggests).
    planning_day: int = 20
    # A full member absent with a reason leaves the denominator of a vote only when the body that
    # summoned the meeting (the chi ủy of a cell) agreed to the absence: QĐ 24 mục 9.3.2 ("vắng mặt
    # suốt thời gian … có lý do chính đáng được cấp ủy triệu tập đồng ý"), kept by 294-QĐ/TW. False
    # would leave every excused absence out (the platform's reading before December 2026).
    excused_out_needs_approval: bool = True


_QUORUM = {kind: MORE_THAN_HALF for kind in MeetingKind}
_VOTES = {VoteRule.MAJORITY: MORE_THAN_HALF, VoteRule.TWO_THIRDS: TWO_THIRDS}
_MATTERS = {
    VoteMatter.RESOLUTION: VoteRule.MAJORITY,
    VoteMatter.ADMISSION: VoteRule.TWO_THIRDS,
    VoteMatter.FULL_MEMBERSHIP: VoteRule.TWO_THIRDS,
    VoteMatter.REMOVAL: VoteRule.MAJORITY,
    VoteMatter.OTHER: VoteRule.MAJORITY,
}

MEETING_RULES: tuple[MeetingRules, ...] = (
    MeetingRules(
        regulation="Điều lệ Đảng; Quy định 24-QĐ/TW ngày 30/7/2021 (mục 9.3); Hướng dẫn 12-HD/BTCTW ngày 06/7/2018",
        effective_from=dt.date(2018, 7, 6),
        quorum=_QUORUM,
        votes=_VOTES,
        matters=_MATTERS,
    ),
    MeetingRules(
        regulation="Điều lệ Đảng; Quy định 294-QĐ/TW ngày 26/5/2025; Hướng dẫn 42-HD/BTCTW ngày 28/10/2025",
        effective_from=dt.date(2025, 10, 28),
        quorum=_QUORUM,
        votes=_VOTES,
        matters=_MATTERS,
        combined_min_minutes=120,
    ),
)


def meeting_rules(on: dt.date) -> MeetingRules:
    return in_force(MEETING_RULES, on)


# --- Validity of a meeting -----------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    """One person summoned, as the rules read them."""

    presence: Presence
    counted: bool = True  # counts in the quorum (a guest does not)
    voting: bool = False  # a full member of the body: votes on its resolutions
    approved: bool = False  # absent with a reason the committee agreed to (chi ủy đồng ý)


@dataclass(frozen=True)
class Validity:
    summoned: int  # those who count, less the exempt who stayed away
    present: int
    required: int
    recorded: bool  # every counted attendee's presence has been recorded

    @property
    def valid(self) -> bool:
        return self.recorded and self.summoned > 0 and self.present >= self.required

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.present, self.summoned) if self.summoned else None


def _counted(attendees: Iterable[Attendee]) -> list[Attendee]:
    # A member excused from party activity (miễn công tác và sinh hoạt đảng) who does not come is
    # not counted; one who comes is recorded present and counts (12-HD; QĐ 24 mục 9.3.2).
    return [a for a in attendees if a.counted and a.presence is not Presence.EXEMPT]


def validity(kind: MeetingKind, attendees: Iterable[Attendee], rules: MeetingRules) -> Validity:
    """Whether a meeting of `kind` with these attendees is valid under `rules`: of the members
    summoned (guests and the exempt who stayed away left out; those absent with a reason kept in),
    at least the quorum's share present, and everybody's attendance recorded."""
    counted = _counted(attendees)
    present = sum(1 for a in counted if a.presence is Presence.PRESENT)
    threshold = rules.quorum[kind]
    return Validity(
        summoned=len(counted),
        present=present,
        required=threshold.required(len(counted)),
        recorded=all(a.presence is not Presence.INVITED for a in counted),
    )


# --- Votes by show of hands ----------------------------------------------------------------------


class VoteError(ValueError):
    """A vote's counts are impossible; `code` names which rule they break."""

    def __init__(self, code: str, **figures: int) -> None:
        super().__init__(code)
        self.code = code
        self.figures = figures


@dataclass(frozen=True)
class VoteOutcome:
    voters: int  # the body's voting members (the denominator)
    present: int  # voting members present
    required: int  # "for" votes needed
    yes: int
    no: int
    abstain: int

    @property
    def passed(self) -> bool:
        return self.voters > 0 and self.yes >= self.required

    @property
    def not_voting(self) -> int:
        return self.present - self.yes - self.no - self.abstain


@dataclass(frozen=True)
class Voters:
    """How the denominator of a vote is made: the full members summoned, less those left out."""

    full: int  # full members summoned (đảng viên chính thức)
    exempt_out: int  # excused from party activity and absent (miễn sinh hoạt, vắng mặt)
    excused_out: int  # absent with a reason the committee agreed to
    excused_kept: int  # absent with a reason, not agreed to: they stay in the denominator
    present: int  # full members present

    @property
    def voters(self) -> int:
        return self.full - self.exempt_out - self.excused_out


def voters_count(attendees: Iterable[Attendee], rules: MeetingRules) -> Voters:
    """The voting members of a meeting (QĐ 24 mục 9.3.2): the full members summoned, less the exempt
    who stayed away and those absent the whole meeting with a reason the committee agreed to (every
    excused absence when `rules.excused_out_needs_approval` is off); probationary members and guests
    do not vote (Điều lệ Điều 3)."""
    full = [a for a in attendees if a.counted and a.voting]
    excused = [a for a in full if a.presence is Presence.EXCUSED]
    out = [a for a in excused if a.approved or not rules.excused_out_needs_approval]
    return Voters(
        full=len(full),
        exempt_out=sum(1 for a in full if a.presence is Presence.EXEMPT),
        excused_out=len(out),
        excused_kept=len(excused) - len(out),
        present=sum(1 for a in full if a.presence is Presence.PRESENT),
    )


def voters_of(attendees: Iterable[Attendee], rules: MeetingRules) -> tuple[int, int]:
    """(voting members, of whom present) for a vote at this meeting (`voters_count`)."""
    counted = voters_count(attendees, rules)
    return counted.voters, counted.present


def vote_outcome(
    rule: VoteRule, *, voters: int, present: int, yes: int, no: int, abstain: int, rules: MeetingRules
) -> VoteOutcome:
    """The result of a show of hands: `voters` are the body's voting members and `present` those of
    them at the meeting (`voters_of`). Raises
    `VoteError` for counts that cannot be: negative, or more hands than voting members present."""
    for name, value in (
        ("voters", voters),
        ("present", present),
        ("yes", yes),
        ("no", no),
        ("abstain", abstain),
    ):
        if value < 0:
            raise VoteError("negative", **{name: value})
    if present > voters:
        raise VoteError("present_exceeds_voters", present=present, voters=voters)
    if yes + no + abstain > present:
        raise VoteError("hands_exceed_present", hands=yes + no + abstain, present=present)
    return VoteOutcome(
        voters=voters,
        present=present,
        required=rules.votes[rule].required(voters),
        yes=yes,
        no=no,
        abstain=abstain,
    )


# --- Absences: who the cell must look at ---------------------------------------------------------


@dataclass(frozen=True)
class Absence:
    """One member's presence at one cell meeting, in date order."""

    on: dt.date
    presence: Presence


@dataclass(frozen=True)
class AbsenceFlags:
    unexcused: int  # meetings missed without reason in the year
    longest_excused_run: int  # most meetings in a row missed with a reason
    removal_review: bool  # unexcused ≥ rules.unexcused_per_year: the cell considers removal
    excused_run: bool  # excused absences in a row above rules.excused_in_a_row

    @property
    def flagged(self) -> bool:
        return self.removal_review or self.excused_run


def absence_flags(record: Sequence[Absence], year: int, rules: MeetingRules) -> AbsenceFlags:
    """A member's absences from the cell's meetings in `year`. Removal counts *months* missed
    without reason (Điều lệ Điều 8: "ba tháng trong năm"), so two meetings missed in one month count
    once; a run of excused absences is broken by any meeting attended."""
    in_year = sorted((a for a in record if a.on.year == year), key=lambda a: a.on)
    months = {a.on.month for a in in_year if a.presence is Presence.UNEXCUSED}
    run = longest = 0
    for item in in_year:
        if item.presence is Presence.EXCUSED:
            run += 1
            longest = max(longest, run)
        elif item.presence is Presence.PRESENT:
            run = 0
        # Unexcused absences are counted above; exempt or unrecorded meetings neither break nor extend.
    return AbsenceFlags(
        unexcused=len(months),
        longest_excused_run=longest,
        removal_review=len(months) >= rules.unexcused_per_year,
        excused_run=longest > rules.excused_in_a_row,
    )


# --- Meeting quality over a period ---------------------------------------------------------------


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """(year, month) of every month from `first` to `last`, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class HeldMeeting:
    on: dt.date
    kind: MeetingKind
    summoned: int
    present: int
    valid: bool
    documents_on_time: bool | None = None  # None: the meeting had no documents


@dataclass(frozen=True)
class Quality:
    months: int
    months_with_regular: int  # months with a valid regular (or thematic) meeting
    meetings: int
    thematic: int
    quarters: int
    quarters_with_thematic: int
    summoned: int
    present: int
    meetings_below_target: int
    documents_sent: int
    documents_on_time: int
    missing_months: tuple[tuple[int, int], ...] = field(default=())
    # (year, quarter) of every quarter of the period without a valid thematic meeting.
    missing_quarters: tuple[tuple[int, int], ...] = field(default=())

    @property
    def attendance_rate(self) -> Fraction | None:
        return Fraction(self.present, self.summoned) if self.summoned else None


def whole_quarters(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """(year, quarter) of every quarter whose three months all lie from `first` to `last`."""
    months = set(months_between(first, last))
    return sorted(
        {
            (y, quarter_of(dt.date(y, mo, 1)))
            for y, mo in months
            if {(y, mo - (mo - 1) % 3 + k) for k in range(3)} <= months
        }
    )


def quality(meetings: Iterable[HeldMeeting], first: dt.date, last: dt.date, rules: MeetingRules) -> Quality:
    """A cell's meeting-quality figures from `first` to `last` (both included): months with a
    valid meeting, thematic meetings by quarter, attendance, documents sent ahead on time. The
    thematic meeting of a quarter is judged on whole quarters only (a period of one month, or one
    ending in the middle of a quarter, does not ask for the quarter's thematic meeting)."""
    held = [m for m in meetings if first <= m.on <= last and m.kind in CELL_KINDS]
    months = months_between(first, last)
    covered = {(m.on.year, m.on.month) for m in held if m.valid}
    quarters = whole_quarters(first, last)
    thematic_quarters = {
        (m.on.year, quarter_of(m.on)) for m in held if m.kind is MeetingKind.CELL_THEMATIC and m.valid
    }
    with_documents = [m for m in held if m.documents_on_time is not None]
    return Quality(
        months=len(months),
        months_with_regular=len(covered),
        meetings=len(held),
        thematic=sum(1 for m in held if m.kind is MeetingKind.CELL_THEMATIC),
        quarters=len(quarters),
        quarters_with_thematic=sum(1 for q in quarters if q in thematic_quarters),
        summoned=sum(m.summoned for m in held),
        present=sum(m.present for m in held),
        meetings_below_target=sum(1 for m in held if not rules.attendance_target.met(m.present, m.summoned)),
        documents_sent=len(with_documents),
        documents_on_time=sum(1 for m in with_documents if m.documents_on_time),
        missing_months=tuple(m for m in months if m not in covered),
        missing_quarters=tuple(q for q in quarters if q not in thematic_quarters),
    )


def documents_on_time(sent_on: dt.date, meeting_on: dt.date, rules: MeetingRules) -> bool:
    """Whether documents sent on `sent_on` reached the members in time for a meeting on
    `meeting_on`: at least `rules.documents_ahead_days` days before it (42-HD)."""
    return (meeting_on - sent_on).days >= rules.documents_ahead_days


def last_day_of_month(year: int, month: int) -> dt.date:
    return (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)


def last_day_of_quarter(year: int, quarter: int) -> dt.date:
    return last_day_of_month(year, 3 * quarter)


class Shortfall(StrEnum):
    """Where a cell's meetings over a period miss the standard."""

    MONTHS = "months"  # a month over without a valid meeting (Điều lệ Điều 24 k2)
    THEMATIC = "thematic"  # a quarter over without a valid thematic meeting (12-HD)
    ATTENDANCE = "attendance"  # attendance over the period not above the target (12-HD)
    DOCUMENTS = "documents"  # documents sent to some meeting later than the rule asks (42-HD)


def shortfalls(q: Quality, rules: MeetingRules, on: dt.date) -> frozenset[Shortfall]:
    """The standards the figures `q` miss, as judged on day `on`: a month or a quarter still running
    on `on` is not missed yet. Attendance is the period's: those present over those summoned."""
    missed: set[Shortfall] = set()
    if any(last_day_of_month(y, m) < on for y, m in q.missing_months):
        missed.add(Shortfall.MONTHS)
    if any(last_day_of_quarter(y, n) < on for y, n in q.missing_quarters):
        missed.add(Shortfall.THEMATIC)
    if q.summoned and not rules.attendance_target.met(q.present, q.summoned):
        missed.add(Shortfall.ATTENDANCE)
    if q.documents_on_time < q.documents_sent:
        missed.add(Shortfall.DOCUMENTS)
    return frozenset(missed)
