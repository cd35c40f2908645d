"""Meeting rules, from the figures of the Statute, QĐ 24-QĐ/TW mục 9.3, 12-HD/BTCTW and 42-HD/BTCTW."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules.meetings import (
    MORE_THAN_HALF,
    TWO_THIRDS,
    Absence,
    Attendee,
    Comparison,
    HeldMeeting,
    MeetingKind,
    Presence,
    VoteError,
    VoteMatter,
    VoteRule,
    absence_flags,
    meeting_rules,
    quality,
    validity,
    vote_outcome,
    voters_count,
    voters_of,
)

RULES_2026 = meeting_rules(dt.date(2026, 11, 21))
RULES_2024 = meeting_rules(dt.date(2024, 6, 1))
P, E, U, X, N = Presence.PRESENT, Presence.EXCUSED, Presence.UNEXCUSED, Presence.EXEMPT, Presence.INVITED


def test_rule_sets_name_their_regulation_and_switch_on_42_hd():
    assert "12-HD/BTCTW" in RULES_2024.regulation and RULES_2024.combined_min_minutes is None
    assert "42-HD/BTCTW" in RULES_2026.regulation and RULES_2026.combined_min_minutes == 120
    assert meeting_rules(dt.date(2025, 10, 27)) is RULES_2024
    assert meeting_rules(dt.date(2025, 10, 28)) is RULES_2026
    assert RULES_2026.min_minutes == 90 and RULES_2026.documents_ahead_days == 1
    with pytest.raises(LookupError):
        meeting_rules(dt.date(2010, 1, 1))


@pytest.mark.parametrize(
    ("whole", "more_than_half", "two_thirds"),
    # "more than half of 7" is 4, "at least two thirds of 7" is 5; of 9: 5 and 6; of 10: 6 and 7.
    [(1, 1, 1), (2, 2, 2), (3, 2, 2), (4, 3, 3), (6, 4, 4), (7, 4, 5), (9, 5, 6), (10, 6, 7), (30, 16, 20)],
)
def test_thresholds_are_exact_integers(whole, more_than_half, two_thirds):
    assert MORE_THAN_HALF.required(whole) == more_than_half
    assert TWO_THIRDS.required(whole) == two_thirds


@given(st.integers(min_value=1, max_value=5000))
def test_required_is_the_smallest_count_that_meets_the_share(whole):
    for threshold in (MORE_THAN_HALF, TWO_THIRDS, RULES_2026.attendance_target):
        n = threshold.required(whole)
        share = Fraction(n, whole)
        assert (
            share > threshold.share
            if threshold.comparison is Comparison.MORE_THAN
            else share >= threshold.share
        )
        below = Fraction(n - 1, whole)
        assert not (
            below > threshold.share
            if threshold.comparison is Comparison.MORE_THAN
            else below >= threshold.share
        )


def test_attendance_target_is_more_than_85_percent():
    # 17 of 20 is exactly 85 %: not "more than 85 %" (12-HD); 18 of 20 is.
    assert not RULES_2026.attendance_target.met(17, 20)
    assert RULES_2026.attendance_target.met(18, 20)


def test_matters_need_the_statutes_majorities():
    assert RULES_2026.matters[VoteMatter.RESOLUTION] is VoteRule.MAJORITY
    assert RULES_2026.matters[VoteMatter.ADMISSION] is VoteRule.TWO_THIRDS
    assert RULES_2026.matters[VoteMatter.FULL_MEMBERSHIP] is VoteRule.TWO_THIRDS


def _cell(*presences: Presence, voting: bool = True) -> list[Attendee]:
    return [Attendee(p, counted=True, voting=voting) for p in presences]


def test_valid_when_more_than_half_of_those_summoned_are_present():
    # 10 summoned, 6 present, 2 excused, 1 unexcused, 1 exempt who stayed away: 9 count, 5 needed.
    attendees = _cell(P, P, P, P, P, P, E, E, U, X)
    v = validity(MeetingKind.CELL_REGULAR, attendees, RULES_2026)
    assert (v.summoned, v.present, v.required, v.valid) == (9, 6, 5, True)
    assert v.rate == Fraction(6, 9)


def test_half_present_is_not_enough_and_guests_do_not_count():
    attendees = [*_cell(P, P, E, U), Attendee(P, counted=False), Attendee(P, counted=False)]
    v = validity(MeetingKind.CELL_REGULAR, attendees, RULES_2026)
    assert (v.summoned, v.present, v.required, v.valid) == (4, 2, 3, False)


def test_not_valid_until_every_member_is_recorded():
    v = validity(MeetingKind.CELL_REGULAR, _cell(P, P, P, N), RULES_2026)
    assert not v.recorded and not v.valid


def test_an_exempt_member_who_comes_counts():
    # QĐ 24 mục 9.3.2: an exempt member present is counted (and may vote).
    v = validity(MeetingKind.CELL_REGULAR, _cell(P, P, U, P), RULES_2026)
    assert v.summoned == 4


def test_voters_exclude_probationary_exempt_and_approved_excused_absentees():
    attendees = [
        *_cell(P, P, P, P, E, U, X),  # 7 full members: 4 present, 1 excused, 1 unexcused, 1 exempt
        Attendee(E, counted=True, voting=True, approved=True),  # excused, the chi ủy agreed
        *_cell(P, P, voting=False),  # 2 probationary members present: no vote (Điều lệ Điều 3)
        Attendee(P, counted=True, voting=False, approved=True),  # probationary: no vote either way
        Attendee(P, counted=False),  # a guest
    ]
    # 8 full members, less the exempt who stayed away and the approved absence: 6; the excused
    # absence nobody agreed to stays in the denominator (QĐ 24 mục 9.3.2).
    assert voters_of(attendees, RULES_2026) == (6, 4)
    counted = voters_count(attendees, RULES_2026)
    assert (counted.full, counted.exempt_out, counted.excused_out, counted.excused_kept) == (8, 1, 1, 1)


def test_an_excused_absence_leaves_the_denominator_only_when_the_committee_agreed():
    # The walk-through's cell: 10 full members, one absent with a reason. Approved: 9 voting members,
    # an admission needs 6 (two thirds of 9), a resolution 5. Not approved: 10, so 7 and 6.
    approved = [*_cell(*[P] * 9), Attendee(E, counted=True, voting=True, approved=True)]
    not_approved = [*_cell(*[P] * 9), Attendee(E, counted=True, voting=True, approved=False)]
    for rules in (RULES_2024, RULES_2026):
        assert rules.excused_out_needs_approval
        assert voters_of(approved, rules) == (9, 9)
        assert voters_of(not_approved, rules) == (10, 9)
        two_thirds, half = rules.votes[VoteRule.TWO_THIRDS], rules.votes[VoteRule.MAJORITY]
        assert (two_thirds.required(9), half.required(9)) == (6, 5)
        assert (two_thirds.required(10), half.required(10)) == (7, 6)
    # An admission of 6 for and 2 against passes on 9 but not on 10.
    assert vote_outcome(
        VoteRule.TWO_THIRDS, voters=9, present=9, yes=6, no=2, abstain=0, rules=RULES_2026
    ).passed
    assert not vote_outcome(
        VoteRule.TWO_THIRDS, voters=10, present=9, yes=6, no=2, abstain=0, rules=RULES_2026
    ).passed


def test_without_the_approval_rule_every_excused_absence_is_left_out():
    import dataclasses

    lax = dataclasses.replace(RULES_2026, excused_out_needs_approval=False)
    not_approved = [*_cell(*[P] * 9), Attendee(E, counted=True, voting=True)]
    assert voters_of(not_approved, lax) == (9, 9)


def test_admission_needs_two_thirds_of_the_voting_members_not_of_those_present():
    # 9 voting members, 7 present, 5 for: two thirds of 9 is 6 → not passed although 5/7 > 2/3.
    outcome = vote_outcome(VoteRule.TWO_THIRDS, voters=9, present=7, yes=5, no=1, abstain=1, rules=RULES_2026)
    assert outcome.required == 6 and not outcome.passed
    outcome = vote_outcome(VoteRule.TWO_THIRDS, voters=9, present=7, yes=6, no=1, abstain=0, rules=RULES_2026)
    assert outcome.passed and outcome.not_voting == 0


def test_resolution_needs_more_than_half():
    assert not vote_outcome(
        VoteRule.MAJORITY, voters=8, present=8, yes=4, no=4, abstain=0, rules=RULES_2026
    ).passed
    assert vote_outcome(
        VoteRule.MAJORITY, voters=8, present=6, yes=5, no=0, abstain=0, rules=RULES_2026
    ).passed


@pytest.mark.parametrize(
    ("figures", "code"),
    [
        ({"voters": 5, "present": 6, "yes": 1, "no": 0, "abstain": 0}, "present_exceeds_voters"),
        ({"voters": 9, "present": 7, "yes": 5, "no": 2, "abstain": 1}, "hands_exceed_present"),
        ({"voters": 9, "present": 7, "yes": -1, "no": 0, "abstain": 0}, "negative"),
    ],
)
def test_impossible_counts_are_refused(figures, code):
    with pytest.raises(VoteError) as caught:
        vote_outcome(VoteRule.MAJORITY, rules=RULES_2026, **figures)
    assert caught.value.code == code


def _record(*items: tuple[str, Presence]) -> list[Absence]:
    return [Absence(dt.date.fromisoformat(day), presence) for day, presence in items]


def test_three_months_without_reason_in_a_year_flags_removal_review():
    record = _record(("2026-01-15", U), ("2026-03-15", P), ("2026-05-15", U), ("2026-09-15", U))
    flags = absence_flags(record, 2026, RULES_2026)
    assert flags.unexcused == 3 and flags.removal_review and flags.flagged


def test_two_unexcused_meetings_in_one_month_count_as_one_month():
    record = _record(("2026-01-10", U), ("2026-01-25", U), ("2026-02-15", U))
    flags = absence_flags(record, 2026, RULES_2026)
    assert flags.unexcused == 2 and not flags.removal_review


def test_last_years_absences_do_not_count():
    record = _record(("2025-11-15", U), ("2025-12-15", U), ("2026-01-15", U))
    assert not absence_flags(record, 2026, RULES_2026).removal_review


def test_more_than_three_excused_absences_in_a_row_flag_the_member():
    three = _record(
        ("2026-01-15", E), ("2026-02-15", E), ("2026-03-15", E), ("2026-04-15", P), ("2026-05-15", E)
    )
    assert absence_flags(three, 2026, RULES_2026).longest_excused_run == 3
    assert not absence_flags(three, 2026, RULES_2026).flagged
    four = _record(
        ("2026-01-15", E), ("2026-02-15", E), ("2026-03-15", X), ("2026-04-15", E), ("2026-05-15", E)
    )
    flags = absence_flags(four, 2026, RULES_2026)
    assert flags.longest_excused_run == 4 and flags.excused_run


def _held(
    day: str, kind: MeetingKind = MeetingKind.CELL_REGULAR, summoned=10, present=9, valid=True, docs=None
):
    return HeldMeeting(dt.date.fromisoformat(day), kind, summoned, present, valid, docs)


def test_quality_of_a_year():
    meetings = [_held(f"2026-{m:02d}-15", docs=True) for m in range(1, 13) if m != 8]
    meetings += [
        _held("2026-02-20", MeetingKind.CELL_THEMATIC, present=8, docs=False),
        _held("2026-11-20", MeetingKind.CELL_THEMATIC, present=10),
        _held("2026-06-01", MeetingKind.COMMITTEE),  # not a cell meeting: not counted
        _held("2026-08-30", valid=False, present=3),  # invalid: August stays missing
    ]
    q = quality(meetings, dt.date(2026, 1, 1), dt.date(2026, 12, 31), RULES_2026)
    assert q.months == 12 and q.months_with_regular == 11 and q.missing_months == ((2026, 8),)
    assert q.meetings == 14 and q.thematic == 2
    assert q.quarters == 4 and q.quarters_with_thematic == 2
    assert q.summoned == 140 and q.present == 9 * 12 + 8 + 10 + 3 - 9
    # 9/10 is more than 85 %; 8/10 and 3/10 are not.
    assert q.meetings_below_target == 2
    assert (q.documents_sent, q.documents_on_time) == (12, 11)
