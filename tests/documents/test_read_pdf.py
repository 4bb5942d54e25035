"""Reading plans from PDF: the seed plan as LibreOffice printed it, and small hand-made PDFs
(Helvetica, so their text is unaccented: headers are matched folded anyway)."""

import pytest

from partrack.documents.reading import pdf as pdf_reader
from partrack.documents.reading import read_plan

from .reading_support import assert_same_sections, expected_plan, fold_spaces, make_pdf, seed_path


@pytest.fixture(scope="module")
def seed_plan():
    return read_plan(seed_path("pdf"))


def test_seed_plan_matches_the_hand_checked_appendix(seed_plan):
    expected = expected_plan()
    actual = seed_plan.to_json()
    assert fold_spaces(actual["plan"]) == fold_spaces(expected["plan"])
    assert_same_sections(actual["sections"], expected["sections"])
    assert fold_spaces(actual) == fold_spaces(expected)


def test_seed_plan_has_36_tasks_in_7_areas_and_nothing_to_check(seed_plan):
    assert len(seed_plan.areas) == 7
    assert [task.number for task in seed_plan.tasks] == list(range(1, 37))
    assert [task.warnings for task in seed_plan.tasks if task.warnings] == []
    assert seed_plan.warnings == []


def test_rows_split_by_a_page_break_are_joined_back(seed_plan):
    task_9, task_26 = seed_plan.tasks[8], seed_plan.tasks[25]
    assert task_9.deliverable == "Văn bản triển khai; Kết quả xếp loại của các phòng, đơn vị"
    assert task_26.content.endswith("số lượng người làm việc được cấp có thẩm quyền giao.")
    assert "của cơ quan, đơn vị; Thực hiện" in task_26.content


def test_names_wrapped_in_narrow_cells_are_joined(seed_plan):
    assert seed_plan.tasks[9].lead == ["Phòng Sở hữu trí tuệ &ATBX"]
    assert seed_plan.tasks[22].lead == ["Cán bộ trực một cửa", "Văn phòng Sở"]
    assert seed_plan.tasks[35].coordinators == [
        "Các phòng, đơn vị thuộc Sở",
        "Các cơ quan, đơn vị có liên quan",
    ]


HEADER = ["STT", "Noi dung nhiem vu", "Chu tri", "Phoi hop", "Thoi gian hoan thanh"]
WIDTHS = [40, 280, 130, 130, 120]


def test_header_repeated_on_each_page_and_a_row_carried_over():
    data = make_pdf(
        [
            [HEADER, "I. Cai cach the che", ["1", "Ra soat van ban", "Van phong So", "", "2026"]],
            [
                HEADER,
                ["", "quy pham phap luat", "", "", ""],
                ["2", "Pho bien phap luat", "Van phong So", "Cac phong", "2026"],
                "II. Cai cach tai chinh cong",
                ["3", "Lap du toan", "Phong Ke hoach\nTai chinh", "", "2026"],
            ],
        ],
        WIDTHS,
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [
        ("I", "Cai cach the che"),
        ("II", "Cai cach tai chinh cong"),
    ]
    first, second, third = plan.tasks
    assert first.content == "Ra soat van ban quy pham phap luat"
    assert second.coordinators == ["Cac phong"]
    assert third.lead == ["Phong Ke hoach Tai chinh"]
    assert [task.warnings for task in plan.tasks] == [[], [], []]


def test_a_table_without_areas():
    data = make_pdf(
        [
            [
                HEADER,
                ["1", "Ra soat", "Van phong So", "", "2026"],
                ["2", "Bao cao", "Van phong So", "", "2026"],
            ]
        ],
        WIDTHS,
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [("", "")]
    assert [task.number for task in plan.tasks] == [1, 2]


def test_text_above_the_table_gives_the_title():
    data = make_pdf(
        [[HEADER, ["1", "Ra soat", "Van phong So", "", "2026"]]],
        WIDTHS,
        lines_above=["KE HOACH", "Cai cach hanh chinh nam 2026"],
    )
    plan = read_plan(data)
    assert plan.title == "Kế hoạch cai cach hanh chinh nam 2026"
    assert plan.year == 2026


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("Quyết định số 21/2025/\nQĐ-TTg.", "Quyết định số 21/2025/QĐ-TTg."),  # a symbol's slash
        ("Nghị định 94/2024/NĐ\n-CP. Hiện", "Nghị định 94/2024/NĐ-CP. Hiện"),  # its hyphen
        ("cảm biến đo nhanh...)\n; tiếp nhận", "cảm biến đo nhanh...); tiếp nhận"),
        ("có điều kiện kinh tế\n- xã hội khó khăn", "có điều kiện kinh tế - xã hội khó khăn"),
        ("Ban Thi đua\n- Khen thưởng Trung ương", "Ban Thi đua - Khen thưởng Trung ương"),
        ("Ban Thi đua -\nKhen thưởng Trung ương", "Ban Thi đua - Khen thưởng Trung ương"),
        # Line breaks a writer makes are kept: bullets, a place after its slash.
        ("- Bộ Tài chính;\n- Bộ Xây dựng", "- Bộ Tài chính;\n- Bộ Xây dựng"),
        ("Nội dung:\n- Rà soát\n- Ban hành", "Nội dung:\n- Rà soát\n- Ban hành"),
        ("UBND các tỉnh/\nthành phố", "UBND các tỉnh/\nthành phố"),
        ("Tháng\n01/2026", "Tháng\n01/2026"),
    ],
)
def test_a_cells_line_breaks_the_writer_never_typed_are_undone(cell, text):
    assert pdf_reader._unbroken(cell, (0, 0, 100, 100), None) == text
