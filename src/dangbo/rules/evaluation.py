"""Annual quality evaluation (đánh giá, xếp loại chất lượng hằng năm) of party organisations,
collectives and individuals: the level a score and the results of the tasks earn, why each higher
level was not reached, and the quota of "hoàn thành xuất sắc" in a group.

Pure Python. Sources (../shared/docs/rules.md §5):

- Quy định 366-QĐ/TW of the Politburo, signed 30/8/2025, replacing 124-QĐ/TW of 04/10/2023: Điều 11
  (the levels and their conditions; khoản 1 as quoted by thuvienphapluat.vn, the others as
  reported by laodong.vn) and its appendices' 100-point frame of criteria, a general group of 30
  points and a group for the results of tasks of 70 points (as reported by vietnamnet.vn).
- Hướng dẫn 43-HD/BTCTW of 31/10/2025 (Ban Tổ chức Trung ương), which carries 366 out and replaces
  Hướng dẫn 25-HD/BTCTW of 2023.

What the rule set encodes (every figure is a field of `EvaluationRules`, none a literal below):

- HTXSNV (hoàn thành xuất sắc): at least 90 points; every task done on time; at least 30 % of the
  tasks done beyond what was required; every shortcoming pointed out earlier fixed (the article
  lists this after the collective and the individual cases, so it is applied to both; rules.md
  names it for collectives only). Collectives also: no subordinate unit and no member of the
  leadership disciplined.
- HTTNV (hoàn thành tốt): at least 70 points; every task done on time.
- HTNV (hoàn thành): at least 50 points; every task done; a collective has at most 20 % of its tasks
  late ("số nhiệm vụ chưa bảo đảm tiến độ không vượt quá 20 %").
- KHTNV (không hoàn thành): anything else — under 50 points, or the conditions of HTNV not met.

How the words are read:

- A level is reached when its score floor and all its conditions hold; the result is the highest
  such level. The ranges "70 to under 90" are the floors of the next level: 95 points with too few
  tasks exceeding requirements is HTTNV, not nothing.
- A task is *late* when it was not done on time, whether it was done later or not at all:
  late = total − on time. HTNV asks for both conditions at once, every task done AND the late share
  at most the limit, so a collective may have done up to 20 % of its tasks after their deadline
  but none may be left undone.
- With no tasks at all, every share of tasks is vacuously met (nothing is undone, late or short of
  requirements) and the score alone decides; `Classification.tasks_total` lets a page say so.
- The quota: the number rated HTXSNV may not exceed 20 % of the number rated HTTNV in the same
  group. "Không quá" is read as a ceiling, so the allowed number is rounded down: 10 rated HTTNV
  allow 2, 9 allow 1, 4 allow 0.
- Shares are compared as exact fractions; scores are exact (int, Decimal or Fraction; a float is
  read through its shortest decimal form, so 89.99 is 8999/100, never 89.98999…).

⚠ Not confirmed word for word (settings, not literals):
- the day 366-QĐ/TW takes effect: assumed to be the day it was signed (30/8/2025); no source
  found states it;
- the quota under 366 (20 % of those rated HTTNV is the figure of the earlier guidance, 21-HD/BTCTW
  of 2019, and of rules.md), and whether those rated HTXSNV count among "those rated HTTNV"
  (`quota_base_includes_excellent`, off: the stricter reading);
- whether an individual may have late tasks at HTNV (366 names 20 % for collectives; for
  individuals no figure was found, so none is applied);
- further KHTNV cases (discipline, decline …) beyond the score and the HTNV conditions; the extra
  condition on leaders (the unit they lead also completes 100 % with 30 % exceeding) is not modelled.

Before 366 there was no point scale: 124-QĐ/TW (Điều 12) graded by criteria judged "Tốt" or
"Xuất sắc", an individual's HTXSNV asking 100 % of targets on schedule with at least 50 % exceeded.
A score cannot be classified under it, so `evaluation_rules` raises `LookupError` for a day
before 366.

The module holds no translated text: a `Shortfall` carries a machine `code` and the figures, and
the Django layer words them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from dangbo.rules.ruleset import in_force


class Level(StrEnum):
    """The four levels, best first."""

    HTXSNV = "HTXSNV"  # Hoàn thành xuất sắc nhiệm vụ
    HTTNV = "HTTNV"  # Hoàn thành tốt nhiệm vụ
    HTNV = "HTNV"  # Hoàn thành nhiệm vụ
    KHTNV = "KHTNV"  # Không hoàn thành nhiệm vụ


# The levels that have conditions, best first; KHTNV is what is left.
GRADED = (Level.HTXSNV, Level.HTTNV, Level.HTNV)


class Reason(StrEnum):
    """Why a level was not reached."""

    SCORE_BELOW = "score_below"  # the total score is under the level's floor
    NOT_ALL_DONE = "not_all_done"  # fewer tasks done than the level asks
    NOT_ALL_ON_TIME = "not_all_on_time"  # fewer tasks done on time than the level asks
    EXCEEDING_BELOW = "exceeding_below"  # too few tasks done beyond requirements
    LATE_SHARE_ABOVE = "late_share_above"  # too many tasks late
    DISCIPLINED = "disciplined"  # a subordinate unit or a leader was disciplined
    SHORTCOMINGS_OPEN = "shortcomings_open"  # shortcomings pointed out earlier not all fixed


class EvaluationError(ValueError):
    """Figures that cannot be; `code` names the rule they break, `figures` the values."""

    def __init__(self, code: str, **figures: object) -> None:
        super().__init__(code)
        self.code = code
        self.figures = figures


@dataclass(frozen=True)
class LevelRule:
    """What one level asks of one kind of subject (collective or individual). A share is of the
    tasks assigned; `None` means the level sets no such condition."""

    floor: Fraction  # lowest total score
    done_share: Fraction | None = None  # tasks done, at least
    on_time_share: Fraction | None = None  # tasks done on time, at least
    exceeding_share: Fraction | None = None  # tasks done beyond requirements, at least
    late_share_max: Fraction | None = None  # tasks not done on time, at most
    no_discipline: bool = False  # no subordinate unit nor member of the leadership disciplined
    fixed_share: Fraction | None = None  # shortcomings pointed out earlier fixed, at least


@dataclass(frozen=True)
class EvaluationRules:
    regulation: str
    effective_from: dt.date
    # The 100-point scale: the general criteria and the results of tasks, each up to its maximum.
    general_max: Fraction
    tasks_max: Fraction
    individual: Mapping[Level, LevelRule]
    collective: Mapping[Level, LevelRule]
    # ⚠ At most this share of the number rated HTTNV in a group may be rated HTXSNV (rounded down).
    excellent_quota: Fraction = Fraction(20, 100)
    # ⚠ Whether those rated HTXSNV count in the base of the quota (HTXSNV chosen among the good).
    quota_base_includes_excellent: bool = False

    @property
    def scale_max(self) -> Fraction:
        return self.general_max + self.tasks_max

    def total(self, general: object, tasks: object) -> Fraction:
        """The total score from its two parts, each refused when negative or above its maximum."""
        parts = {"general": (general, self.general_max), "tasks": (tasks, self.tasks_max)}
        total = Fraction(0)
        for name, (value, maximum) in parts.items():
            points = as_points(value)
            if not 0 <= points <= maximum:
                raise EvaluationError("part_out_of_range", part=name, points=points, maximum=maximum)
            total += points
        return total


_ALL = Fraction(1)

EVALUATION_RULES: tuple[EvaluationRules, ...] = (
    EvaluationRules(
        regulation="Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị (Điều 11); Hướng dẫn 43-HD/BTCTW ngày 31/10/2025",
        effective_from=dt.date(2025, 8, 30),  # ⚠ the day of signing
        general_max=Fraction(30),
        tasks_max=Fraction(70),
        individual={
            Level.HTXSNV: LevelRule(
                floor=Fraction(90),
                on_time_share=_ALL,
                exceeding_share=Fraction(30, 100),
                fixed_share=_ALL,
            ),
            Level.HTTNV: LevelRule(floor=Fraction(70), on_time_share=_ALL),
            Level.HTNV: LevelRule(floor=Fraction(50), done_share=_ALL),  # ⚠ no late limit found
        },
        collective={
            Level.HTXSNV: LevelRule(
                floor=Fraction(90),
                on_time_share=_ALL,
                exceeding_share=Fraction(30, 100),
                no_discipline=True,
                fixed_share=_ALL,
            ),
            Level.HTTNV: LevelRule(floor=Fraction(70), on_time_share=_ALL),
            Level.HTNV: LevelRule(floor=Fraction(50), done_share=_ALL, late_share_max=Fraction(20, 100)),
        },
    ),
)


def evaluation_rules(on: dt.date) -> EvaluationRules:
    """The rule set in force on `on`. Before 366-QĐ/TW there is none: 124-QĐ/TW had no point scale."""
    try:
        return in_force(EVALUATION_RULES, on)
    except LookupError:
        raise LookupError(
            f"no point-scale rule set in force on {on.isoformat()}: "
            "levels were not scored before Quy định 366-QĐ/TW"
        ) from None


# --- Exact figures -------------------------------------------------------------------------------


def as_points(value: object) -> Fraction:
    """A score as an exact fraction: an int, Decimal or Fraction as it is, a float through its
    shortest decimal form (89.99 → 8999/100). Refuses booleans, text and what is not finite."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction | float):
        raise TypeError(f"a score must be a number, not {type(value).__name__}")
    try:
        if isinstance(value, float):
            return Fraction(repr(value))
        return Fraction(value)
    except (ValueError, OverflowError):
        raise EvaluationError("score_not_finite", score=str(value)) from None


