"""rules/tasks.py: progress from reports, the first day a task is behind, its status on a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules import tasks
from dangbo.rules.tasks import Report, TaskStatus

D = dt.date
RULES = tasks.task_rules(D(2026, 1, 1))


def test_the_convention_is_a_versioned_rule_set():
    assert RULES.at_risk_margin_points == 20
    assert RULES.reminder_days == (30, 7, 1)
    with pytest.raises(LookupError):
        tasks.task_rules(D(1999, 12, 31))


def test_percent_of_target_rounds_down_and_stops_at_100():
    assert tasks.percent_of_target(Decimal("1126"), Decimal("2000")) == 56  # 56.3 %
    assert tasks.percent_of_target(Decimal("1999.99"), Decimal("2000")) == 99
    assert tasks.percent_of_target(Decimal("2000"), Decimal("2000")) == 100
    assert tasks.percent_of_target(Decimal("2600"), Decimal("2000")) == 100  # exceeded: complete
    assert tasks.percent_of_target(Decimal("0"), Decimal("10")) == 0
    with pytest.raises(ValueError):
        tasks.percent_of_target(Decimal("1"), Decimal("0"))


def test_progress_reads_reports_in_date_order_and_the_last_of_a_day_wins():
    state = tasks.progress([Report(D(2026, 3, 1), 40), Report(D(2026, 2, 1), 10), Report(D(2026, 3, 1), 45)])
    assert (state.percent, state.last_report_on, state.done_on) == (45, D(2026, 3, 1), None)
    assert tasks.progress([]) == tasks.Progress(0, None, None, None)


def test_done_on_is_the_first_complete_report_of_the_last_unbroken_run():
    reports = [Report(D(2026, 3, 1), 100), Report(D(2026, 3, 9), 100)]
    assert tasks.progress(reports).done_on == D(2026, 3, 1)  # more evidence later: still done on 1/3
    reopened = [*reports, Report(D(2026, 3, 20), 90)]
    assert tasks.progress(reopened).done_on is None  # a later report below 100 % reopens it
    again = [*reopened, Report(D(2026, 4, 2), 100)]
    assert tasks.progress(again).done_on == D(2026, 4, 2)


def test_a_target_takes_its_percentage_from_the_value_reached():
    state = tasks.progress([Report(D(2026, 6, 30), value=Decimal("150"))], target=Decimal("200"))
    assert (state.percent, state.value, state.done_on) == (75, Decimal("150"), None)
    state = tasks.progress([Report(D(2026, 9, 30), value=Decimal("230"))], target=Decimal("200"))
    assert (state.percent, state.value, state.done_on) == (100, Decimal("230"), D(2026, 9, 30))
    with pytest.raises(ValueError):
        tasks.progress([Report(D(2026, 6, 30))])


def test_risk_from_on_a_hundred_day_task():
    start, due = D(2026, 1, 1), D(2026, 4, 11)  # 100 days
    # 0 % done: behind by more than 20 points once 21 % of the time has passed (day 21).
    assert tasks.risk_from(start, due, 0, 20) == start + dt.timedelta(days=21)
    # 40 % done: at risk from day 61 (61 % of the time spent).
    assert tasks.risk_from(start, due, 40, 20) == start + dt.timedelta(days=61)
    # 80 % or more cannot fall 20 points behind before the due date.
    assert tasks.risk_from(start, due, 80, 20) is None
    assert tasks.risk_from(start, start, 0, 20) is None  # a one-day task


def test_status_on_each_day_of_a_task():
    start, due = D(2026, 1, 1), D(2026, 4, 11)

    def status(on, **kw):
        return tasks.status(start_on=start, due_on=due, on=on, rules=RULES, **kw)

    assert status(D(2025, 12, 31)) == TaskStatus.NOT_STARTED
    assert status(D(2026, 1, 21)) == TaskStatus.NOT_STARTED  # nothing reported, 20 % of the time spent
    assert status(D(2026, 1, 22)) == TaskStatus.AT_RISK  # 21 % spent, 0 % done
    assert status(D(2026, 1, 22), percent=10) == TaskStatus.ON_TRACK
    assert status(D(2026, 3, 3), percent=40) == TaskStatus.AT_RISK  # day 61
    assert status(D(2026, 3, 2), percent=40) == TaskStatus.ON_TRACK  # day 60: exactly 20 behind
    assert status(D(2026, 4, 11), percent=90) == TaskStatus.ON_TRACK  # due today
    assert status(D(2026, 4, 12), percent=90) == TaskStatus.LATE
    assert status(D(2026, 4, 12), percent=100, done_on=D(2026, 4, 11)) == TaskStatus.DONE
    assert status(D(2026, 5, 1), percent=100, done_on=D(2026, 4, 20)) == TaskStatus.DONE_LATE
    assert status(D(2026, 4, 15), percent=100, done_on=D(2026, 4, 20)) == TaskStatus.LATE  # not yet done then
    assert status(D(2026, 2, 1), cancelled_on=D(2026, 2, 1)) == TaskStatus.CANCELLED
    assert status(D(2026, 1, 10), cancelled_on=D(2026, 2, 1)) == TaskStatus.NOT_STARTED


@given(
    span=st.integers(0, 400),
    percent=st.integers(0, 100),
    margin=st.integers(0, 100),
    day=st.integers(0, 400),
)
def test_risk_from_is_exactly_the_first_day_behind_by_more_than_the_margin(span, percent, margin, day):
    start = D(2026, 1, 1)
    due = start + dt.timedelta(days=span)
    first = tasks.risk_from(start, due, percent, margin)
    on = start + dt.timedelta(days=min(day, span))
    elapsed = 100 * (on - start).days / max(1, span)
    behind = percent + margin < elapsed
    assert behind == (first is not None and on >= first)


def test_tally_counts_each_status_and_the_on_time_share():
    t = tasks.tally(["done", "done", "done", "done_late", "late", "on_track", "cancelled"])
    assert (t.total, t.done, t.done_late, t.late, t.finished, t.open, t.cancelled) == (7, 3, 1, 1, 4, 2, 1)
    assert t.on_time_share == Decimal("75.0")
    assert tasks.tally([]).on_time_share is None


def test_reminders_come_30_7_and_1_days_before_then_the_day_after_and_weekly_while_late():
    due = dt.date(2026, 12, 31)
    days = [due + dt.timedelta(days=k) for k in range(-40, 40)]
    reminded = [(day, tasks.reminder(due, day)) for day in days if tasks.reminder(due, day) is not None]
    assert [left for _, left in reminded] == [30, 7, 1, -1, -8, -15, -22, -29, -36]
    assert [day for day, _ in reminded][:4] == [
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 30),
        dt.date(2027, 1, 1),
    ]
    assert tasks.reminder(due, due) is None  # the due day itself: the 1-day reminder came yesterday


@given(st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(-400, 400))
def test_a_late_task_is_reminded_once_a_week(due, offset):
    on = due + dt.timedelta(days=offset)
    week = [tasks.reminder(due, on + dt.timedelta(days=k)) for k in range(7)]
    if offset >= 1:  # every seven consecutive late days hold exactly one reminder
        assert sum(r is not None for r in week) == 1
