"""The verdict on a period of cell meetings: whole quarters, documents sent ahead, shortfalls."""

from __future__ import annotations

import datetime as dt

from dangbo.rules.meetings import (
    HeldMeeting,
    MeetingKind,
    Shortfall,
    documents_on_time,
    meeting_rules,
    quality,
    shortfalls,
    whole_quarters,
)

RULES = meeting_rules(dt.date(2026, 11, 21))
D = dt.date


def _held(day: str, kind=MeetingKind.CELL_REGULAR, present=9, docs=True) -> HeldMeeting:
    return HeldMeeting(D.fromisoformat(day), kind, 10, present, True, docs)


def test_a_quarter_is_judged_only_when_the_period_holds_all_of_it():
    assert whole_quarters(D(2026, 1, 1), D(2026, 12, 31)) == [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]
    assert whole_quarters(D(2026, 6, 1), D(2026, 6, 30)) == []
    assert whole_quarters(D(2026, 2, 1), D(2026, 10, 31)) == [(2026, 2), (2026, 3)]
    assert whole_quarters(D(2025, 11, 1), D(2026, 3, 31)) == [(2026, 1)]


def test_documents_are_on_time_at_least_a_day_ahead():
    assert documents_on_time(D(2026, 3, 9), D(2026, 3, 10), RULES)
    assert not documents_on_time(D(2026, 3, 10), D(2026, 3, 10), RULES)


def test_the_shortfalls_of_a_period():
    meetings = [_held(f"2026-{m:02d}-10") for m in range(1, 11) if m != 4]
    meetings += [_held("2026-02-20", MeetingKind.CELL_THEMATIC, docs=False)]
    q = quality(meetings, D(2026, 1, 1), D(2026, 10, 31), RULES)
    # Q4 is not whole in January–October: only Q1–Q3 ask for a thematic meeting, Q2 and Q3 lack one.
    assert (q.quarters, q.missing_quarters, q.missing_months) == (3, ((2026, 2), (2026, 3)), ((2026, 4),))
    assert shortfalls(q, RULES, D(2026, 11, 21)) == {
        Shortfall.MONTHS,
        Shortfall.THEMATIC,
        Shortfall.DOCUMENTS,
    }
    # 9 of 10 present is above 85 %; 8 of 10 is not.
    low = quality([_held("2026-03-10", present=8)], D(2026, 3, 1), D(2026, 3, 31), RULES)
    assert shortfalls(low, RULES, D(2026, 4, 1)) == {Shortfall.ATTENDANCE}
    # a month or a quarter still running on the day of judgement is not missed yet
    running = quality([], D(2026, 11, 1), D(2026, 11, 30), RULES)
    assert shortfalls(running, RULES, D(2026, 11, 21)) == frozenset()
    assert shortfalls(running, RULES, D(2026, 12, 1)) == {Shortfall.MONTHS}
