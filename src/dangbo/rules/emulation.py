"""Emulation movements (phong trào thi đua): criteria sets on a 100-point scale, scorecards, the
council's final score, and the prerequisites of emulation titles and forms of award.

Pure Python. Two parts:

1. Criteria and scores. No regulation fixes how a movement is scored: Vietnam Post's "Dân vận khéo"
   movement (rules.md §6, seed 001) gives each model specific criteria on a 100-point scale plus
   common mandatory criteria, and the committee defines them. The set is data (`CriterionSpec`); this
   module checks that it adds up, that a score fits its criterion, and totals a scorecard. All
   arithmetic is exact (`Decimal` sums, `Fraction` means); nothing goes through a float.
   Platform conventions (⚠ no regulation; the movement may store its own): a criterion is scored in
   steps of `DEFAULT_STEP` = 0.25 points unless it or a parent names another step; scores have at
   most 2 decimals; the council's final score is the plain mean, or with "trimmed_mean" the mean
   without the single highest and single lowest score once there are `DEFAULT_TRIM_FROM` = 5 scores
   or more; final scores are rounded to 2 decimals half up (84.365 → 84.37).

2. Awards. Luật Thi đua, khen thưởng 06/2022/QH15 (in force 01/01/2024), Nghị định 98/2023/NĐ-CP of
   31/12/2023, Thông tư 01/2024/TT-BNV (rules.md §6). The catalogue of titles and forms and their
   prerequisites are data in a versioned rule set (`AwardRules`); each prerequisite is a small frozen
   rule object whose `evaluate` returns a `Failure` (a machine code with figures) or None, so the
   Django layer words "Chưa đủ 3 năm liên tục Chiến sĩ thi đua cơ sở: thiếu năm 2023" itself.
   Figures not confirmed word for word are marked ⚠ below; each is a field of a rule object, never a
   literal in a view.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Protocol

from dangbo.rules.meetings import Comparison, Threshold
from dangbo.rules.ruleset import in_force

# === Part 1: criteria sets and scores =============================================================

TOTAL_POINTS = Decimal(100)
# ⚠ Platform conventions, not regulations (see the module docstring).
DEFAULT_STEP = Decimal("0.25")
DEFAULT_TRIM_FROM = 5
PLACES = 2
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a set. A scored criterion has `max_points`; with `children` its points are
    the sum of its scored children's, whose maxima must add up exactly to its own. A mandatory
    criterion (tiêu chí bắt buộc) is passed or failed and carries no points; its children, if any,
    are mandatory too. `step` is the granularity of a score entered on this criterion; None inherits
    the parent's step, and at the top `DEFAULT_STEP` (or the `default_step` the caller passes)."""

    code: str
    title: str
    max_points: Decimal | None = None
    step: Decimal | None = None
    mandatory: bool = False
    children: tuple[CriterionSpec, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class CriteriaError:
    """A problem with a criteria set. `criterion` is the code concerned (None for the whole set);
    `figures` holds the numbers a message needs (e.g. {"total": 100, "actual": Decimal("99.75")})."""

    code: str
    criterion: str | None = None
    figures: Mapping[str, object] = field(default_factory=dict)


def _walk(specs: Sequence[CriterionSpec], step: Decimal) -> Iterator[tuple[CriterionSpec, Decimal]]:
    """Every criterion of the tree, depth first, with its effective step."""
    for spec in specs:
        own = _own_step(spec, step)
        yield spec, own
        yield from _walk(spec.children, own)


def _valid_step(step: Decimal) -> bool:
    return step.is_finite() and step > 0 and _two_places(step)


def _require_step(step: Decimal) -> None:
    if not _valid_step(step):
        raise ValueError(f"a step must be positive with at most 2 decimals, not {step}")


def _own_step(spec: CriterionSpec, inherited: Decimal) -> Decimal:
    # A bad step is reported on its criterion; its children fall back on the inherited one.
    return spec.step if spec.step is not None and _valid_step(spec.step) else inherited


def _two_places(value: Decimal) -> bool:
    return value.is_finite() and value == value.quantize(_CENT)


def _multiple_of(value: Decimal, step: Decimal) -> bool:
    return value % step == 0


def validate_criteria(
    specs: Sequence[CriterionSpec], total: Decimal = TOTAL_POINTS, *, default_step: Decimal = DEFAULT_STEP
) -> list[CriteriaError]:
    """Every problem with a criteria set, in tree order (an empty list: the set is valid).

    Codes: "empty" (no criteria at all); "blank_code", "blank_title"; "duplicate_code" (anywhere in
    the tree); "mandatory_with_points" (a mandatory criterion with a maximum or a step);
    "points_under_mandatory" (a scored criterion below a mandatory one); "bad_max" (a scored
    criterion without a positive, finite maximum); "bad_step" (a step not positive or finer than
    0.01); "max_not_multiple_of_step" (a leaf's maximum is not a whole number of its steps, e.g. 10.1
    in steps of 0.25); "child_sum_mismatch" (figures `expected`, `actual`); "sum_not_total" (the top
    scored criteria's maxima; figures `total`, `actual`). A set of mandatory criteria only is valid
    with `total` = 0. Only leaves are scored, so a parent's own step merely sets its children's
    default."""
    _require_step(default_step)
    if not specs:
        return [CriteriaError("empty")]
    problems: list[CriteriaError] = []
    seen: set[str] = set()
    reported: set[str] = set()
    for spec, step in _walk(specs, default_step):
        code = spec.code.strip()
        if not code:
            problems.append(CriteriaError("blank_code", None, {"title": spec.title}))
        elif code in seen and code not in reported:
            problems.append(CriteriaError("duplicate_code", code))
            reported.add(code)
        seen.add(code)
        if not spec.title.strip():
            problems.append(CriteriaError("blank_title", spec.code))
        if spec.mandatory:
            if spec.max_points is not None or spec.step is not None:
                problems.append(
                    CriteriaError(
                        "mandatory_with_points",
                        spec.code,
                        {"max_points": spec.max_points, "step": spec.step},
                    )
                )
            problems.extend(
                CriteriaError("points_under_mandatory", child.code, {"parent": spec.code})
                for child in spec.children
                if not child.mandatory
            )
            continue
        bad_step = spec.step is not None and not _valid_step(spec.step)
        if bad_step:
            problems.append(CriteriaError("bad_step", spec.code, {"step": spec.step}))
        maximum = spec.max_points
        if maximum is None or not maximum.is_finite() or maximum <= 0:
            problems.append(CriteriaError("bad_max", spec.code, {"max_points": maximum}))
            continue
        if spec.is_leaf and not bad_step and not (_two_places(maximum) and _multiple_of(maximum, step)):
            problems.append(
                CriteriaError("max_not_multiple_of_step", spec.code, {"max_points": maximum, "step": step})
            )
        scored = [c for c in spec.children if not c.mandatory]
        if spec.children and _maxima_known(scored):
            actual = _sum_max(scored)
            if actual != maximum:
                problems.append(
                    CriteriaError("child_sum_mismatch", spec.code, {"expected": maximum, "actual": actual})
                )
    top = [s for s in specs if not s.mandatory]
    if _maxima_known(top):
        actual = _sum_max(top)
        if actual != total:
            problems.append(CriteriaError("sum_not_total", None, {"total": total, "actual": actual}))
    return problems


def _maxima_known(specs: Sequence[CriterionSpec]) -> bool:
    # A missing or broken maximum is reported on its own; the sum it would spoil is not reported too.
    return all(s.max_points is not None and s.max_points.is_finite() for s in specs)


def _sum_max(specs: Sequence[CriterionSpec]) -> Decimal:
    return sum((s.max_points for s in specs if s.max_points is not None), Decimal(0))


# --- One score ------------------------------------------------------------------------------------


class ScoreError(ValueError):
    """A score that cannot be accepted; `code` names the rule it breaks, `figures` the numbers."""

    def __init__(self, code: str, **figures: object) -> None:
        super().__init__(code)
        self.code = code
        self.figures = figures


# ASCII digits only (Decimal() would also read other scripts' digits), one optional sign, at most one
# separator, which is the decimal one: "7,5" (Vietnamese) and "7.5" both read as 7.5.
_POINTS_TEXT = re.compile(r"([+-]?)(\d*)(?:[.,](\d*))?", re.ASCII)


def parse_points(text: str) -> Decimal:
    """Points typed by a person: "7,5" or "7.5" → Decimal("7.5"); surrounding spaces ignored (text is
    NFC-normalised first). Refused with `ScoreError`: "unreadable" for anything but digits, an
    optional sign and one separator — so "1.000,5" or "1,000.5" are never guessed — and
    "too_many_decimals" for more than 2 digits after the separator, which also refuses "1.000" (a
    thousand in Vietnamese writing, one in English): no score is ever read the wrong way round."""
    cleaned = unicodedata.normalize("NFC", text).strip()
    match = _POINTS_TEXT.fullmatch(cleaned)
    if not match or not (match.group(2) or match.group(3)):
        raise ScoreError("unreadable", text=text)
    sign, whole, fraction = match.group(1), match.group(2) or "0", match.group(3) or ""
    if len(fraction) > PLACES:
        raise ScoreError("too_many_decimals", text=text)
    return Decimal(f"{sign}{whole}.{fraction or '0'}")


def as_points(value: Decimal | int | str) -> Decimal:
    """`value` as a Decimal: strings through `parse_points`. Floats (and bools) are refused with
    TypeError: a float has already lost the exact value."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"points must be Decimal, int or str, not {type(value).__name__}")
    if isinstance(value, str):
        return parse_points(value)
    return Decimal(value)


def check_score(value: Decimal | int | str, max_points: Decimal, step: Decimal = DEFAULT_STEP) -> Decimal:
    """The score as a Decimal with 2 places if it fits a criterion of `max_points` scored in
    `step`s; otherwise `ScoreError` with code "not_a_number", "too_many_decimals", "negative",
    "above_max" (figures `value`, `max_points`) or "off_step" (figures `value`, `step`, and the
    nearest accepted scores `below` and `above`, `above` None past the maximum)."""
    _require_step(step)
    points = as_points(value)
    if not points.is_finite():
        raise ScoreError("not_a_number", value=value)
    if not _two_places(points):
        raise ScoreError("too_many_decimals", value=points)
    if points < 0:
        raise ScoreError("negative", value=points)
    if points > max_points:
        raise ScoreError("above_max", value=points, max_points=max_points)
    if not _multiple_of(points, step):
        below = (points // step) * step
        above = below + step
        raise ScoreError(
            "off_step",
            value=points,
            step=step,
            below=below.quantize(_CENT),
            above=above.quantize(_CENT) if above <= max_points else None,
        )
    return points.quantize(_CENT)


# --- A scorecard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scorecard:
    """One scorer's (or the unit's own) card on a criteria set.

    `points` has every scored criterion with a score: leaves as given, parents the sum of their
    children's given scores. A leaf without a score counts 0 in the sums and is listed in
    `missing`. Mandatory criteria: `failed` lists those judged failed, `unjudged` those not judged.
    `unexpected` lists codes in the input that are not a scored leaf (for scores) or a mandatory
    leaf (for passes) of the set. A unit failing any mandatory criterion keeps its total, but
    `passed_mandatory` is False and it cannot be recognised (`recognisable`)."""

    total: Decimal
    max_total: Decimal
    points: Mapping[str, Decimal]
    missing: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    unjudged: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unjudged

    @property
    def passed_mandatory(self) -> bool:
        return not self.failed and not self.unjudged

    @property
    def recognisable(self) -> bool:
        return self.complete and self.passed_mandatory


def scorecard(
    specs: Sequence[CriterionSpec],
    scores: Mapping[str, Decimal | int | str],
    passes: Mapping[str, bool] | None = None,
    *,
    default_step: Decimal = DEFAULT_STEP,
) -> Scorecard:
    """Total a card: `scores` by leaf code, `passes` (mandatory leaf code → passed) by mandatory
    criterion. Each given score is checked with `check_score` against its leaf (a `ScoreError`
    names the criterion in `figures["criterion"]`). The set is assumed valid (`validate_criteria`)."""
    _require_step(default_step)
    passes = passes or {}
    points: dict[str, Decimal] = {}
    missing: list[str] = []
    failed: list[str] = []
    unjudged: list[str] = []
    scored_leaves: set[str] = set()
    mandatory_leaves: set[str] = set()

    def visit(spec: CriterionSpec, step: Decimal) -> Decimal:
        own = _own_step(spec, step)
        if spec.mandatory:
            for leaf in _leaves(spec):
                mandatory_leaves.add(leaf.code)
                verdict = passes.get(leaf.code)
                if verdict is None:
                    unjudged.append(leaf.code)
                elif not verdict:
                    failed.append(leaf.code)
            return Decimal(0)
        if spec.is_leaf:
            scored_leaves.add(spec.code)
            if spec.code not in scores:
                missing.append(spec.code)
                return Decimal(0)
            assert spec.max_points is not None
            try:
                value = check_score(scores[spec.code], spec.max_points, own)
            except ScoreError as error:
                error.figures["criterion"] = spec.code
                raise
            points[spec.code] = value
            return value
        subtotal = sum((visit(child, own) for child in spec.children), Decimal(0))
        points[spec.code] = subtotal
        return subtotal

    total = sum((visit(spec, default_step) for spec in specs), Decimal(0))
    unexpected = [c for c in scores if c not in scored_leaves] + [
        c for c in passes if c not in mandatory_leaves
    ]
    return Scorecard(
        total=total,
        max_total=_sum_max([s for s in specs if not s.mandatory]),
        points=points,
        missing=tuple(missing),
        failed=tuple(failed),
        unjudged=tuple(unjudged),
        unexpected=tuple(unexpected),
    )


def _leaves(spec: CriterionSpec) -> Iterator[CriterionSpec]:
    if spec.is_leaf:
        yield spec
    for child in spec.children:
        yield from _leaves(child)


# --- The council's final score --------------------------------------------------------------------


class Aggregation(StrEnum):
    MEAN = "mean"  # trung bình cộng
    TRIMMED_MEAN = "trimmed_mean"  # bỏ một điểm cao nhất và một điểm thấp nhất, rồi lấy trung bình


def round_half_up(value: Fraction, places: int = PLACES) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero (84.365 → 84.37), exactly."""
    scaled = abs(value) * 10**places
    whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def aggregate(
    scores: Sequence[Decimal | int | str],
    method: Aggregation | str = Aggregation.MEAN,
    *,
    trim_from: int = DEFAULT_TRIM_FROM,
) -> Decimal:
    """The final score from the council members' scores, rounded to 2 decimals half up. "mean":
    the plain mean. "trimmed_mean": with at least `trim_from` scores the single highest and the
    single lowest are dropped first (one of each, even when tied); with fewer, the plain mean.
    [80, 85, 90, 95, 60] trimmed → mean of 80, 85, 90 = 85.00. `ScoreError("no_scores")` when empty."""
    method = Aggregation(method)
    if trim_from < 3:
        raise ValueError("trim_from must be at least 3")
    values = sorted(Fraction(as_points(s)) for s in scores)
    if not values:
        raise ScoreError("no_scores")
    if method is Aggregation.TRIMMED_MEAN and len(values) >= trim_from:
        values = values[1:-1]
    return round_half_up(sum(values, Fraction(0)) / len(values))


