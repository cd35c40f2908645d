"""Tasks and targets set by a document: their progress and their status on a day.

Pure Python. No regulation fixes when a task is "at risk"; the platform's convention is kept here as a
versioned rule set like the regulations' figures, so a committee that wants another margin changes one
line and the history says when. `database_status` (documents.selectors) is the same rule as SQL,
computed from the columns the task keeps (`percent`, `done_on`, `risk_from`); tests keep them equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from dangbo.rules.ruleset import in_force


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"
    DONE_LATE = "done_late"
    CANCELLED = "cancelled"


# Statuses of work still to be done, and of work that is finished one way or another.
OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.ON_TRACK, TaskStatus.AT_RISK, TaskStatus.LATE)
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.CANCELLED)


@dataclass(frozen=True)
class TaskRules:
    regulation: str
    effective_from: dt.date
    # A task is at risk when its reported progress is more than this many percentage points behind
    # the share of its time already spent (e.g. 40 % done when 61 % of the time has passed).
    at_risk_margin_points: int = 20
    # Owners are reminded this many days before the due date of unfinished work.
    reminder_days: tuple[int, ...] = (30, 7, 1)
    # Late work is reminded the day after its due date and then every this many days until done.
    late_reminder_every_days: int = 7


TASK_RULES: tuple[TaskRules, ...] = (
    TaskRules("Quy ước của Đảng bộ số (không có văn bản quy định ngưỡng)", dt.date(2000, 1, 1)),
)


def task_rules(on: dt.date) -> TaskRules:
    return in_force(TASK_RULES, on)


@dataclass(frozen=True)
class Report:
    """A progress report as the rules read it."""

    reported_on: dt.date
    percent: int | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class Progress:
    percent: int  # 0–100
    value: Decimal | None
    last_report_on: dt.date | None
    done_on: dt.date | None  # first day of the latest unbroken run of complete reports


def percent_of_target(value: Decimal, target: Decimal) -> int:
    """Share of a numeric target reached, in whole percent rounded down, at most 100 (a target
    exceeded is complete; the value itself keeps how far it was exceeded)."""
    if target <= 0:
        raise ValueError("target must be positive")
    if value <= 0:
        return 0
    share = (value * 100 / target).to_integral_value(rounding=ROUND_FLOOR)
    return int(min(share, Decimal(100)))


def progress(reports: Iterable[Report], target: Decimal | None = None) -> Progress:
    """The task's progress after its reports, read in date order (the last report of a day wins).

    A task reports a percentage; a target reports the value reached and its percentage is computed
    from the target. The task is done on the date of the first report of the latest run of complete
    reports: a later report below 100 % reopens it."""
    ordered = sorted(enumerate(reports), key=lambda item: (item[1].reported_on, item[0]))
    percent, value, last_on, done_on = 0, None, None, None
    for _, report in ordered:
        if target is not None and report.value is not None:
            value = report.value
            percent = percent_of_target(report.value, target)
        elif report.percent is not None:
            percent = report.percent
            value = report.value
        else:
            raise ValueError("a report needs a percentage or, for a target, a value")
        last_on = report.reported_on
        done_on = (done_on or report.reported_on) if percent >= 100 else None
    return Progress(percent=percent, value=value, last_report_on=last_on, done_on=done_on)


def risk_from(start_on: dt.date, due_on: dt.date, percent: int, margin_points: int) -> dt.date | None:
    """The first day on which a task with this progress is at risk, or None if it cannot be before
    it is due. At risk on day d when percent + margin < 100 × (d − start) / (due − start), i.e. when
    (d − start) ≥ ⌊(percent + margin) × span / 100⌋ + 1 (a task of one day has a span of one)."""
    span = max(1, (due_on - start_on).days)
    threshold = (percent + margin_points) * span // 100 + 1
    day = start_on + dt.timedelta(days=threshold)
    return day if day <= due_on else None


def status(
    *,
    start_on: dt.date,
    due_on: dt.date,
    on: dt.date,
    percent: int = 0,
    done_on: dt.date | None = None,
    cancelled_on: dt.date | None = None,
    rules: TaskRules | None = None,
) -> TaskStatus:
    """The status of a task on day `on` from its dates and its latest progress.

    Cancelled; done (by the due date) or done late; late (past due, not done); not started (before
    its start, or nothing reported and not yet behind); at risk (behind schedule by more than the
    margin); else on track."""
    if cancelled_on is not None and cancelled_on <= on:
        return TaskStatus.CANCELLED
    if done_on is not None and done_on <= on:
        return TaskStatus.DONE if done_on <= due_on else TaskStatus.DONE_LATE
    if on > due_on:
        return TaskStatus.LATE
    if on < start_on:
        return TaskStatus.NOT_STARTED
    rules = rules or task_rules(start_on)
    at_risk = risk_from(start_on, due_on, percent, rules.at_risk_margin_points)
    if at_risk is not None and on >= at_risk:
        return TaskStatus.AT_RISK
    if percent == 0:
        return TaskStatus.NOT_STARTED
    return TaskStatus.ON_TRACK


def reminder(due_on: dt.date, on: dt.date, rules: TaskRules | None = None) -> int | None:
    """The reminder an unfinished task gets on day `on`, if any: the days left when that is one of
    the reminder stages (30, 7 and 1 days before the due date), minus the days late on the day after
    the due date and every week after that (−1, −8, −15 …); None on every other day. A daily run
    thus reminds each stage once. The rules are those in force on the day of the reminder."""
    rules = rules or task_rules(on)
    left = (due_on - on).days
    if left in rules.reminder_days:
        return left
    if left < 0 and (-left - 1) % rules.late_reminder_every_days == 0:
        return left
    return None


@dataclass(frozen=True)
class Tally:
    """Counts of tasks by status, as a review reports them."""

    total: int = 0
    not_started: int = 0
    on_track: int = 0
    at_risk: int = 0
    late: int = 0
    done: int = 0
    done_late: int = 0
    cancelled: int = 0

    @property
    def finished(self) -> int:
        return self.done + self.done_late

    @property
    def open(self) -> int:
        return self.not_started + self.on_track + self.at_risk + self.late

    @property
    def on_time_share(self) -> Decimal | None:
        """Share of finished work finished by its due date, in percent with one decimal."""
        if not self.finished:
            return None
        return (Decimal(self.done) * 100 / self.finished).quantize(Decimal("0.1"))


def tally(statuses: Sequence[TaskStatus | str]) -> Tally:
    counts = {s.value: 0 for s in TaskStatus}
    for s in statuses:
        counts[TaskStatus(s).value] += 1
    return Tally(total=len(statuses), **counts)
