"""Criteria sets load from the reference layout, check their sums and codes cell by cell, and
export back to the same layout."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from partrack.indices import criteria_io, services
from partrack.indices.models import Criterion
from partrack.indices.spreadsheet_cells import safe_cell
from tests.indices.conftest import DEMO_SET, REFERENCE, parse_file, parse_text

HEADER = "code,parent_code,level,title,max_points,evidence_required,scoring_rule\n"


@pytest.mark.parametrize(
    "name",
    [
        "grading-cantho-2579-qd-ubnd-2025.criteria.csv",
        "grading-haiphong-212-2025-qd-ubnd.head-of-agency.criteria.csv",
        "demo-index-departments-2026.criteria.csv",
    ],
)
def test_the_reference_sets_read_without_a_single_error(name):
    parsed = parse_file(REFERENCE / name)

    assert parsed.errors == []
    assert parsed.total == 100


def test_the_haiphong_tree_keeps_its_four_levels_and_reads_rate_and_option_rules():
    parsed = parse_file(REFERENCE / "grading-haiphong-212-2025-qd-ubnd.head-of-agency.criteria.csv")
    by_code = {c.code: c for c in parsed.criteria}

    assert by_code["II.5.1.a"].level == 4
    assert by_code["II.3.a"].rule == Criterion.Rule.RATE
    assert by_code["II.5.2.a"].rule == Criterion.Rule.OPTIONS
    assert by_code["II.5.2.a"].options == [
        ["Tỷ lệ đạt từ 95% trở lên", 2.5],
        ["Tỷ lệ đạt dưới 95%", 0],
    ]


def test_the_cantho_bonus_and_deduction_sit_outside_the_hundred_points():
    parsed = parse_file(REFERENCE / "grading-cantho-2579-qd-ubnd-2025.criteria.csv")
    kinds = {c.code: c.kind for c in parsed.criteria}

    assert kinds == {"1": "normal", "2": "normal", "3": "bonus", "4": "deduction"}


def test_children_that_do_not_add_up_to_their_parent_are_named_by_cell():
    parsed = parse_text(
        HEADER
        + "I,,1,Chỉ đạo,10,,\n"
        + "I.1,I,2,Kế hoạch,4,,\n"
        + "I.2,I,2,Báo cáo,5.5,,\n"
        + "TOTAL,,0,Tổng,10,,\n"
    )

    assert parsed.errors == [
        "Ô E2: tiêu chí I có 10 điểm nhưng các tiêu chí con cộng lại 9,5 điểm (E3, E4)."
    ]


def test_areas_that_do_not_add_up_to_the_total_are_named_by_cell():
    parsed = parse_text(HEADER + "I,,1,Chỉ đạo,60,,\nII,,1,Thể chế,30,,\nTOTAL,,0,Tổng,100,,\n")

    assert len(parsed.errors) == 1
    assert parsed.errors[0].startswith("Ô E4: tổng điểm chuẩn 100 nhưng các lĩnh vực cộng lại 90")


def test_a_duplicate_code_names_both_cells():
    parsed = parse_text(HEADER + "I,,1,Chỉ đạo,10,,\nI.1,I,2,Kế hoạch,5,,\nI.1,I,2,Báo cáo,5,,\n")

    assert parsed.errors == ['Ô A4: mã "I.1" trùng với ô A3; mỗi mã chỉ được dùng một lần.']


def test_an_unknown_parent_a_wrong_level_and_a_word_for_points_are_each_reported():
    parsed = parse_text(
        HEADER
        + "I,,1,Chỉ đạo,10,,\n"
        + "I.1,I,3,Kế hoạch,5,,\n"
        + "I.2,X,2,Báo cáo,5,,\n"
        + "I.3,I,2,Tuyên truyền,năm,,\n"
    )

    assert parsed.errors == [
        'Ô E5: điểm tối đa "năm" không phải là số.',
        "Ô C3: cấp 3 nhưng tiêu chí cha I ở cấp 1.",
        'Ô B4: không có tiêu chí mã "X" để làm tiêu chí cha.',
    ]


def test_a_file_without_the_columns_says_which_are_missing():
    parsed = parse_text("code,title\nI,Chỉ đạo\n")

    assert parsed.errors[0].startswith("Dòng 1 (tiêu đề): thiếu cột parent_code, level")


def test_an_xlsx_is_checked_with_the_same_cell_names():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["I", None, 1, "Chỉ đạo", 10])
    sheet.append(["I.1", "I", 2, "Kế hoạch", 4])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = criteria_io.parse_set(*criteria_io.read_table(buffer.getvalue(), "set.xlsx"))

    assert parsed.errors == [
        "Ô E2: tiêu chí I có 10 điểm nhưng các tiêu chí con cộng lại 4 điểm (E3)."
    ]


def test_a_set_exports_to_csv_and_xlsx_and_reads_back_the_same(iw):
    exported_csv = criteria_io.set_csv(iw.criteria_set)
    exported_xlsx = criteria_io.set_xlsx(iw.criteria_set)
    original = parse_file(DEMO_SET)

    for data, name in ((exported_csv, "set.csv"), (exported_xlsx, "set.xlsx")):
        again = criteria_io.parse_set(*criteria_io.read_table(data, name))
        assert again.errors == []
        assert again.total == Decimal(100)
        assert [
            (c.code, c.parent_code, c.level, c.title, c.max_points, c.kind, c.scoring_rule)
            for c in again.criteria
        ] == [
            (c.code, c.parent_code, c.level, c.title, c.max_points, c.kind, c.scoring_rule)
            for c in original.criteria
        ]


def test_ratings_read_their_bounds_and_the_no_zero_condition():
    path = REFERENCE / "grading-cantho-2579-qd-ubnd-2025.ratings.csv"
    grades, errors = criteria_io.parse_ratings(
        *criteria_io.read_table(path.read_bytes(), path.name)
    )

    assert errors == []
    first, second, third, fourth, rule = grades
    assert (first.lower, first.lower_inclusive, first.upper) == (95, True, None)
    assert (second.lower, second.upper, second.upper_inclusive) == (85, 95, False)
    assert [g.requires_no_zero for g in grades] == [True, True, False, False, False]
    assert fourth.lower is None and fourth.upper == 75
    assert rule.is_rule_only


def test_haiphong_ratings_read_an_upper_bound_as_included():
    path = REFERENCE / "grading-haiphong-212-2025-qd-ubnd.head-of-agency.ratings.csv"
    grades, errors = criteria_io.parse_ratings(
        *criteria_io.read_table(path.read_bytes(), path.name)
    )

    assert errors == []
    assert (grades[0].lower, grades[0].lower_inclusive, grades[0].upper) == (90, False, 100)
    assert grades[0].upper_inclusive


def test_a_text_that_looks_like_a_formula_is_written_as_text():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("-3 điểm") == "'-3 điểm"
    assert safe_cell(Decimal("-3")) == Decimal("-3")
    assert safe_cell("Kế hoạch") == "Kế hoạch"


def test_an_exported_set_with_a_formula_in_a_title_keeps_it_as_text(iw):
    criterion = iw.criteria_set.criteria.get(code="I.4")
    criterion.title = "=1+1 tuyên truyền"
    criterion.save()

    sheet = load_workbook(io.BytesIO(criteria_io.set_xlsx(iw.criteria_set))).active
    (cell,) = [row[3] for row in sheet.iter_rows() if row[3].value == "=1+1 tuyên truyền"]

    # Text, never a formula, with Excel's quote prefix; the words themselves unchanged.
    assert cell.data_type == "s" and cell.quotePrefix


def test_importing_saves_the_tree_with_parents_and_area_numerals(db, iw):
    criteria = {c.code: c for c in iw.criteria_set.criteria.select_related("parent")}

    assert criteria["III.1.b"].parent.code == "III.1"
    assert criteria["III.1.b"].area_numeral == "III"
    assert criteria["KS.2"].kind == "survey"
    assert criteria["DTR"].max_points == Decimal(-2)
    assert iw.sa.scores.count() == len(services.leaf_criteria(iw.criteria_set))
