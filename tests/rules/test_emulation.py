"""Emulation rules: criteria sets that add up to 100, scores in steps, the council's mean, and the
prerequisites of titles under Luật Thi đua, khen thưởng 06/2022/QH15 and its decree and circular."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.rules.emulation import (
    DEFAULT_STEP,
    Aggregation,
    AwardKind,
    ConsecutiveTitle,
    CriterionSpec,
    Facts,
    Flag,
    Initiative,
    Level,
    MinMonthsEmployed,
    Quota,
    ScoreError,
    Subject,
    TaskRating,
    aggregate,
    award_rules,
    check_prerequisites,
    check_quota,
    check_score,
    council_result,
    parse_points,
    quota_allowed,
    round_half_up,
    scorecard,
    validate_criteria,
)

D = Decimal
ON = dt.date(2024, 12, 20)
RULES = award_rules(ON)


def scored(code: str, points: str, *children: CriterionSpec, step: str | None = None) -> CriterionSpec:
    return CriterionSpec(code, f"Tiêu chí {code}", D(points), D(step) if step else None, children=children)


def mandatory(code: str, *children: CriterionSpec) -> CriterionSpec:
    return CriterionSpec(code, f"Tiêu chí bắt buộc {code}", mandatory=True, children=children)


# An illustrative set in the shape seed 001 describes for a "Dân vận khéo" model: specific criteria
# on a 100-point scale plus common mandatory criteria (the figures are made up for the test).
DAN_VAN_KHEO = (
    mandatory("C1"),  # e.g. no member disciplined in the year
    mandatory("C2"),  # e.g. the model registered in time
    scored("A", "40", scored("A1", "15"), scored("A2", "25")),
    scored("B", "35", scored("B1", "20", step="0.5"), scored("B2", "15")),
    scored("C", "25"),
)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- Criteria sets --------------------------------------------------------------------------------


def test_a_set_adding_up_to_100_is_valid():
    assert validate_criteria(DAN_VAN_KHEO) == []


@pytest.mark.parametrize("last", ["24.75", "25.25"])
def test_a_set_of_99_75_or_100_25_points_is_refused_with_its_sum(last):
    specs = (*DAN_VAN_KHEO[:4], scored("C", last))
    [problem] = validate_criteria(specs)
    assert problem.code == "sum_not_total" and problem.criterion is None
    assert problem.figures == {"total": D(100), "actual": D(75) + D(last)}


def test_sub_criteria_must_add_up_to_their_parent():
    specs = (scored("A", "40", scored("A1", "15"), scored("A2", "24.5")), scored("B", "60"))
    [problem] = validate_criteria(specs)
    assert (problem.code, problem.criterion) == ("child_sum_mismatch", "A")
    assert problem.figures == {"expected": D(40), "actual": D("39.5")}


def test_nested_groups_are_checked_at_every_level():
    specs = (
        scored("A", "100", scored("A1", "50", scored("A1a", "30"), scored("A1b", "30")), scored("A2", "50")),
    )
    assert [(p.code, p.criterion) for p in validate_criteria(specs)] == [("child_sum_mismatch", "A1")]


def test_a_leaf_maximum_must_be_a_whole_number_of_steps():
    # 10.1 is not a multiple of 0.25; 10.5 is not a multiple of 1 (an own step), 10.5 of 0.5 is.
    specs = (scored("A", "10.1"), scored("B", "10.5", step="1"), scored("C", "79.4", step="0.5"))
    problems = validate_criteria(specs)
    assert [(p.code, p.criterion) for p in problems] == [
        ("max_not_multiple_of_step", "A"),
        ("max_not_multiple_of_step", "B"),
        ("max_not_multiple_of_step", "C"),
    ]
    assert problems[0].figures == {"max_points": D("10.1"), "step": DEFAULT_STEP}


def test_a_parent_step_is_the_default_of_its_children():
    # B1 inherits 0.5 from B: 20.25 is not a whole number of half points.
    specs = (scored("A", "79.75"), scored("B", "20.25", scored("B1", "20.25"), step="0.5"))
    assert [(p.code, p.criterion) for p in validate_criteria(specs)] == [("max_not_multiple_of_step", "B1")]


def test_mandatory_criteria_carry_no_points_and_hold_no_scored_children():
    specs = (
        CriterionSpec("M", "Bắt buộc có điểm", D(5), mandatory=True),
        mandatory("N", scored("N1", "5")),
        scored("A", "100"),
    )
    assert [(p.code, p.criterion) for p in validate_criteria(specs)] == [
        ("mandatory_with_points", "M"),
        ("points_under_mandatory", "N1"),
    ]


def test_codes_must_be_unique_across_the_tree_and_nothing_blank():
    specs = (
        scored("A", "50", scored("A1", "25"), scored("A", "25")),
        CriterionSpec(" ", "Không mã", D(25)),
        CriterionSpec("C", "", D(25)),
    )
    assert codes(validate_criteria(specs)) == ["duplicate_code", "blank_code", "blank_title"]


def test_empty_sets_missing_maxima_and_bad_steps():
    assert codes(validate_criteria(())) == ["empty"]
    specs = (
        CriterionSpec("A", "Không có điểm tối đa"),
        scored("B", "0"),
        scored("C", "50", step="0.001"),
        scored("D", "50"),
    )
    # The sum is not reported while a maximum is missing: the missing one is the problem.
    assert codes(validate_criteria(specs)) == ["bad_max", "bad_max", "bad_step"]


def test_a_bad_parent_step_is_reported_and_its_children_fall_back_on_the_default():
    specs = (scored("A", "50", scored("A1", "50.25"), step="0"), scored("B", "50", step="-0.5"))
    assert [(p.code, p.criterion) for p in validate_criteria(specs)] == [
        ("bad_step", "A"),
        ("child_sum_mismatch", "A"),
        ("bad_step", "B"),
    ]
    with pytest.raises(ValueError):
        check_score(D(1), D(10), D(0))
    with pytest.raises(ValueError):
        validate_criteria(DAN_VAN_KHEO, default_step=D("0.001"))


def test_a_pass_fail_only_set_is_valid_with_a_total_of_zero():
    [problem] = validate_criteria((mandatory("C1"), mandatory("C2")))
    assert problem.code == "sum_not_total" and problem.figures == {"total": D(100), "actual": D(0)}
    assert validate_criteria((mandatory("C1"), mandatory("C2")), total=D(0)) == []


# --- One score ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("7.25", D("7.25")), (7, D("7.00")), ("7,5", D("7.50"))])
def test_scores_in_quarter_points_are_accepted(value, expected):
    assert check_score(value, D(10), D("0.25")) == expected


def test_a_score_off_the_step_names_the_nearest_accepted_ones():
    with pytest.raises(ScoreError) as caught:
        check_score(D("7.3"), D(10), D("0.25"))
    assert caught.value.code == "off_step"
    assert caught.value.figures == {
        "value": D("7.3"),
        "step": D("0.25"),
        "below": D("7.25"),
        "above": D("7.50"),
    }
    with pytest.raises(ScoreError) as caught:
        check_score(D("9.9"), D(10), D("0.5"))
    assert (caught.value.figures["below"], caught.value.figures["above"]) == (D("9.50"), D("10.00"))
    with pytest.raises(ScoreError) as caught:
        check_score(D("9.6"), D("9.75"), D("0.5"))  # 10 would be past the maximum
    assert (caught.value.figures["below"], caught.value.figures["above"]) == (D("9.50"), None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (D("10.25"), "above_max"),
        (D("-0.25"), "negative"),
        (D("7.125"), "too_many_decimals"),
        (D("NaN"), "not_a_number"),
    ],
)
def test_scores_out_of_range_are_refused(value, code):
    with pytest.raises(ScoreError) as caught:
        check_score(value, D(10), D("0.25"))
    assert caught.value.code == code


def test_the_maximum_itself_and_zero_are_accepted():
    assert check_score(D(10), D(10)) == D("10.00")
    assert check_score(0, D(10)) == D("0.00")


def test_floats_are_refused_outright():
    with pytest.raises(TypeError):
        check_score(7.5, D(10))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        check_score(True, D(10))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7,5", D("7.5")),
        ("7.5", D("7.5")),
        (" 10 ", D(10)),
        ("0,25", D("0.25")),
        (",5", D("0.5")),
        ("8,", D(8)),
    ],
)
def test_points_are_read_with_a_comma_or_a_point(text, expected):
    assert parse_points(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.000,5", "unreadable"),
        ("1,000.5", "unreadable"),
        ("7,5,0", "unreadable"),
        ("bảy", "unreadable"),
        ("", "unreadable"),
        (",", "unreadable"),
        ("٧", "unreadable"),  # an Arabic-Indic seven: Decimal() would read it
        ("1.000", "too_many_decimals"),  # a thousand or one? never guessed
        ("7,125", "too_many_decimals"),
    ],
)
def test_ambiguous_or_foreign_points_are_refused(text, code):
    with pytest.raises(ScoreError) as caught:
        parse_points(text)
    assert caught.value.code == code


# --- A scorecard ----------------------------------------------------------------------------------

FULL = {"A1": "14,5", "A2": D("23.75"), "B1": D("18.5"), "B2": 15, "C": D("20.25")}


def test_a_card_sums_leaves_into_groups_and_the_total():
    card = scorecard(DAN_VAN_KHEO, FULL, {"C1": True, "C2": True})
    assert card.total == D("92.00") and card.max_total == D(100)
    assert (
        card.points["A"] == D("38.25") and card.points["B"] == D("33.50") and card.points["C"] == D("20.25")
    )
    assert card.complete and card.passed_mandatory and card.recognisable


def test_failing_a_mandatory_criterion_keeps_the_total_but_not_recognition():
    card = scorecard(DAN_VAN_KHEO, FULL, {"C1": True, "C2": False})
    assert card.total == D("92.00")
    assert card.failed == ("C2",) and not card.passed_mandatory and not card.recognisable


def test_missing_scores_and_judgements_are_reported():
    partial = {k: v for k, v in FULL.items() if k != "B2"}
    card = scorecard(DAN_VAN_KHEO, {**partial, "X9": 3, "A": 38}, {"C1": True})
    assert card.missing == ("B2",) and card.unjudged == ("C2",)
    assert card.unexpected == ("X9", "A")  # unknown, and a group (its points are its children's)
    assert card.total == D("77.00") and not card.complete and not card.recognisable


def test_a_bad_score_on_a_card_names_its_criterion():
    with pytest.raises(ScoreError) as caught:
        scorecard(DAN_VAN_KHEO, {**FULL, "B1": D("18.25")})  # B1 is scored in half points
    assert caught.value.code == "off_step" and caught.value.figures["criterion"] == "B1"


# --- The council's final score --------------------------------------------------------------------


def test_trimmed_mean_drops_the_highest_and_the_lowest():
    assert aggregate([80, 85, 90, 95, 60], Aggregation.TRIMMED_MEAN) == D("85.00")
    assert aggregate([80, 85, 90, 95, 60], "mean") == D("82.00")


def test_trimmed_mean_needs_enough_scores_and_drops_one_of_each_tie():
    assert aggregate([80, 85, 90, 95], Aggregation.TRIMMED_MEAN) == D("87.50")  # 4 < 5: plain mean
    assert aggregate([80, 85, 90, 95], Aggregation.TRIMMED_MEAN, trim_from=4) == D("87.50")  # 85, 90
    assert aggregate([90, 90, 90, 70, 70], Aggregation.TRIMMED_MEAN) == D("83.33")  # 70, 90, 90


def test_means_round_half_up_to_two_decimals():
    # 84.25 + 84.48 = 168.73, / 2 = 84.365 → 84.37 (half-even would give 84.36).
    assert aggregate([D("84.25"), D("84.48")]) == D("84.37")
    assert aggregate([D("7.25"), D("7.5"), D("7.5")]) == D("7.42")  # 7.41666…
    assert aggregate(["90", "91", "91"]) == D("90.67")
    assert round_half_up(Fraction(-5, 1000)) == D("-0.01")


def test_aggregate_refuses_nothing_to_aggregate_and_bad_settings():
    with pytest.raises(ScoreError) as caught:
        aggregate([])
    assert caught.value.code == "no_scores"
    with pytest.raises(ValueError):
        aggregate([1, 2, 3], "median")
    with pytest.raises(ValueError):
        aggregate([1, 2, 3], Aggregation.TRIMMED_MEAN, trim_from=2)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=12))
def test_the_mean_lies_between_the_lowest_and_highest_score(scores):
    for method in Aggregation:
        result = aggregate(scores, method)
        assert min(scores) <= result <= max(scores)
        assert result == result.quantize(D("0.01"))


def test_the_council_aggregates_criteria_and_totals():
    cards = [
        scorecard(DAN_VAN_KHEO, {**FULL, "C": c}, {"C1": True, "C2": True})
        for c in (D("20.25"), D("25"), D("10"), D("22.5"), D("21"))
    ]
    result = council_result(cards, Aggregation.TRIMMED_MEAN)
    # C: drop 25 and 10 → (20.25 + 22.5 + 21) / 3 = 21.25; totals 92, 96.75, 81.75, 94.25, 92.75
    # → drop 96.75 and 81.75 → (92 + 94.25 + 92.75) / 3 = 93.00.
    assert result.points["C"] == D("21.25") and result.points["A"] == D("38.25")
    assert result.total == D("93.00") and result.members == 5 and result.trimmed


def test_the_council_needs_complete_cards():
    partial = scorecard(DAN_VAN_KHEO, {k: v for k, v in FULL.items() if k != "C"})
    with pytest.raises(ScoreError) as caught:
        council_result([scorecard(DAN_VAN_KHEO, FULL), partial])
    assert caught.value.code == "incomplete_card" and caught.value.figures == {"member": 1, "missing": ("C",)}


# --- Awards: the catalogue and the rule set -------------------------------------------------------


def test_the_rule_set_of_2024_names_the_law_and_starts_on_1_january_2024():
    assert "06/2022/QH15" in RULES.regulation and "98/2023/NĐ-CP" in RULES.regulation
    assert award_rules(dt.date(2024, 1, 1)) is RULES
    with pytest.raises(LookupError):
        award_rules(dt.date(2023, 12, 31))
    with pytest.raises(LookupError):
        check_prerequisites("LDTT", 2023, Facts())  # judged on 31/12/2023: no rule set yet


def test_the_catalogue_holds_titles_and_forms_by_level():
    by_code = {a.code: a for a in RULES.catalogue}
    assert set(by_code) == {
        "LDTT",
        "CSTD_CS",
        "CSTD_BO",
        "CSTD_TQ",
        "TTLDTT",
        "TTLDXS",
        "CO_BO",
        "CO_CP",
        "GK",
        "BK_BO",
        "BK_TTG",
        "HCLD3",
    }
    assert by_code["CSTD_CS"].name == "Chiến sĩ thi đua cơ sở" and by_code["CSTD_CS"].kind is AwardKind.TITLE
    assert by_code["TTLDXS"].subjects == {Subject.COLLECTIVE} and by_code["GK"].subjects == set(Subject)
    assert by_code["CSTD_TQ"].level is Level.NATIONAL and by_code["HCLD3"].level is Level.STATE
    assert by_code["BK_TTG"].kind is AwardKind.FORM
    # Prerequisites of flags and forms of award were not found in the 2022 law or its decree.
    assert {c for c, a in by_code.items() if not a.prerequisites_known} == {
        "CO_BO",
        "CO_CP",
        "GK",
        "BK_BO",
        "BK_TTG",
        "HCLD3",
    }
    assert all(not a.prerequisites for a in by_code.values() if not a.prerequisites_known)
    with pytest.raises(KeyError):
        check_prerequisites("XYZ", 2024, Facts())


# --- Lao động tiên tiến ---------------------------------------------------------------------------


def person(**kwargs) -> Facts:
    base: dict = {"task_rating": TaskRating.GOOD, "months_employed": 12, "flags": {Flag.SPIRIT: True}}
    return Facts(**{**base, **kwargs})


def test_lao_dong_tien_tien_needs_tasks_done_well_and_six_months():
    assert check_prerequisites("LDTT", 2024, person()) == []
    assert check_prerequisites("LDTT", 2024, person(months_employed=6)) == []
    [failure] = check_prerequisites("LDTT", 2024, person(months_employed=5))
    assert failure.code == "recruited_too_recently" and failure.figures == {"needed": 6, "found": 5}
    [failure] = check_prerequisites("LDTT", 2024, person(task_rating=TaskRating.DONE))
    assert failure.code == "task_rating_below" and failure.figures["needed"] is TaskRating.GOOD


def test_the_months_are_a_setting_of_the_rule():
    # The earlier decree (91/2017) said 10 months: a rule set may carry that figure instead.
    ten = MinMonthsEmployed(10)
    assert ten.evaluate(2024, person(months_employed=9)).code == "recruited_too_recently"
    assert ten.evaluate(2024, person(months_employed=10)) is None


def test_unstated_facts_are_named():
    failures = check_prerequisites("LDTT", 2024, Facts())
    assert [(f.code, f.figures["fact"]) for f in failures] == [
        ("fact_missing", "task_rating"),
        ("fact_missing", "spirit"),
        ("fact_missing", "months_employed"),
    ]
    [failure] = check_prerequisites("LDTT", 2024, person(flags={Flag.SPIRIT: False}))
    assert failure.code == "flag_not_met"


# --- Chiến sĩ thi đua cơ sở and the 15 % quota ----------------------------------------------------


def test_chien_si_thi_dua_co_so_needs_lao_dong_tien_tien_that_year():
    facts = person(history={2023: {"LDTT"}}, initiatives=(Initiative(2024, Level.GRASSROOTS),))
    [failure] = check_prerequisites("CSTD_CS", 2024, facts)
    assert failure.code == "title_missing" and failure.figures == {"title": "LDTT", "year": 2024}


def test_chien_si_thi_dua_co_so_needs_an_initiative_or_excellent_tasks():
    ldtt = {2024: {"LDTT"}}
    with_initiative = person(history=ldtt, initiatives=(Initiative(2024, Level.GRASSROOTS),))
    assert check_prerequisites("CSTD_CS", 2024, with_initiative) == []
    excellent = person(history=ldtt, task_rating=TaskRating.EXCELLENT)
    assert check_prerequisites("CSTD_CS", 2024, excellent) == []
    # An initiative of last year does not count for this year.
    neither = person(history=ldtt, initiatives=(Initiative(2023, Level.MINISTRY),))
    [failure] = check_prerequisites("CSTD_CS", 2024, neither)
    assert failure.code == "none_of"
    assert [f.code for f in failure.figures["options"]] == ["task_rating_below", "initiative_missing"]


@pytest.mark.parametrize(("ldtt", "allowed"), [(20, 3), (19, 2), (7, 1), (6, 0), (0, 0), (100, 15)])
def test_at_most_15_percent_of_lao_dong_tien_tien_rounded_down(ldtt, allowed):
    assert quota_allowed("CSTD_CS", ldtt, on=ON) == allowed


def test_the_quota_check_reports_its_figures():
    assert check_quota("CSTD_CS", 3, 20, on=ON) is None
    failure = check_quota("CSTD_CS", 3, 19, on=ON)
    assert failure is not None and failure.code == "quota_exceeded"
    assert failure.figures == {
        "title": "CSTD_CS",
        "of": "LDTT",
        "base": 19,
        "allowed": 2,
        "proposed": 3,
        "share": Fraction(15, 100),
    }
    assert check_quota("LDTT", 50, 10, on=ON) is None and quota_allowed("LDTT", 10, on=ON) is None


def test_the_quota_share_is_a_setting():
    assert Quota("CSTD_CS", "LDTT", Fraction(10, 100)).allowed(19) == 1
    with pytest.raises(ValueError):
        Quota("CSTD_CS", "LDTT", Fraction(15, 100)).allowed(-1)


# --- Chiến sĩ thi đua Bộ/tỉnh and toàn quốc -------------------------------------------------------


def test_three_consecutive_years_of_chien_si_thi_dua_co_so():
    history = {2022: {"LDTT", "CSTD_CS"}, 2023: {"LDTT", "CSTD_CS"}, 2024: {"LDTT", "CSTD_CS"}}
    facts = Facts(history=history, initiatives=(Initiative(2023, Level.MINISTRY),))
    assert check_prerequisites("CSTD_BO", 2024, facts) == []


def test_a_gap_year_breaks_the_run():
    history = {2021: {"CSTD_CS"}, 2022: {"CSTD_CS"}, 2023: {"LDTT"}, 2024: {"CSTD_CS"}}
    facts = Facts(history=history, initiatives=(Initiative(2024, Level.MINISTRY),))
    [failure] = check_prerequisites("CSTD_BO", 2024, facts)
    assert failure.code == "consecutive_missing"
    assert failure.figures == {
        "title": "CSTD_CS",
        "needed": 3,
        "found": 2,
        "years": (2022, 2023, 2024),
        "missing_years": (2023,),
    }


def test_a_year_decided_later_completes_the_run():
    # Only decided awards are facts: while 2023's title is pending the run is short; once decided
    # (later than 2024's), the same check passes.
    pending = {2022: {"CSTD_CS"}, 2024: {"CSTD_CS"}}
    initiatives = (Initiative(2022, Level.NATIONAL),)
    assert check_prerequisites("CSTD_BO", 2024, Facts(history=pending, initiatives=initiatives))[0].figures[
        "missing_years"
    ] == (2023,)
    decided = {**pending, 2023: {"CSTD_CS"}}
    assert check_prerequisites("CSTD_BO", 2024, Facts(history=decided, initiatives=initiatives)) == []


def test_the_run_ends_with_the_year_judged():
    history = {2021: {"CSTD_CS"}, 2022: {"CSTD_CS"}, 2023: {"CSTD_CS"}}
    facts = Facts(history=history, initiatives=(Initiative(2023, Level.MINISTRY),))
    # The achievements of 2023, proposed in 2024 under the rule set then in force.
    assert check_prerequisites("CSTD_BO", 2023, facts, on=dt.date(2024, 3, 1)) == []
    [failure] = check_prerequisites("CSTD_BO", 2024, facts)  # 2024 itself is not there
    assert failure.figures["missing_years"] == (2024,) and failure.figures["found"] == 2


def test_chien_si_thi_dua_bo_needs_an_initiative_of_that_scope_within_the_three_years():
    history = {y: {"CSTD_CS"} for y in (2022, 2023, 2024)}
    grassroots_only = Facts(history=history, initiatives=(Initiative(2024, Level.GRASSROOTS),))
    [failure] = check_prerequisites("CSTD_BO", 2024, grassroots_only)
    assert failure.code == "initiative_missing"
    assert failure.figures == {"scope": Level.MINISTRY, "from_year": 2022, "to_year": 2024}
    too_old = Facts(history=history, initiatives=(Initiative(2021, Level.MINISTRY),))
    assert [f.code for f in check_prerequisites("CSTD_BO", 2024, too_old)] == ["initiative_missing"]


def test_two_consecutive_chien_si_thi_dua_bo_for_toan_quoc():
    # Each CSTĐ Bộ/tỉnh crowns three years of CSTĐ cơ sở: consecutive ones are three years apart.
    history = {2021: {"CSTD_BO"}, 2024: {"CSTD_BO"}}
    nationwide = (Initiative(2024, Level.NATIONAL),)
    assert check_prerequisites("CSTD_TQ", 2024, Facts(history=history, initiatives=nationwide)) == []
    broken = {2020: {"CSTD_BO"}, 2024: {"CSTD_BO"}}
    [failure] = check_prerequisites("CSTD_TQ", 2024, Facts(history=broken, initiatives=nationwide))
    assert failure.code == "consecutive_missing"
    assert failure.figures["title"] == "CSTD_BO" and failure.figures["missing_years"] == (2021,)
    provincial = (Initiative(2024, Level.MINISTRY),)
    [failure] = check_prerequisites("CSTD_TQ", 2024, Facts(history=history, initiatives=provincial))
    assert failure.code == "initiative_missing" and failure.figures["scope"] is Level.NATIONAL


def test_consecutive_years_are_counted_back_from_the_year_judged():
    assert ConsecutiveTitle("CSTD_CS", 3).years(2024) == (2022, 2023, 2024)
    assert ConsecutiveTitle("CSTD_BO", 2, every=3).years(2024) == (2021, 2024)


# --- Collectives ----------------------------------------------------------------------------------


def collective(members: int, ldtt: int, **kwargs) -> Facts:
    base: dict = {
        "task_rating": TaskRating.EXCELLENT,
        "members": members,
        "members_completed": members,
        "member_titles": {"LDTT": ldtt, "CSTD_CS": 1},
        "members_disciplined": 0,
        "flags": {Flag.EMULATION: True, Flag.UNITED: True},
    }
    return Facts(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("members", "ldtt", "ok"), [(10, 7, True), (10, 6, False), (100, 70, True), (100, 69, False)]
)
def test_tap_the_lao_dong_xuat_sac_needs_70_percent_lao_dong_tien_tien(members, ldtt, ok):
    failures = check_prerequisites("TTLDXS", 2024, collective(members, ldtt))
    assert (failures == []) is ok
    if not ok:
        [failure] = failures
        assert failure.code == "members_share_below" and failure.figures["title"] == "LDTT"
        assert failure.figures["needed"] == (7 if members == 10 else 70) and failure.figures["found"] == ldtt


def test_tap_the_lao_dong_xuat_sac_needs_everyone_done_a_chien_si_and_unity():
    facts = collective(
        10,
        8,
        members_completed=9,
        member_titles={"LDTT": 8},
        task_rating=TaskRating.GOOD,
        flags={Flag.EMULATION: True, Flag.UNITED: False},
    )
    failures = check_prerequisites("TTLDXS", 2024, facts)
    assert [f.code for f in failures] == [
        "task_rating_below",
        "members_share_below",
        "members_title_missing",
        "flag_not_met",
    ]
    assert failures[1].figures["title"] is None and failures[1].figures["needed"] == 10


@pytest.mark.parametrize(("ldtt", "ok"), [(5, False), (6, True)])
def test_tap_the_lao_dong_tien_tien_needs_more_than_half(ldtt, ok):
    facts = collective(10, ldtt, task_rating=TaskRating.GOOD)
    assert (check_prerequisites("TTLDTT", 2024, facts) == []) is ok


def test_tap_the_lao_dong_tien_tien_refuses_a_member_disciplined():
    [failure] = check_prerequisites("TTLDTT", 2024, collective(10, 8, members_disciplined=1))
    assert failure.code == "members_disciplined" and failure.figures == {"found": 1}


def test_a_collective_without_members_or_counts():
    assert [f.code for f in check_prerequisites("TTLDTT", 2024, collective(0, 0))] == ["no_members"]
    facts = Facts(task_rating=TaskRating.GOOD, flags={Flag.EMULATION: True, Flag.UNITED: True})
    assert [f.figures.get("fact") for f in check_prerequisites("TTLDTT", 2024, facts)] == [
        "members",
        "members_disciplined",
    ]