@dataclass(frozen=True)
class CouncilResult:
    """The council's final scores. `points` per scored criterion (leaves and groups), each the
    aggregate of the members' points on it; `total` the aggregate of the members' totals. With
    rounding, and with a trimmed mean (which may drop different members on different criteria),
    the criteria's final points need not add up to `total` exactly: `total` is the one that ranks
    and recognises (a member's card is judged as a whole)."""

    points: Mapping[str, Decimal]
    total: Decimal
    members: int
    trimmed: bool


def council_result(
    cards: Sequence[Scorecard],
    method: Aggregation | str = Aggregation.MEAN,
    *,
    trim_from: int = DEFAULT_TRIM_FROM,
) -> CouncilResult:
    """Aggregate the council members' cards on one unit. Every card must have all its scores
    (`ScoreError("incomplete_card", member=index, missing=codes)`); mandatory criteria are judged by
    the council once, not aggregated here."""
    method = Aggregation(method)
    if not cards:
        raise ScoreError("no_scores")
    for index, card in enumerate(cards):
        if card.missing:
            raise ScoreError("incomplete_card", member=index, missing=card.missing)
    codes = list(dict.fromkeys(code for card in cards for code in card.points))
    return CouncilResult(
        points={
            code: aggregate([c.points.get(code, Decimal(0)) for c in cards], method, trim_from=trim_from)
            for code in codes
        },
        total=aggregate([c.total for c in cards], method, trim_from=trim_from),
        members=len(cards),
        trimmed=method is Aggregation.TRIMMED_MEAN and len(cards) >= trim_from,
    )


