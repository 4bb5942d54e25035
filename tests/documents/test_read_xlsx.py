"""Reading plans from XLSX: the seed appendix as a workbook, and synthetic sheets."""

from datetime import date, datetime

import pytest

from partrack.documents.reading import read_plan

from .reading_support import assert_same_sections, expected_plan, fold_spaces, make_xlsx, seed_path


@pytest.fixture(scope="module")
def seed_plan():
    return read_plan(seed_path("xlsx"))


def test_seed_appendix_matches_the_hand_checked_one(seed_plan):
    expected = expected_plan()
    actual = seed_plan.to_json()
    assert_same_sections(actual["sections"], expected["sections"])
    assert fold_spaces(actual["sections"]) == fold_spaces(expected["sections"])


def test_seed_workbook_holds_only_the_appendix_so_only_the_year_is_known(seed_plan):
    # The sheet has no masthead, title, signature or body text: the year comes from its heading
    # "CÁC NHIỆM VỤ … NĂM 2026"; nothing else is made up.
    plan = seed_plan.to_json()["plan"]
    assert plan["year"] == 2026
    assert (plan["title"], plan["agency"], plan["symbol"], plan["recipients"]) == ("", "", "", [])
    assert "reporting" not in plan and "inspection" not in plan


def test_seed_appendix_has_36_tasks_in_7_areas_and_nothing_to_check(seed_plan):
    assert len(seed_plan.areas) == 7
    assert [task.number for task in seed_plan.tasks] == list(range(1, 37))
    assert [task.warnings for task in seed_plan.tasks if task.warnings] == []


def test_merged_area_rows_merged_leads_and_a_two_row_header():
    data = make_xlsx(
        [
            ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026"],
            ["STT", "Nội dung thực hiện", "Đơn vị thực hiện", None, "Thời hạn", "Kinh phí"],
            [None, None, "Chủ trì", "Phối hợp", None, None],
            ["I", "Cải cách thể chế"],
            [1, "Rà soát văn bản", "Văn phòng Sở", "Các phòng", "Quý I/2026", 5000000],
            [2, "Phổ biến pháp luật", None, "Các phòng", datetime(2026, 6, 30), None],
            ["II", "Cải cách tài chính công"],
            [1, "Lập dự toán", "Phòng Kế hoạch Tài chính", None, "Năm 2026", None],
        ],
        merges=["A1:F1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3", "B4:F4", "C5:C6", "B7:F7"],
    )
    plan = read_plan(data)
    assert plan.year == 2026
    assert [(area.numeral, area.title) for area in plan.areas] == [
        ("I", "Cải cách thể chế"),
        ("II", "Cải cách tài chính công"),
    ]
    first, second, third = plan.tasks
    assert [first.lead, second.lead, third.lead] == [
        ["Văn phòng Sở"],
        ["Văn phòng Sở"],
        ["Phòng Kế hoạch Tài chính"],
    ]
    assert first.coordinators == ["Các phòng"]
    assert first.extra == {"Kinh phí": "5000000"}
    assert second.deadline_text == "30/06/2026"
    assert (second.deadline_kind, second.due_date) == ("date", date(2026, 6, 30))
    assert third.number == 1
    assert [task.warnings for task in plan.tasks] == [[], [], []]


def test_columns_in_another_order_with_an_unrecognised_one():
    data = make_xlsx(
        [
            ["Thời gian hoàn thành", "Cơ quan chủ trì", "Nhiệm vụ", "Sản phẩm", "Đánh giá"],
            ["Năm 2026", "Văn phòng Sở; Phòng Chuyển đổi số", "Số hóa hồ sơ", "Báo cáo", "Tốt"],
        ]
    )
    plan = read_plan(data)
    (task,) = plan.tasks
    assert task.content == "Số hóa hồ sơ"
    assert task.lead == ["Văn phòng Sở", "Phòng Chuyển đổi số"]
    assert task.deliverable == "Báo cáo"
    assert task.extra == {"Đánh giá": "Tốt"}
    assert plan.unrecognised_columns == ["Đánh giá"]


def test_rows_of_instructions_above_the_header_are_no_tasks():
    data = make_xlsx(
        [
            ["Hướng dẫn: điền bảng dưới đây"],
            [],
            ["TT", "Tên nhiệm vụ", "Chủ trì", "Thời gian"],
            ["1", "Rà soát TTHC", "Văn phòng Sở", "Quý I/2026"],
        ]
    )
    (task,) = read_plan(data).tasks
    assert (task.number, task.content, task.lead) == (1, "Rà soát TTHC", ["Văn phòng Sở"])