def at_least(share: Fraction, whole: int) -> int:
    """The smallest count that is at least `share` of `whole`."""
    return math.ceil(share * whole)


def at_most(share: Fraction, whole: int) -> int:
    """The largest count that is at most `share` of `whole`."""
    return math.floor(share * whole)


# --- Classification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    """What the classification reads: the total score and the year's results."""

    score: Fraction
    tasks_total: int
    tasks_done: int
    tasks_on_time: int
    tasks_exceeding: int
    disciplined: bool = False
    shortcomings: int = 0
    shortcomings_fixed: int = 0

    def __post_init__(self) -> None:
        counts = {
            "tasks_total": self.tasks_total,
            "tasks_done": self.tasks_done,
            "tasks_on_time": self.tasks_on_time,
            "tasks_exceeding": self.tasks_exceeding,
            "shortcomings": self.shortcomings,
            "shortcomings_fixed": self.shortcomings_fixed,
        }
        for name, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
            if value < 0:
                raise EvaluationError("negative", **{name: value})
        if not isinstance(self.disciplined, bool):
            raise TypeError("disciplined must be True or False")
        if self.tasks_done > self.tasks_total:
            raise EvaluationError("done_exceeds_total", done=self.tasks_done, total=self.tasks_total)
        if self.tasks_on_time > self.tasks_done:
            raise EvaluationError("on_time_exceeds_done", on_time=self.tasks_on_time, done=self.tasks_done)
        if self.tasks_exceeding > self.tasks_done:
            raise EvaluationError(
                "exceeding_exceeds_done", exceeding=self.tasks_exceeding, done=self.tasks_done
            )
        if self.shortcomings_fixed > self.shortcomings:
            raise EvaluationError(
                "fixed_exceeds_shortcomings", fixed=self.shortcomings_fixed, shortcomings=self.shortcomings
            )

    @property
    def tasks_late(self) -> int:
        """Tasks not done on time: done after the deadline, or not done at all."""
        return self.tasks_total - self.tasks_on_time