# === Part 2: titles, forms of award and their prerequisites ========================================


class Level(StrEnum):
    """Level of an award, and scope of an initiative's recognised effect, lowest first."""

    GRASSROOTS = "co_so"  # cơ sở
    MINISTRY = "bo_nganh_tinh"  # Bộ, ban, ngành, tỉnh
    NATIONAL = "toan_quoc"  # toàn quốc (Chính phủ, Thủ tướng Chính phủ)
    STATE = "nha_nuoc"  # Nhà nước (Chủ tịch nước: huân chương …)

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Subject(StrEnum):
    INDIVIDUAL = "individual"  # cá nhân
    COLLECTIVE = "collective"  # tập thể


class AwardKind(StrEnum):
    TITLE = "title"  # danh hiệu thi đua
    FORM = "form"  # hình thức khen thưởng


class TaskRating(StrEnum):
    """The year's rating of how a person or a collective did its tasks, lowest first."""

    NOT_DONE = "not_done"  # không hoàn thành nhiệm vụ
    DONE = "done"  # hoàn thành nhiệm vụ
    GOOD = "good"  # hoàn thành tốt nhiệm vụ
    EXCELLENT = "excellent"  # hoàn thành xuất sắc nhiệm vụ

    @property
    def rank(self) -> int:
        return list(TaskRating).index(self)


