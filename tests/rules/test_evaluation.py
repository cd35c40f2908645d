"""Annual quality evaluation, from the figures of 366-QĐ/TW Điều 11 and 43-HD/BTCTW (rules.md §5)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules.evaluation import (
    EVALUATION_RULES,
    EvaluationError,
    Level,
    Reason,
    check_quota,
    classify,
    classify_under,
    evaluation_rules,
    max_excellent,
    total_score,
)

ON = dt.date(2025, 12, 15)  # the evaluation of 2025
RULES = evaluation_rules(ON)
X, T, H, K = Level.HTXSNV, Level.HTTNV, Level.HTNV, Level.KHTNV


def _classify(score=95, total=10, done=10, on_time=10, exceeding=3, **extra):
    """Results that meet every condition of HTXSNV unless told otherwise."""
    return classify(
        score=score,
        tasks_total=total,
        tasks_done=done,
        tasks_on_time=on_time,
        tasks_exceeding=exceeding,
        on=ON,
        **extra,
    )


def _codes(result, level):
    return [s.code for s in result.why_not(level)]


# --- The rule set and its date --------------------------------------------------------------------


def test_the_rule_set_is_366_from_the_day_it_was_signed():
    assert "366-QĐ/TW" in RULES.regulation and "43-HD/BTCTW" in RULES.regulation
    assert evaluation_rules(dt.date(2025, 8, 30)) is RULES
    assert evaluation_rules(dt.date(2030, 1, 1)) is RULES


def test_before_366_there_is_no_point_scale():
    with pytest.raises(LookupError, match="no point-scale rule set"):
        evaluation_rules(dt.date(2025, 8, 29))
    with pytest.raises(LookupError):
        classify(
            score=95,
            tasks_total=10,
            tasks_done=10,
            tasks_on_time=10,
            tasks_exceeding=3,
            on=dt.date(2024, 12, 15),  # judged under 124-QĐ/TW: criteria, no points
        )
    day_of = classify(
        score=95, tasks_total=10, tasks_done=10, tasks_on_time=10, tasks_exceeding=3, on=dt.date(2025, 8, 30)
    )
    assert day_of.code == "HTXSNV" and "366-QĐ/TW" in day_of.regulation


def test_the_figures_are_settings_of_the_rule_set():
    assert (RULES.general_max, RULES.tasks_max, RULES.scale_max) == (30, 70, 100)
    assert [RULES.individual[level].floor for level in (X, T, H)] == [90, 70, 50]
    assert RULES.individual[X].exceeding_share == Fraction(3, 10)
    assert RULES.collective[H].late_share_max == Fraction(1, 5)
    assert RULES.individual[H].late_share_max is None  # ⚠ no figure found for individuals
    assert RULES.collective[X].no_discipline and not RULES.individual[X].no_discipline
    assert RULES.excellent_quota == Fraction(1, 5)
    assert len(EVALUATION_RULES) == 1


# --- The score: parts, types, range ---------------------------------------------------------------


def test_total_score_adds_the_two_parts_exactly():
    assert total_score(general=30, tasks=70, on=ON) == 100
    assert total_score(general=Decimal("27.5"), tasks=Decimal("62.49"), on=ON) == Fraction(8999, 100)
    assert total_score(general=0, tasks=0, on=ON) == 0
    assert total_score(general=20.1, tasks=69.9, on=ON) == 90  # floats through their decimal form


@pytest.mark.parametrize(
    ("general", "tasks", "part"),
    [(31, 50, "general"), (-1, 50, "general"), (20, Decimal("70.01"), "tasks"), (20, -0.5, "tasks")],
)
def test_a_part_above_its_maximum_or_negative_is_refused(general, tasks, part):
    with pytest.raises(EvaluationError) as caught:
        total_score(general=general, tasks=tasks, on=ON)
    assert caught.value.code == "part_out_of_range" and caught.value.figures["part"] == part


@pytest.mark.parametrize("score", [-0.01, Decimal("-0.01"), 100.01, Decimal("100.01"), 101, -1])
def test_a_score_outside_the_scale_is_refused(score):
    with pytest.raises(ValueError) as caught:
        _classify(score=score)
    assert isinstance(caught.value, EvaluationError) and caught.value.code == "score_out_of_range"


@pytest.mark.parametrize("score", [float("nan"), float("inf"), Decimal("NaN"), Decimal("Infinity")])
def test_a_score_that_is_not_finite_is_refused(score):
    with pytest.raises(EvaluationError) as caught:
        _classify(score=score)
    assert caught.value.code == "score_not_finite"


@pytest.mark.parametrize("score", ["90", True, None])
def test_a_score_must_be_a_number(score):
    with pytest.raises(TypeError):
        _classify(score=score)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, X),
        (90, X),
        (Decimal("90.00"), X),
        (Fraction(90), X),
        (90.0, X),
        (89.99, T),
        (Decimal("89.99"), T),
        (Fraction(8999, 100), T),
        (70, T),
        (69.99, H),
        (Decimal("69.999"), H),
        (50, H),
        (49.99, K),
        (0, K),
    ],
)
def test_score_floors_on_both_sides(score, level):
    result = _classify(score=score)
    assert result.level is level and result.code == level.value


def test_float_scores_are_read_in_decimal():
    # 89.99 as a binary float is 89.98999…; read as 8999/100 it stays under 90 by exactly 1/100.
    result = _classify(score=89.99)
    assert result.score == Fraction(8999, 100)
    (shortfall,) = result.why_not(X)
    assert shortfall.reason is Reason.SCORE_BELOW
    assert (shortfall.actual, shortfall.threshold) == (Fraction(8999, 100), 90)


# --- HTXSNV: each condition failing alone ----------------------------------------------------------


def test_all_conditions_met_is_excellent():
    result = _classify()
    assert result.code == "HTXSNV" and result.level is X and result.missed == {}


def test_exactly_30_percent_exceeding_is_enough_and_one_less_is_not():
    assert _classify(total=10, exceeding=3).level is X
    result = _classify(total=10, exceeding=2)
    assert result.level is T and _codes(result, X) == ["exceeding_below"]
    (shortfall,) = result.why_not(X)
    # "mới có 2/10 nhiệm vụ vượt yêu cầu (cần ≥ 30 %, tức 3)"
    assert (shortfall.actual, shortfall.whole, shortfall.threshold, shortfall.limit) == (
        2,
        10,
        Fraction(3, 10),
        3,
    )


def test_the_30_percent_rounds_up_to_a_whole_task():
    # 30 % of 7 is 2.1: 3 tasks are needed, 2 are not enough.
    assert _classify(total=7, done=7, on_time=7, exceeding=3).level is X
    result = _classify(total=7, done=7, on_time=7, exceeding=2)
    assert result.level is T and result.why_not(X)[0].limit == 3


def test_a_late_task_costs_excellent_and_good():
    # 9 of 10 on time: neither HTXSNV nor HTTNV; all done, so HTNV.
    result = _classify(score=95, on_time=9)
    assert result.level is H
    assert _codes(result, X) == ["not_all_on_time"] and _codes(result, T) == ["not_all_on_time"]
    shortfall = result.why_not(T)[0]
    assert (shortfall.actual, shortfall.whole, shortfall.limit) == (9, 10, 10)


def test_open_shortcomings_cost_excellent_only():
    result = _classify(shortcomings=3, shortcomings_fixed=2)
    assert result.level is T and _codes(result, X) == ["shortcomings_open"]
    shortfall = result.why_not(X)[0]
    assert (shortfall.actual, shortfall.whole, shortfall.limit) == (2, 3, 3)
    assert _classify(shortcomings=3, shortcomings_fixed=3).level is X


def test_an_individual_with_open_shortcomings_is_not_excellent_either():
    # 366 Điều 11 k1 lists "fixed 100 % of the shortcomings" after the collective and the individual cases.
    assert _classify(collective=False, shortcomings=1).level is T


def test_discipline_costs_a_collective_excellent_but_not_an_individual():
    result = _classify(collective=True, disciplined=True)
    assert result.level is T and _codes(result, X) == ["disciplined"]
    assert _classify(collective=False, disciplined=True).level is X  # ⚠ not a condition for individuals
    assert _classify(collective=True, disciplined=False).level is X


def test_every_missed_condition_is_reported_not_only_the_first():
    result = _classify(
        score=60,
        on_time=8,
        exceeding=1,
        collective=True,
        disciplined=True,
        shortcomings=2,
        shortcomings_fixed=0,
    )
    assert result.level is H
    assert _codes(result, X) == [
        "score_below",
        "not_all_on_time",
        "exceeding_below",
        "disciplined",
        "shortcomings_open",
    ]
    assert _codes(result, T) == ["score_below", "not_all_on_time"]
    assert result.why_not(H) == () and result.why_not(K) == ()


# --- HTTNV -----------------------------------------------------------------------------------------


def test_good_needs_70_points_and_every_task_on_time():
    assert _classify(score=75, exceeding=0).level is T
    result = _classify(score=75, exceeding=0, on_time=9)
    assert result.level is H and _codes(result, T) == ["not_all_on_time"]


def test_a_high_score_without_the_excellent_conditions_is_good():
    # 95 points but 1 task of 10 exceeding: the highest level whose floor and conditions hold.
    result = _classify(score=95, exceeding=1)
    assert result.level is T and _codes(result, X) == ["exceeding_below"]


# --- HTNV and KHTNV: done, late, collective vs individual -----------------------------------------


def test_htnv_needs_every_task_done():
    result = _classify(score=60, done=9, on_time=9)
    assert result.level is K
    assert _codes(result, H) == ["not_all_done"]
    shortfall = result.why_not(H)[0]
    assert (shortfall.actual, shortfall.whole, shortfall.limit) == (9, 10, 10)


def test_an_individual_may_do_tasks_late_at_htnv():
    # ⚠ 366 puts the 20 % late limit on collectives; no limit for individuals was found.
    assert _classify(score=60, on_time=5, exceeding=0).level is H


@pytest.mark.parametrize(("on_time", "level"), [(10, H), (8, H), (7, K), (0, K)])
def test_a_collective_may_have_up_to_20_percent_of_tasks_late(on_time, level):
    result = _classify(score=60, total=10, done=10, on_time=on_time, exceeding=0, collective=True)
    assert result.level is level
    if level is K:
        assert _codes(result, H) == ["late_share_above"]
        shortfall = result.why_not(H)[0]
        assert (shortfall.actual, shortfall.whole, shortfall.threshold, shortfall.limit) == (
            10 - on_time,
            10,
            Fraction(1, 5),
            2,
        )


def test_the_20_percent_late_rounds_down_to_a_whole_task():
    # 20 % of 9 is 1.8: one late task is allowed, two are not.
    assert _classify(score=60, total=9, done=9, on_time=8, exceeding=0, collective=True).level is H
    assert _classify(score=60, total=9, done=9, on_time=7, exceeding=0, collective=True).level is K


def test_a_collective_needs_every_task_done_as_well_as_few_late():
    # 1 of 10 not done: late share 10 % is within the limit, but not every task is done.
    result = _classify(score=60, total=10, done=9, on_time=9, exceeding=0, collective=True)
    assert result.level is K and _codes(result, H) == ["not_all_done"]
    # An undone task counts as late too: 3 undone is both not done and over the limit.
    result = _classify(score=60, total=10, done=7, on_time=7, exceeding=0, collective=True)
    assert _codes(result, H) == ["not_all_done", "late_share_above"]


def test_khtnv_below_50_explains_every_level():
    result = _classify(score=49)
    assert result.level is K
    assert set(result.missed) == {X, T, H}
    assert all(_codes(result, level)[0] == "score_below" for level in (X, T, H))
    assert [s.limit for s in (result.why_not(X)[0], result.why_not(T)[0], result.why_not(H)[0])] == [
        90,
        70,
        50,
    ]


# --- No tasks --------------------------------------------------------------------------------------


def test_with_no_tasks_the_shares_are_vacuous_and_the_score_decides():
    no_tasks = {"total": 0, "done": 0, "on_time": 0, "exceeding": 0}
    assert _classify(score=95, **no_tasks).level is X
    assert _classify(score=95, collective=True, **no_tasks).level is X
    assert _classify(score=75, **no_tasks).level is T
    assert _classify(score=40, **no_tasks).level is K
    assert _classify(score=95, **no_tasks).tasks_total == 0


# --- Impossible counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "code"),
    [
        ({"total": -1, "done": 0, "on_time": 0, "exceeding": 0}, "negative"),
        ({"total": 10, "done": -1, "on_time": 0, "exceeding": 0}, "negative"),
        ({"total": 10, "done": 10, "on_time": 10, "exceeding": -1}, "negative"),
        ({"total": 10, "done": 11, "on_time": 10, "exceeding": 3}, "done_exceeds_total"),
        ({"total": 10, "done": 9, "on_time": 10, "exceeding": 3}, "on_time_exceeds_done"),
        ({"total": 10, "done": 9, "on_time": 9, "exceeding": 10}, "exceeding_exceeds_done"),
        ({"shortcomings": 2, "shortcomings_fixed": 3}, "fixed_exceeds_shortcomings"),
        ({"shortcomings": -1}, "negative"),
        ({"shortcomings": 0, "shortcomings_fixed": -1}, "negative"),
    ],
)
def test_impossible_counts_are_refused(counts, code):
    with pytest.raises(ValueError) as caught:
        _classify(**counts)
    assert isinstance(caught.value, EvaluationError) and caught.value.code == code


@pytest.mark.parametrize("counts", [{"total": 10.0}, {"exceeding": True}, {"shortcomings": "1"}])
def test_counts_must_be_whole_numbers(counts):
    with pytest.raises(TypeError):
        _classify(**counts)


# --- The quota -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("good", "allowed"), [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3), (100, 20)]
)
def test_quota_is_20_percent_of_those_rated_good_rounded_down(good, allowed):
    assert max_excellent(good, RULES) == allowed


def test_quota_check_counts_how_many_are_over():
    group = [T] * 10 + [X] * 3 + [H, K]
    check = check_quota(group, RULES)
    assert (check.excellent, check.good, check.allowed, check.over) == (3, 10, 2, 1)
    assert check_quota([T] * 10 + [X] * 2, RULES).over == 0
    assert check_quota([T] * 4 + [X], RULES).over == 1  # 4 good allow none
    assert check_quota([], RULES).over == 0


def test_quota_reads_level_codes():
    assert check_quota(["HTTNV"] * 9 + ["HTXSNV"] * 2, RULES).over == 1
    with pytest.raises(ValueError):
        check_quota(["excellent"], RULES)


def test_quota_share_and_base_are_settings():
    fifteen = dataclasses.replace(RULES, excellent_quota=Fraction(15, 100))
    assert max_excellent(20, fifteen) == 3
    # The other reading: HTXSNV chosen among the good, so they count in the base.
    inclusive = dataclasses.replace(RULES, quota_base_includes_excellent=True)
    assert check_quota([T] * 8 + [X] * 2, inclusive).allowed == 2
    assert check_quota([T] * 8 + [X] * 2, RULES).allowed == 1


def test_quota_refuses_negative_counts():
    with pytest.raises(EvaluationError):
        max_excellent(-1, RULES)


# --- Settings change the result, never a literal ---------------------------------------------------


def test_classify_under_reads_every_figure_from_the_rule_set():
    stricter = dataclasses.replace(
        RULES,
        individual={**RULES.individual, X: dataclasses.replace(RULES.individual[X], floor=Fraction(95))},
    )
    common = {"tasks_total": 10, "tasks_done": 10, "tasks_on_time": 10, "tasks_exceeding": 3}
    assert classify_under(RULES, score=92, **common).level is X
    result = classify_under(stricter, score=92, **common)
    assert result.level is T and result.why_not(X)[0].limit == 95


@given(
    score=st.decimals(min_value=0, max_value=100, places=2),
    total=st.integers(min_value=0, max_value=40),
    data=st.data(),
)
def test_the_level_reached_meets_its_conditions_and_every_higher_level_misses_one(score, total, data):
    done = data.draw(st.integers(min_value=0, max_value=total))
    on_time = data.draw(st.integers(min_value=0, max_value=done))
    exceeding = data.draw(st.integers(min_value=0, max_value=done))
    collective = data.draw(st.booleans())
    result = classify(
        score=score,
        tasks_total=total,
        tasks_done=done,
        tasks_on_time=on_time,
        tasks_exceeding=exceeding,
        on=ON,
        collective=collective,
    )
    order = [X, T, H, K]
    reached = order.index(result.level)
    assert list(result.missed) == order[:reached]
    assert all(result.why_not(level) for level in order[:reached])
    if result.level is not K:
        rule = (RULES.collective if collective else RULES.individual)[result.level]
        assert score >= rule.floor
    if result.level in (X, T):
        assert on_time == total
    if result.level is X:
        assert exceeding * 10 >= 3 * total