@dataclass(frozen=True)
class Shortfall:
    """One condition of a level that the results miss, with the figures to explain it.

    `actual` is the score or the count; `whole` what a count is out of (None for the score and for
    the discipline condition); `threshold` the score floor or the share the level asks; `limit`
    the count that would meet it — at least this many for a minimum, at most this many for
    `late_share_above` — or the floor again for the score."""

    reason: Reason
    actual: Fraction | int | bool
    whole: int | None = None
    threshold: Fraction | None = None
    limit: Fraction | int | None = None

    @property
    def code(self) -> str:
        return self.reason.value


def shortfalls(rule: LevelRule, results: Results) -> tuple[Shortfall, ...]:
    """Every condition of `rule` that `results` miss (all of them, not only the first)."""
    missed: list[Shortfall] = []
    r = results
    if r.score < rule.floor:
        missed.append(Shortfall(Reason.SCORE_BELOW, r.score, None, rule.floor, rule.floor))
    minimums = (
        (Reason.NOT_ALL_DONE, rule.done_share, r.tasks_done),
        (Reason.NOT_ALL_ON_TIME, rule.on_time_share, r.tasks_on_time),
        (Reason.EXCEEDING_BELOW, rule.exceeding_share, r.tasks_exceeding),
    )
    for reason, share, count in minimums:
        if share is not None and count < at_least(share, r.tasks_total):
            missed.append(Shortfall(reason, count, r.tasks_total, share, at_least(share, r.tasks_total)))
    if rule.late_share_max is not None and r.tasks_late > at_most(rule.late_share_max, r.tasks_total):
        allowed = at_most(rule.late_share_max, r.tasks_total)
        missed.append(
            Shortfall(Reason.LATE_SHARE_ABOVE, r.tasks_late, r.tasks_total, rule.late_share_max, allowed)
        )
    if rule.no_discipline and r.disciplined:
        missed.append(Shortfall(Reason.DISCIPLINED, True))
    if rule.fixed_share is not None and r.shortcomings_fixed < at_least(rule.fixed_share, r.shortcomings):
        needed = at_least(rule.fixed_share, r.shortcomings)
        missed.append(
            Shortfall(
                Reason.SHORTCOMINGS_OPEN, r.shortcomings_fixed, r.shortcomings, rule.fixed_share, needed
            )
        )
    return tuple(missed)