class Flag(StrEnum):
    """Judgements the unit states as yes/no facts."""

    SPIRIT = "spirit"  # tinh thần tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia thi đua
    EMULATION = "emulation"  # (tập thể) tích cực tham gia phong trào thi đua thường xuyên, hiệu quả
    UNITED = "united"  # (tập thể) nội bộ đoàn kết, gương mẫu chấp hành chủ trương, chính sách, pháp luật


@dataclass(frozen=True)
class Initiative:
    """A recognised initiative (sáng kiến) or an accepted scientific work (đề tài, đề án, công trình
    khoa học và công nghệ), counted in `year`, with the widest scope whose head recognised its
    effect and replicability (cơ sở / Bộ, ngành, tỉnh / toàn quốc)."""

    year: int
    scope: Level


@dataclass(frozen=True)
class Facts:
    """What the prerequisites read. Pass only *decided* awards in `history` (year → codes of the
    titles and forms awarded for that year). For an individual: `task_rating` of the year judged,
    `months_employed` from recruitment to the year's evaluation. For a collective: `members`, of
    whom `members_completed` completed their tasks, `member_titles` (code → members holding it for
    the year) and `members_disciplined` (members disciplined at cảnh cáo or above in the year)."""

    history: Mapping[int, Collection[str]] = field(default_factory=dict)
    initiatives: tuple[Initiative, ...] = ()
    task_rating: TaskRating | None = None
    months_employed: int | None = None
    flags: Mapping[str, bool] = field(default_factory=dict)
    members: int | None = None
    members_completed: int | None = None
    member_titles: Mapping[str, int] = field(default_factory=dict)
    members_disciplined: int | None = None

    def holds(self, code: str, year: int) -> bool:
        return code in self.history.get(year, ())


