"""Totals with bonus and deduction, rescaling without the survey, and grades beyond points."""

from decimal import Decimal

import pytest

from partrack.indices import criteria_io, services
from partrack.indices.scoring import compute_totals, evaluate_grade
from tests.indices.conftest import REFERENCE, parse_file

D = Decimal


@pytest.fixture
def cantho(db, world):
    parsed = parse_file(REFERENCE / "grading-cantho-2579-qd-ubnd-2025.criteria.csv")
    path = REFERENCE / "grading-cantho-2579-qd-ubnd-2025.ratings.csv"
    grades, _errors = criteria_io.parse_ratings(
        *criteria_io.read_table(path.read_bytes(), path.name)
    )
    regime = services.import_set(
        owner=world.agency,
        by=world.coordinator,
        name="Cần Thơ",
        decision="2579/QĐ-UBND",
        year=2025,
        scale=D(100),
        parsed=parsed,
        grades=grades,
        purpose="grading",
    )
    return regime, {c.code: c for c in regime.criteria.all()}


def totals(regime, codes, values):
    criteria = list(regime.criteria.order_by("order"))
    return compute_totals(regime, criteria, {codes[k].pk: D(v) for k, v in values.items()})


def test_bonus_and_deduction_add_to_the_hundred_points(cantho):
    regime, codes = cantho

    result = totals(regime, codes, {"1": "9", "2": "84.5", "3": "2", "4": "-1.5"})

    assert result.base == D("93.5")
    assert (result.bonus, result.deduction) == (D(2), D("-1.5"))
    assert result.total == D("94.00")


def test_a_bonus_never_passes_its_ceiling_nor_a_deduction_its_floor(cantho):
    regime, codes = cantho
    # Scores are checked on entry; here the arithmetic itself caps what a file would allow.
    result = totals(regime, codes, {"1": "10", "2": "90", "3": "5", "4": "-7"})

    assert (result.bonus, result.deduction, result.total) == (D(3), D(-3), D("100.00"))


def test_without_the_survey_the_areas_are_rescaled_to_the_scale(iw):
    criteria = list(iw.criteria_set.criteria.order_by("order"))
    leaves = services.leaf_criteria(iw.criteria_set)
    normal = [c for c in leaves if c.kind == "normal"]
    # Every normal criterion at its maximum: 70 of the 70 points outside the survey.
    values = {c.pk: c.max_points for c in normal}

    result = compute_totals(iw.criteria_set, criteria, values)

    assert result.base == D(70)
    assert result.rescaled
    assert result.on_scale == D("100.00")  # 70 × 100 / (100 − 30)
    half = compute_totals(iw.criteria_set, criteria, {c.pk: c.max_points / 2 for c in normal})
    assert half.total == D("50.00")


def test_with_the_survey_scored_nothing_is_rescaled(iw):
    criteria = list(iw.criteria_set.criteria.order_by("order"))
    leaves = services.leaf_criteria(iw.criteria_set)
    values = {c.pk: c.max_points for c in leaves if c.kind == "normal"}
    values.update({c.pk: D(15) for c in leaves if c.code == "KS.2"})

    result = compute_totals(iw.criteria_set, criteria, values)

    assert not result.rescaled
    assert result.total == D("85.00")
    assert "quy đổi" not in result.explain(D(100))


def test_a_criterion_at_zero_blocks_the_top_grades_whatever_the_points(cantho):
    regime, codes = cantho
    grades = list(regime.grades.all())
    # 96 points plus 3 bonus, but criterion 1 scored 0.
    result = totals(regime, codes, {"1": "0", "2": "90", "3": "3"})

    outcome = evaluate_grade(grades, result.total, zero_leaves=result.zero_leaves)

    assert result.total == D("93.00")
    assert outcome.grade.code == "HT"
    assert outcome.reasons == ["Không xếp Hoàn thành tốt vì có tiêu chí chấm 0 điểm (1)."]
    high = totals(regime, codes, {"1": "0", "2": "90", "3": "3", "4": "0"})
    high_points = evaluate_grade(grades, high.total + 5, zero_leaves=high.zero_leaves)
    assert high_points.grade.code == "HT"
    assert len(high_points.reasons) == 2


def test_the_same_points_without_a_zero_reach_the_grade_of_their_bounds(cantho):
    regime, codes = cantho
    grades = list(regime.grades.all())

    assert evaluate_grade(grades, D(95)).grade.code == "HTXS"
    assert evaluate_grade(grades, D("94.99")).grade.code == "HTT"
    assert evaluate_grade(grades, D(85)).grade.code == "HTT"
    assert evaluate_grade(grades, D(75)).grade.code == "HT"
    assert evaluate_grade(grades, D("74.5")).grade.code == "KHT"


def test_a_disqualifying_event_gives_the_lowest_grade(cantho):
    regime, _codes = cantho
    grades = list(regime.grades.all())

    outcome = evaluate_grade(grades, D(99), disqualifying_event="Để xảy ra tham nhũng")

    assert outcome.grade.code == "KHT"
    assert "tham nhũng" in outcome.reasons[0]


def test_scores_outside_a_criterions_bounds_or_options_are_refused(iw):
    from django.core.exceptions import ValidationError

    options = iw.score("I.2")  # options 2, 1, 0
    free = iw.score("I.4")  # 0 … 2
    deduction = iw.score("DTR")  # −2 … 0
    with pytest.raises(ValidationError, match="chỉ chấm một trong các mức: 2, 1, 0"):
        services.check_score(options.criterion, D("1.5"))
    with pytest.raises(ValidationError, match="phải từ 0 đến 2"):
        services.check_score(free.criterion, D("2.5"))
    with pytest.raises(ValidationError, match="phải từ -2 đến 0"):
        services.check_score(deduction.criterion, D(1))
    services.check_score(deduction.criterion, D(-1))


def test_a_rate_gives_its_share_of_the_maximum(iw):
    criterion = iw.score("III.3").criterion  # 5 points on a rate

    assert services.rate_score(criterion, D("92.5")) == D("4.63")
