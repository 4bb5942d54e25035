"""The plan appendix written as Excel."""

from io import BytesIO

import openpyxl
import pytest

from partrack.documents.writing import appendix_xlsx

from .test_export_docx import HEADERS, ROMAN, load_seed_plan


@pytest.fixture(scope="module")
def plan():
    return load_seed_plan()


@pytest.fixture(scope="module")
def written(plan):
    return appendix_xlsx(plan)


@pytest.fixture(scope="module")
def sheet(written):
    workbook = openpyxl.load_workbook(BytesIO(written))
    assert workbook.sheetnames == ["Phụ lục"]
    return workbook["Phụ lục"]


def test_title_and_header_rows(sheet):
    title = sheet["A1"]
    assert (
        title.value
        == "CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH PHÚ THỌ NĂM 2026"
    )
    assert title.font.bold
    header = sheet[2]
    assert [cell.value for cell in header] == HEADERS
    assert all(cell.font.bold for cell in header)
    assert all(cell.font.name == "Times New Roman" for cell in header)


def test_panes_frozen_under_the_header_and_filter_on(sheet):
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G45"  # title, header, 7 areas, 36 tasks


def test_columns_are_wide_enough_to_read(sheet):
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["A"] < 10 < widths["F"] < widths["C"] < widths["B"]


def test_area_and_task_rows_in_order(plan, sheet):
    areas, task_numbers = [], []
    for number, title, *_ in sheet.iter_rows(min_row=3):
        if number.value in ROMAN:
            assert number.font.bold and title.font.bold
            areas.append((number.value, title.value))
        else:
            assert not title.font.bold
            task_numbers.append(number.value)
    assert areas == [(area.numeral, area.title) for area in plan.areas]
    assert task_numbers == list(range(1, 37))


def test_task_cells(sheet):
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    lead = rows[23][3]
    assert lead.value == "Cán bộ trực một cửa;\nVăn phòng Sở"
    assert lead.alignment.wrap_text
    assert rows[33][4].value == "Các phòng, đơn vị thuộc Sở;\nCác cơ quan, đơn vị có liên quan"
    assert rows[12][1].value.count("\n") == 1, "a two-line content keeps its lines"
    assert rows[1][6].value is None, "an empty note is an empty cell"


def test_unmodelled_columns_get_their_own_header():
    plan = load_seed_plan()
    plan.areas[0].tasks[0].extra = {"Kinh phí": "50 triệu đồng"}
    sheet = openpyxl.load_workbook(BytesIO(appendix_xlsx(plan))).active
    assert [cell.value for cell in sheet[2]] == [*HEADERS, "Kinh phí"]
    assert sheet["H4"].value == "50 triệu đồng"
    assert sheet.auto_filter.ref == "A2:H45"