@dataclass(frozen=True)
class Failure:
    """A prerequisite not met: `code` for the message, `figures` for its numbers. Codes:
    "fact_missing" (fact), "task_rating_below" (needed, found), "recruited_too_recently" (needed,
    found), "title_missing" (title, year), "consecutive_missing" (title, needed, found, years,
    missing_years), "initiative_missing" (scope, from_year, to_year), "flag_not_met" (flag),
    "no_members", "members_share_below" (title — None for "completed their tasks" —, needed,
    found, members, share, comparison), "members_title_missing" (title, needed, found),
    "members_disciplined" (found), "none_of" (options: the failures of each alternative),
    "quota_exceeded" (title, of, base, allowed, proposed, share)."""

    code: str
    figures: Mapping[str, object] = field(default_factory=dict)


def _fail(code: str, **figures: object) -> Failure:
    return Failure(code, figures)


class Prerequisite(Protocol):
    def evaluate(self, year: int, facts: Facts) -> Failure | None: ...


@dataclass(frozen=True)
class MinTaskRating:
    """The year's task rating is at least `at_least`."""

    at_least: TaskRating

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        if facts.task_rating is None:
            return _fail("fact_missing", fact="task_rating")
        if facts.task_rating.rank < self.at_least.rank:
            return _fail("task_rating_below", needed=self.at_least, found=facts.task_rating)
        return None


@dataclass(frozen=True)
class MinMonthsEmployed:
    """Not for staff recruited less than `months` months before the year's evaluation."""

    months: int

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        if facts.months_employed is None:
            return _fail("fact_missing", fact="months_employed")
        if facts.months_employed < self.months:
            return _fail("recruited_too_recently", needed=self.months, found=facts.months_employed)
        return None


@dataclass(frozen=True)
class HoldsTitle:
    """Holds `title` for the year judged (or `years_back` years before it)."""

    title: str
    years_back: int = 0

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        wanted = year - self.years_back
        return (
            None if facts.holds(self.title, wanted) else _fail("title_missing", title=self.title, year=wanted)
        )