@dataclass(frozen=True)
class Classification:
    level: Level
    results: Results
    collective: bool
    regulation: str
    # For each level above the one reached, best first: the conditions it missed.
    missed: Mapping[Level, tuple[Shortfall, ...]] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.level.value

    @property
    def score(self) -> Fraction:
        return self.results.score

    @property
    def tasks_total(self) -> int:
        return self.results.tasks_total

    def why_not(self, level: Level) -> tuple[Shortfall, ...]:
        """The conditions of `level` the results missed (empty for the level reached and below)."""
        return self.missed.get(level, ())


def classify_under(
    rules: EvaluationRules,
    *,
    score: object,
    tasks_total: int,
    tasks_done: int,
    tasks_on_time: int,
    tasks_exceeding: int,
    collective: bool = False,
    disciplined: bool = False,
    shortcomings: int = 0,
    shortcomings_fixed: int = 0,
) -> Classification:
    """`classify` under a given rule set (a committee's own settings, or a test's)."""
    points = as_points(score)
    if not 0 <= points <= rules.scale_max:
        raise EvaluationError("score_out_of_range", score=points, maximum=rules.scale_max)
    results = Results(
        score=points,
        tasks_total=tasks_total,
        tasks_done=tasks_done,
        tasks_on_time=tasks_on_time,
        tasks_exceeding=tasks_exceeding,
        disciplined=disciplined,
        shortcomings=shortcomings,
        shortcomings_fixed=shortcomings_fixed,
    )
    levels = rules.collective if collective else rules.individual
    missed: dict[Level, tuple[Shortfall, ...]] = {}
    reached = Level.KHTNV
    for level in GRADED:
        failing = shortfalls(levels[level], results)
        if not failing:
            reached = level
            break
        missed[level] = failing
    return Classification(
        level=reached, results=results, collective=collective, regulation=rules.regulation, missed=missed
    )


def classify(
    *,
    score: object,
    tasks_total: int,
    tasks_done: int,
    tasks_on_time: int,
    tasks_exceeding: int,
    on: dt.date,
    collective: bool = False,
    disciplined: bool = False,
    shortcomings: int = 0,
    shortcomings_fixed: int = 0,
) -> Classification:
    """The level earned under the regulation in force on `on`: the highest level whose score floor
    and conditions all hold, with what each higher level missed.

    `score` is the total on the 100-point scale (`total_score` adds the two parts); the task counts
    are of the tasks assigned for the period: done, done on time, done beyond requirements.
    `disciplined`: a subordinate unit or a member of the leadership was disciplined (collectives).
    `shortcomings`, `shortcomings_fixed`: shortcomings pointed out earlier, and how many are fixed.
    Raises `EvaluationError` (a ValueError) for a score outside the scale or impossible counts, and
    `LookupError` for a day before the point scale existed."""
    return classify_under(
        evaluation_rules(on),
        score=score,
        tasks_total=tasks_total,
        tasks_done=tasks_done,
        tasks_on_time=tasks_on_time,
        tasks_exceeding=tasks_exceeding,
        collective=collective,
        disciplined=disciplined,
        shortcomings=shortcomings,
        shortcomings_fixed=shortcomings_fixed,
    )


def total_score(*, general: object, tasks: object, on: dt.date) -> Fraction:
    """The total score from the general criteria and the results of tasks, under the rule set in
    force on `on`; a part that is negative or above its maximum is refused."""
    return evaluation_rules(on).total(general, tasks)


# --- The quota of HTXSNV in a group --------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    excellent: int  # rated HTXSNV
    good: int  # rated HTTNV
    allowed: int  # most HTXSNV the quota allows

    @property
    def over(self) -> int:
        """How many HTXSNV are above the quota (0 when within it)."""
        return max(0, self.excellent - self.allowed)


def max_excellent(good: int, rules: EvaluationRules, *, excellent: int = 0) -> int:
    """The most HTXSNV a group may have when `good` of its members are rated HTTNV, rounded down.
    `excellent` (those rated HTXSNV) only counts when the rule set puts them in the base."""
    for name, value in (("good", good), ("excellent", excellent)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be a whole number")
        if value < 0:
            raise EvaluationError("negative", **{name: value})
    base = good + excellent if rules.quota_base_includes_excellent else good
    return at_most(rules.excellent_quota, base)


def check_quota(levels: Iterable[Level | str], rules: EvaluationRules) -> QuotaCheck:
    """The quota of one group (a cell, a committee's subordinate units …) from its members' levels;
    `.over` is how many HTXSNV are too many. An unknown level code raises ValueError."""
    counted = [Level(level) for level in levels]
    excellent = counted.count(Level.HTXSNV)
    good = counted.count(Level.HTTNV)
    return QuotaCheck(excellent=excellent, good=good, allowed=max_excellent(good, rules, excellent=excellent))
