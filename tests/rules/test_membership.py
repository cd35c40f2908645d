"""Membership rules with the figures of rules.md §1–2 (294-QĐ/TW, 01-HD/TW item 18, 56-HD/VPTW)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules.membership import (
    BADGE_MILESTONES,
    PartyAge,
    add_months,
    add_working_days,
    admission_age,
    badge_allowed_after_discipline,
    badge_cash_multiple,
    badge_date,
    ceremony_dates,
    ceremony_deadline,
    full_membership_review_deadline,
    membership_rules,
    next_ceremony,
    party_age,
    probation_end,
    probation_reminders,
)

D = dt.date


def test_milestones_are_those_of_the_guidance():
    assert BADGE_MILESTONES == (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


def test_the_rule_set_in_force_follows_the_event_date():
    assert "24-QĐ/TW" in membership_rules(D(2023, 5, 1)).regulation
    assert "232-QĐ/TW" in membership_rules(D(2025, 3, 1)).regulation
    assert "294-QĐ/TW" in membership_rules(D(2025, 7, 1)).regulation
    assert "2011" in membership_rules(D(2015, 1, 1)).regulation
    with pytest.raises(LookupError):
        membership_rules(D(1929, 1, 1))


# --- party_age -----------------------------------------------------------------------------------


def test_party_age_is_the_calendar_difference():
    assert party_age(D(1995, 3, 15), D(2025, 3, 15)) == PartyAge(30, 0, 0)
    assert party_age(D(1995, 3, 15), D(2025, 3, 14)) == PartyAge(29, 11, 27)
    assert party_age(D(2020, 1, 31), D(2020, 3, 1)) == PartyAge(0, 1, 1)


def test_probation_counts_in_party_age():
    # Admitted (decision signed) 10/01/2024; full member 12 months later; age counts from admission.
    assert party_age(D(2024, 1, 10), D(2025, 1, 10)) == PartyAge(1, 0, 0)


def test_29_february_counts_as_28_february_in_a_non_leap_year():
    assert party_age(D(2000, 2, 29), D(2001, 2, 28)) == PartyAge(1, 0, 0)
    assert party_age(D(2000, 2, 29), D(2030, 2, 28)) == PartyAge(30, 0, 0)
    assert party_age(D(2000, 2, 29), D(2004, 2, 29)) == PartyAge(4, 0, 0)


def test_time_outside_the_party_is_excluded():
    # Removed (xóa tên) on 01/01/2000, readmitted 01/01/2002: those 731 days do not count, so the
    # admission date of 01/06/1990 moves to 01/06/1992.
    gaps = [(D(2000, 1, 1), D(2002, 1, 1))]
    assert party_age(D(1990, 6, 1), D(2020, 6, 1), gaps) == PartyAge(28, 0, 0)
    assert party_age(D(1990, 6, 1), D(2020, 5, 31), gaps) == PartyAge(27, 11, 30)


def test_only_gap_days_before_the_date_count():
    gaps = [(D(2020, 1, 1), D(2020, 12, 31))]
    # On 11/01/2020 only 10 days of the gap have passed.
    assert party_age(D(2010, 1, 1), D(2020, 1, 11), gaps) == PartyAge(10, 0, 0)
    # A gap that starts after the date changes nothing.
    assert party_age(D(2010, 1, 1), D(2019, 6, 1), gaps) == party_age(D(2010, 1, 1), D(2019, 6, 1))


def test_overlapping_gaps_are_not_counted_twice():
    once = party_age(D(2000, 1, 1), D(2020, 1, 1), [(D(2005, 1, 1), D(2005, 3, 1))])
    twice = party_age(
        D(2000, 1, 1), D(2020, 1, 1), [(D(2005, 1, 1), D(2005, 3, 1)), (D(2005, 2, 1), D(2005, 2, 10))]
    )
    assert once == twice


@pytest.mark.parametrize(
    "gaps",
    [[(D(2005, 3, 1), D(2005, 1, 1))], [(D(1999, 1, 1), D(2001, 1, 1))], [(D(2005, 1, 1), D(2005, 1, 1))]],
)
def test_impossible_gaps_are_refused(gaps):
    with pytest.raises(ValueError):
        party_age(D(2000, 1, 1), D(2020, 1, 1), gaps)


def test_party_age_before_admission_is_refused():
    with pytest.raises(ValueError):
        party_age(D(2000, 1, 1), D(1999, 12, 31))


@given(
    st.dates(min_value=D(1930, 1, 1), max_value=D(2025, 12, 31)), st.integers(min_value=0, max_value=30000)
)
def test_party_age_grows_with_time(admitted, days):
    on = admitted + dt.timedelta(days=days)
    later = on + dt.timedelta(days=1)
    assert party_age(admitted, later) >= party_age(admitted, on)


# --- badge_date ----------------------------------------------------------------------------------


def test_badge_is_due_on_the_anniversary():
    assert badge_date(D(1995, 5, 19), 30) == D(2025, 5, 19)
    assert badge_date(D(1976, 2, 29), 50) == D(2026, 2, 28)


def test_gaps_move_the_badge_later():
    assert badge_date(D(1990, 6, 1), 30, [(D(2000, 1, 1), D(2002, 1, 1))]) == D(2022, 6, 1)


@pytest.mark.parametrize(("years", "early"), [(30, 12), (45, 12), (65, 12), (70, 24), (90, 24)])
def test_seriously_ill_members_get_the_badge_early(years, early):
    normal = badge_date(D(1950, 9, 2), years)
    assert badge_date(D(1950, 9, 2), years, seriously_ill=True) == add_months(normal, -early)


@pytest.mark.parametrize("years", [0, 10, 35, 100])
def test_no_badge_outside_the_milestones(years):
    with pytest.raises(ValueError):
        badge_date(D(1950, 1, 1), years)


@pytest.mark.parametrize(("form", "months"), [("khien_trach", 6), ("canh_cao", 9), ("cach_chuc", 12)])
def test_badge_waits_after_discipline(form, months):
    decided = D(2025, 3, 10)
    assert not badge_allowed_after_discipline(
        form, decided, add_months(decided, months) - dt.timedelta(days=1)
    )
    assert badge_allowed_after_discipline(form, decided, add_months(decided, months))


def test_ceremonies_are_on_the_four_party_days():
    assert ceremony_dates(2026) == [D(2026, 2, 3), D(2026, 5, 19), D(2026, 9, 2), D(2026, 11, 7)]
    assert next_ceremony(D(2026, 11, 21)) == D(2027, 2, 3)
    assert next_ceremony(D(2026, 5, 19)) == D(2026, 5, 19)


@pytest.mark.parametrize(
    ("years", "multiple"),
    [(30, "1.5"), (40, "2"), (50, "3"), (55, "3.5"), (60, "5"), (65, "6"), (70, "8"), (75, "10"), (80, "15")],
)
def test_cash_award_in_base_salaries(years, multiple):
    assert badge_cash_multiple(years, D(2026, 1, 1)) == Decimal(multiple)


@pytest.mark.parametrize("years", [45, 85, 90])
def test_unconfirmed_cash_awards_are_unknown_not_invented(years):
    assert badge_cash_multiple(years, D(2026, 1, 1)) is None


# --- admission and probation ---------------------------------------------------------------------


def test_admission_age_is_counted_in_months_at_the_vote():
    assert not admission_age(D(2008, 6, 15), D(2026, 6, 14)).allowed  # one day short of 18
    assert admission_age(D(2008, 6, 15), D(2026, 6, 15)).allowed
    sixty = admission_age(D(1966, 6, 15), D(2026, 6, 15))
    assert sixty.allowed and not sixty.needs_higher_approval
    older = admission_age(D(1966, 5, 14), D(2026, 6, 15))  # 60 years and one month
    assert older.allowed and older.needs_higher_approval


def test_probation_ends_twelve_months_after_the_ceremony():
    assert probation_end(D(2025, 8, 20)) == D(2026, 8, 20)
    assert probation_end(D(2024, 2, 29)) == D(2025, 2, 28)


def test_reminders_before_probation_ends():
    reminders = probation_reminders(D(2025, 8, 20))
    assert [n for n, _ in reminders] == [90, 60, 30, 15, 7]
    assert reminders[0][1] == D(2026, 8, 20) - dt.timedelta(days=90)
    assert reminders[-1][1] == D(2026, 8, 13)


def test_deadlines_in_working_days():
    # Decision received Friday 05/09/2025: 30 working days later (no holidays given) is Friday 17/10/2025.
    assert ceremony_deadline(D(2025, 9, 5)) == D(2025, 10, 17)
    assert add_working_days(D(2025, 9, 5), 1, holidays=[D(2025, 9, 8)]) == D(2025, 9, 9)
    assert full_membership_review_deadline(D(2025, 8, 20)) == add_working_days(D(2026, 8, 20), 30)


# --- lifecycle -----------------------------------------------------------------------------------

from dangbo.rules.membership import (  # noqa: E402
    Event,
    EventKind,
    LifecycleError,
    MemberState,
    Status,
    apply,
    current_party_age,
    replay,
)

K = EventKind


def test_admission_then_full_membership_dated_at_the_end_of_probation():
    state = replay([Event(K.ADMITTED, D(2024, 3, 10)), Event(K.FULL_MEMBER, D(2025, 4, 2))])
    assert state.status is Status.FULL
    assert state.full_on == D(2025, 3, 10)  # not the day the chi bộ met


def test_full_membership_before_twelve_months_is_refused():
    with pytest.raises(LifecycleError) as refused:
        replay([Event(K.ADMITTED, D(2024, 3, 10)), Event(K.FULL_MEMBER, D(2025, 3, 9))])
    assert refused.value.code == "probation_not_over"


@pytest.mark.parametrize(
    "events",
    [
        [Event(K.FULL_MEMBER, D(2025, 1, 1))],  # never admitted
        [Event(K.ADMITTED, D(2020, 1, 1)), Event(K.ADMITTED, D(2021, 1, 1))],
        [Event(K.ADMITTED, D(2020, 1, 1)), Event(K.TRANSFER_IN, D(2021, 1, 1))],  # never left
        [Event(K.ADMITTED, D(2020, 1, 1)), Event(K.READMITTED, D(2021, 1, 1))],  # never removed
        [
            Event(K.ADMITTED, D(2020, 1, 1)),
            Event(K.DIED, D(2021, 1, 1)),
            Event(K.TRANSFER_OUT, D(2021, 2, 1)),
        ],
    ],
)
def test_impossible_sequences_are_refused(events):
    with pytest.raises(LifecycleError) as refused:
        replay(events)
    assert refused.value.code == "not_allowed"


def test_events_may_not_go_back_in_time():
    with pytest.raises(LifecycleError) as refused:
        replay(
            [
                Event(K.ADMITTED, D(2020, 1, 1)),
                Event(K.FULL_MEMBER, D(2021, 2, 1)),
                Event(K.TRANSFER_OUT, D(2021, 1, 15)),
            ]
        )
    assert refused.value.code == "before_previous"


def test_readmission_is_allowed_once_only_and_starts_a_new_probation():
    events = [
        Event(K.ADMITTED, D(2000, 1, 1)),
        Event(K.FULL_MEMBER, D(2001, 1, 1)),
        Event(K.REMOVED, D(2005, 1, 1)),
        Event(K.READMITTED, D(2007, 1, 1)),
    ]
    state = replay(events)
    assert state.status is Status.PROBATIONARY and state.probation_started_on == D(2007, 1, 1)
    assert state.admitted_on == D(2000, 1, 1) and state.gaps == ((D(2005, 1, 1), D(2007, 1, 1)),)
    # Readmitted members count from the first admission minus the gap (730 days).
    assert current_party_age(state, D(2020, 1, 1)) == party_age(D(2000, 1, 1), D(2020, 1, 1), state.gaps)
    again = [*events, Event(K.FULL_MEMBER, D(2008, 1, 1)), Event(K.EXPELLED, D(2010, 1, 1))]
    with pytest.raises(LifecycleError) as refused:
        replay([*again, Event(K.READMITTED, D(2012, 1, 1))])
    assert refused.value.code == "readmitted_already"


def test_an_official_transfer_causes_a_gap_until_the_member_arrives():
    state = replay(
        [
            Event(K.ADMITTED, D(2010, 1, 1)),
            Event(K.FULL_MEMBER, D(2011, 1, 1)),
            Event(K.TRANSFER_OUT, D(2015, 3, 1)),
            Event(K.TRANSFER_IN, D(2015, 4, 1)),
        ]
    )
    assert state.status is Status.FULL and state.gaps == ((D(2015, 3, 1), D(2015, 4, 1)),)


def test_a_temporary_transfer_causes_no_gap():
    state = replay(
        [
            Event(K.ADMITTED, D(2010, 1, 1)),
            Event(K.TRANSFER_OUT, D(2010, 6, 1), official=False),
            Event(K.TRANSFER_IN, D(2010, 9, 1), official=False),
        ]
    )
    assert state.status is Status.PROBATIONARY and state.gaps == ()


def test_party_age_stops_counting_while_outside_and_at_death():
    removed = replay([Event(K.ADMITTED, D(2000, 1, 1)), Event(K.REMOVED, D(2010, 1, 1))])
    # The admission date moves by the 1,826 days outside; 2000 is a leap year and the gap holds only
    # one leap day, hence the one day past the ten years.
    assert current_party_age(removed, D(2015, 1, 1)) == PartyAge(10, 0, 1)
    died = replay([Event(K.ADMITTED, D(2000, 1, 1)), Event(K.DIED, D(2012, 7, 1))])
    assert died.status is Status.DECEASED
    assert current_party_age(died, D(2020, 1, 1)) == PartyAge(12, 6, 0)


def test_not_yet_a_member():
    assert current_party_age(MemberState(), D(2020, 1, 1)) is None
    assert apply(MemberState(), Event(K.ADMITTED, D(2020, 1, 1))).status is Status.PROBATIONARY