@dataclass(frozen=True)
class ConsecutiveTitle:
    """`count` consecutive awards of `title` ending with the year judged, `every` years apart:
    3 × CSTĐ cơ sở = the year and the two before; 2 × CSTĐ Bộ/tỉnh, each of which crowns three years
    of CSTĐ cơ sở, = the year and three years before (every=3)."""

    title: str
    count: int
    every: int = 1

    def years(self, year: int) -> tuple[int, ...]:
        return tuple(year - self.every * k for k in reversed(range(self.count)))

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        years = self.years(year)
        missing = tuple(y for y in years if not facts.holds(self.title, y))
        if not missing:
            return None
        return _fail(
            "consecutive_missing",
            title=self.title,
            needed=self.count,
            found=self.count - len(missing),
            years=years,
            missing_years=missing,
        )


@dataclass(frozen=True)
class HasInitiative:
    """An initiative (or scientific work) with a recognised scope of at least `scope`, counted in
    the year judged or the `within_years` - 1 years before it."""

    scope: Level
    within_years: int = 1

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        first = year - self.within_years + 1
        if any(first <= i.year <= year and i.scope.rank >= self.scope.rank for i in facts.initiatives):
            return None
        return _fail("initiative_missing", scope=self.scope, from_year=first, to_year=year)


@dataclass(frozen=True)
class FlagSet:
    """A judgement the unit states (`Flag`) is stated and true."""

    flag: Flag

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        value = facts.flags.get(self.flag)
        if value is None:
            return _fail("fact_missing", fact=str(self.flag))
        return None if value else _fail("flag_not_met", flag=self.flag)


@dataclass(frozen=True)
class MembersShare:
    """Of a collective's members, a share holding `title` for the year (None: who completed their
    tasks) meets `threshold` ("at least 70 %": 7 of 10; "more than 50 %": 6 of 10, not 5)."""

    threshold: Threshold
    title: str | None = None

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        if facts.members is None:
            return _fail("fact_missing", fact="members")
        if facts.members <= 0:
            return _fail("no_members")
        if self.title is None:
            if facts.members_completed is None:
                return _fail("fact_missing", fact="members_completed")
            found = facts.members_completed
        else:
            found = facts.member_titles.get(self.title, 0)
        if self.threshold.met(found, facts.members):
            return None
        return _fail(
            "members_share_below",
            title=self.title,
            needed=self.threshold.required(facts.members),
            found=found,
            members=facts.members,
            share=self.threshold.share,
            comparison=self.threshold.comparison,
        )


@dataclass(frozen=True)
class MembersWithTitle:
    """At least `count` members hold `title` for the year ("có cá nhân đạt CSTĐ cơ sở": 1)."""

    title: str
    count: int = 1

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        found = facts.member_titles.get(self.title, 0)
        if found >= self.count:
            return None
        return _fail("members_title_missing", title=self.title, needed=self.count, found=found)


@dataclass(frozen=True)
class NoMemberDisciplined:
    """No member disciplined at cảnh cáo or above in the year."""

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        if facts.members_disciplined is None:
            return _fail("fact_missing", fact="members_disciplined")
        return (
            _fail("members_disciplined", found=facts.members_disciplined)
            if facts.members_disciplined
            else None
        )


@dataclass(frozen=True)
class AnyOf:
    """At least one of `options` is met; otherwise one "none_of" failure listing each option's."""

    options: tuple[Prerequisite, ...]

    def evaluate(self, year: int, facts: Facts) -> Failure | None:
        failures = []
        for option in self.options:
            failure = option.evaluate(year, facts)
            if failure is None:
                return None
            failures.append(failure)
        return _fail("none_of", options=tuple(failures))


@dataclass(frozen=True)
class AwardType:
    """A title (danh hiệu thi đua) or form of award (hình thức khen thưởng). `prerequisites_known`
    is False where this module encodes none (the council checks the text itself), so an empty
    list of failures from `check_prerequisites` then means "not checked", not "met"."""

    code: str
    name: str
    kind: AwardKind
    subjects: frozenset[Subject]
    level: Level
    prerequisites: tuple[Prerequisite, ...] = ()
    prerequisites_known: bool = False


@dataclass(frozen=True)
class Quota:
    """At most `share` of the unit's holders of `of` for the year may get `title`, rounded down
    (15 % of 20 LĐTT = 3 CSTĐ cơ sở; of 19 = 2)."""

    title: str
    of: str
    share: Fraction

    def allowed(self, base: int) -> int:
        if base < 0:
            raise ValueError("a base cannot be negative")
        return math.floor(self.share * base)


@dataclass(frozen=True)
class AwardRules:
    regulation: str
    effective_from: dt.date
    catalogue: tuple[AwardType, ...]
    quotas: tuple[Quota, ...] = ()

    def award(self, code: str) -> AwardType:
        for award in self.catalogue:
            if award.code == code:
                return award
        raise KeyError(code)

    def quota(self, title: str) -> Quota | None:
        return next((q for q in self.quotas if q.title == title), None)


_INDIVIDUAL = frozenset({Subject.INDIVIDUAL})
_COLLECTIVE = frozenset({Subject.COLLECTIVE})
_BOTH = frozenset(Subject)

# Luật 06/2022/QH15, in force 01/01/2024. No official text was at hand: rules.md §6, and the articles
# as quoted by Báo Lao Động (Điều 23, 24; Thông tư 01/2024/TT-BNV), Báo Yên Bái and lawnet.vn
# (Chiến sĩ thi đua Bộ/tỉnh and toàn quốc), the Thừa Thiên Huế Sở Tư pháp and HUST (Điều 27), and
# the Ban Thi đua - Khen thưởng Trung ương's answers on the earlier law. Where an official text is at
# hand, it wins.
_AWARDS_2024 = (
    # Điều 24: "hoàn thành tốt nhiệm vụ trở lên" and the spirit of self-reliance, solidarity and
    # emulation. Thông tư 01/2024/TT-BNV: not for staff recruited less than 6 months before (the
    # previous Nghị định 91/2017/NĐ-CP said 10 months; rules.md still quotes that one).
    AwardType(
        "LDTT",
        "Lao động tiên tiến",
        AwardKind.TITLE,
        _INDIVIDUAL,
        Level.GRASSROOTS,
        (MinTaskRating(TaskRating.GOOD), FlagSet(Flag.SPIRIT), MinMonthsEmployed(6)),
        prerequisites_known=True,
    ),
    # Điều 23: the standard of Lao động tiên tiến (this module checks the title held for the year),
    # and completing tasks excellently *or* an initiative recognised at the grassroots *or* an
    # accepted scientific work (the 2003 law required the initiative; rules.md still says so).
    AwardType(
        "CSTD_CS",
        "Chiến sĩ thi đua cơ sở",
        AwardKind.TITLE,
        _INDIVIDUAL,
        Level.GRASSROOTS,
        (
            HoldsTitle("LDTT"),
            AnyOf((MinTaskRating(TaskRating.EXCELLENT), HasInitiative(Level.GRASSROOTS, within_years=1))),
        ),
        prerequisites_known=True,
    ),
    # 3 consecutive CSTĐ cơ sở, the third in the year judged; an initiative applied effectively and
    # replicable in the Bộ, ban, ngành, tỉnh (⚠ counted within those three years).
    AwardType(
        "CSTD_BO",
        "Chiến sĩ thi đua Bộ, ban, ngành, tỉnh",
        AwardKind.TITLE,
        _INDIVIDUAL,
        Level.MINISTRY,
        (ConsecutiveTitle("CSTD_CS", 3), HasInitiative(Level.MINISTRY, within_years=3)),
        prerequisites_known=True,
    ),
    # 2 consecutive CSTĐ Bộ/tỉnh (⚠ "consecutive" = three years apart, each crowning three years of
    # CSTĐ cơ sở: six years in a row, as the Ban Thi đua - Khen thưởng Trung ương read the same words
    # of the earlier law); an initiative with nationwide effect (⚠ counted within those six years).
    AwardType(
        "CSTD_TQ",
        "Chiến sĩ thi đua toàn quốc",
        AwardKind.TITLE,
        _INDIVIDUAL,
        Level.NATIONAL,
        (ConsecutiveTitle("CSTD_BO", 2, every=3), HasInitiative(Level.NATIONAL, within_years=6)),
        prerequisites_known=True,
    ),
    # ⚠ Not confirmed in the 2022 text (rules.md; the earlier law's article said the same): tasks
    # completed well, active emulation, more than 50 % Lao động tiên tiến, nobody disciplined at
    # cảnh cáo or above, united.
    AwardType(
        "TTLDTT",
        "Tập thể lao động tiên tiến",
        AwardKind.TITLE,
        _COLLECTIVE,
        Level.GRASSROOTS,
        (
            MinTaskRating(TaskRating.GOOD),
            FlagSet(Flag.EMULATION),
            MembersShare(Threshold(Fraction(1, 2), Comparison.MORE_THAN), "LDTT"),
            NoMemberDisciplined(),
            FlagSet(Flag.UNITED),
        ),
        prerequisites_known=True,
    ),
    # Điều 27: tasks completed excellently; active emulation; 100 % of members completed their
    # tasks and at least 70 % are Lao động tiên tiến; at least one CSTĐ cơ sở; united. (The
    # earlier law also excluded members disciplined at cảnh cáo or above; the 2022 text does not.)
    # ⚠ Level: awarded by the Bộ/tỉnh head under the earlier law; not confirmed for 2022.
    AwardType(
        "TTLDXS",
        "Tập thể lao động xuất sắc",
        AwardKind.TITLE,
        _COLLECTIVE,
        Level.MINISTRY,
        (
            MinTaskRating(TaskRating.EXCELLENT),
            FlagSet(Flag.EMULATION),
            MembersShare(Threshold(Fraction(1), Comparison.AT_LEAST)),
            MembersShare(Threshold(Fraction(70, 100), Comparison.AT_LEAST), "LDTT"),
            MembersWithTitle("CSTD_CS", 1),
            FlagSet(Flag.UNITED),
        ),
        prerequisites_known=True,
    ),
    # ⚠ Prerequisites of the flags and forms of award below were not found in the 2022 law or
    # Nghị định 98/2023 (the figures seen belong to the earlier Nghị định 65/2014 and 91/2017):
    # none are encoded, `prerequisites_known` stays False.
    AwardType("CO_BO", "Cờ thi đua của Bộ, ban, ngành, tỉnh", AwardKind.TITLE, _COLLECTIVE, Level.MINISTRY),
    AwardType("CO_CP", "Cờ thi đua của Chính phủ", AwardKind.TITLE, _COLLECTIVE, Level.NATIONAL),
    AwardType("GK", "Giấy khen", AwardKind.FORM, _BOTH, Level.GRASSROOTS),
    AwardType("BK_BO", "Bằng khen cấp Bộ, ban, ngành, tỉnh", AwardKind.FORM, _BOTH, Level.MINISTRY),
    AwardType("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", AwardKind.FORM, _BOTH, Level.NATIONAL),
    AwardType("HCLD3", "Huân chương Lao động hạng Ba", AwardKind.FORM, _BOTH, Level.STATE),
)

AWARD_RULES: tuple[AwardRules, ...] = (
    AwardRules(
        regulation=(
            "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP ngày 31/12/2023; "
            "Thông tư 01/2024/TT-BNV"
        ),
        effective_from=dt.date(2024, 1, 1),
        catalogue=_AWARDS_2024,
        # ⚠ 15 % of those rated Lao động tiên tiến, rounded down: the cap of Nghị định 91/2017/NĐ-CP
        # (rules.md); no figure found in Nghị định 98/2023. A setting, per unit group.
        quotas=(Quota("CSTD_CS", "LDTT", Fraction(15, 100)),),
    ),
)


def award_rules(on: dt.date) -> AwardRules:
    return in_force(AWARD_RULES, on)


def check_prerequisites(code: str, year: int, facts: Facts, *, on: dt.date | None = None) -> list[Failure]:
    """The prerequisites of award `code` for achievements of `year` that `facts` do not meet, under
    the rule set in force on `on` (default: 31 December of `year`). An empty list means met — or,
    where the award's `prerequisites_known` is False, not checked. Unknown codes raise KeyError;
    a date before any rule set, LookupError. The group quota is `check_quota`'s."""
    rules = award_rules(on or dt.date(year, 12, 31))
    award = rules.award(code)
    return [f for f in (p.evaluate(year, facts) for p in award.prerequisites) if f is not None]


def quota_allowed(title: str, base: int, *, on: dt.date) -> int | None:
    """How many of a unit may get `title`, given `base` holders of the quota's base title (None:
    no quota for this title)."""
    quota = award_rules(on).quota(title)
    return None if quota is None else quota.allowed(base)


def check_quota(title: str, proposed: int, base: int, *, on: dt.date) -> Failure | None:
    """Whether proposing `proposed` people of one unit for `title` keeps within the quota, `base`
    being the number the quota counts from (for CSTĐ cơ sở: those rated Lao động tiên tiến)."""
    quota = award_rules(on).quota(title)
    if quota is None:
        return None
    allowed = quota.allowed(base)
    if proposed <= allowed:
        return None
    return _fail(
        "quota_exceeded",
        title=title,
        of=quota.of,
        base=base,
        allowed=allowed,
        proposed=proposed,
        share=quota.share,
    )


def mandatory_met(verdicts: Sequence[bool]) -> bool:
    """A mandatory (pass/fail) criterion is met when more than half of the council members who
    judged it say so (⚠ no published figure: the council decides as Party bodies do, by majority)."""
    return bool(verdicts) and sum(1 for v in verdicts if v) * 2 > len(verdicts)
