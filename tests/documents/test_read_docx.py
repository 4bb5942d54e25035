"""Reading plans from DOCX: the seed plan, then synthetic tables laid out as other provinces do."""

import io
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from partrack.documents.reading import read_plan
from partrack.documents.reading.table import map_columns

from .reading_support import (
    assert_same_sections,
    expected_plan,
    fold_spaces,
    make_docx,
    seed_bytes,
    seed_path,
)


@pytest.fixture(scope="module")
def seed_plan():
    return read_plan(seed_path("docx"))


def test_seed_plan_matches_the_hand_checked_appendix(seed_plan):
    expected = expected_plan()
    actual = seed_plan.to_json()
    assert fold_spaces(actual["plan"]) == fold_spaces(expected["plan"])
    assert_same_sections(actual["sections"], expected["sections"])
    assert fold_spaces(actual) == fold_spaces(expected)


def test_seed_plan_has_36_tasks_in_7_areas_and_nothing_to_check(seed_plan):
    assert [area.numeral for area in seed_plan.areas] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert [task.number for task in seed_plan.tasks] == list(range(1, 37))
    assert [task.warnings for task in seed_plan.tasks if task.warnings] == []
    assert seed_plan.unrecognised_columns == []
    assert seed_plan.warnings == []


def test_seed_plan_masthead_details(seed_plan):
    assert seed_plan.parent_body == "UBND TỈNH PHÚ THỌ"
    assert seed_plan.place == "Phú Thọ"
    assert seed_plan.issued_on is None  # the day is left blank in the draft


def test_bytes_path_and_file_object_read_alike(seed_plan):
    with seed_path("docx").open("rb") as file:
        from_file = read_plan(file)
    assert read_plan(seed_bytes("docx")).to_json() == seed_plan.to_json()
    assert from_file.to_json() == seed_plan.to_json()


def test_a_paragraph_break_before_a_dash_is_kept_in_the_content(seed_plan):
    task_12 = seed_plan.tasks[11]
    assert task_12.content.count("\n- ") == 1
    assert task_12.lead == ["Văn phòng Sở (Phụ trách pháp chế)"]


def test_other_wordings_and_order_without_numbers_or_areas():
    data = make_docx(
        [
            ["Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả dự kiến", "Kinh phí"],
            ["Rà soát TTHC", "Văn phòng Sở", "Quý II/2026", "Báo cáo", "10 triệu đồng"],
            ["Số hóa hồ sơ", "Trung tâm Phục vụ HCC", "Năm 2026", "Hồ sơ số", ""],
        ]
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [("", "")]
    first, second = plan.tasks
    assert first.number is None
    assert first.content == "Rà soát TTHC"
    assert first.lead == ["Văn phòng Sở"]
    assert first.deadline_text == "Quý II/2026"
    assert first.deliverable == "Báo cáo"
    assert first.extra == {"Kinh phí": "10 triệu đồng"}
    assert second.lead == ["Trung tâm Phục vụ HCC"]
    assert plan.unrecognised_columns == []  # "Kinh phí" is known, kept aside on purpose
    assert first.warnings == [] and second.warnings == []


HEADER = ["TT", "Nhiệm vụ và giải pháp", "Cơ quan chủ trì", "Phối hợp", "Thời gian", "Ghi chú"]


def test_letter_areas_with_numbering_restarting_in_each():
    data = make_docx(
        [
            HEADER,
            ["A", "NHIỆM VỤ CHUNG", None, None, None, None],
            ["1", "Ban hành kế hoạch", "Văn phòng Sở", "Các phòng", "Quý I/2026", "Trọng tâm"],
            ["2", "Tuyên truyền", "Văn phòng Sở", "", "Năm 2026", ""],
            ["B", "NHIỆM VỤ RIÊNG", None, None, None, None],
            ["1", "Số hóa", "Phòng Chuyển đổi số", "", "Năm 2026", ""],
        ],
        merges=[((1, 1), (1, 5)), ((4, 1), (4, 5))],
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [
        ("A", "NHIỆM VỤ CHUNG"),
        ("B", "NHIỆM VỤ RIÊNG"),
    ]
    assert [[task.number for task in area.tasks] for area in plan.areas] == [[1, 2], [1]]
    assert plan.tasks[0].note == "Trọng tâm"
    assert plan.tasks[0].coordinators == ["Các phòng"]
    assert [task.warnings for task in plan.tasks] == [[], [], []]


def test_arabic_areas_over_tasks_numbered_within_them():
    data = make_docx(
        [
            HEADER,
            ["1.", "Cải cách thể chế", "", "", "", ""],
            ["1.1", "Rà soát văn bản", "Văn phòng Sở", "", "Quý I/2026", ""],
            ["1.2", "Phổ biến pháp luật", "Văn phòng Sở", "", "Năm 2026", ""],
            ["2.", "Cải cách tài chính công", "", "", "", ""],
            ["2.1", "Lập dự toán", "Phòng Kế hoạch Tài chính", "", "Năm 2026", ""],
        ]
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [
        ("1", "Cải cách thể chế"),
        ("2", "Cải cách tài chính công"),
    ]
    assert [[task.number for task in area.tasks] for area in plan.areas] == [[1, 2], [1]]
    assert all(not task.warnings for task in plan.tasks)


def test_an_area_row_written_across_the_whole_table():
    data = make_docx(
        [
            HEADER,
            ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", None, None, None, None, None],
            ["1", "Ban hành kế hoạch", "Văn phòng Sở", "", "Quý I/2026", ""],
        ],
        merges=[((1, 0), (1, 5))],
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [
        ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")
    ]
    assert plan.tasks[0].content == "Ban hành kế hoạch"


def test_a_lead_merged_down_several_tasks_leads_each_of_them_once():
    data = make_docx(
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["1", "Kế hoạch kiểm tra", "Văn phòng Sở", "Quý I/2026"],
            ["2", "Kế hoạch tuyên truyền", None, "Quý II/2026"],
            ["3", "Báo cáo năm", None, "Quý IV/2026"],
        ],
        merges=[((1, 2), (3, 2))],
    )
    plan = read_plan(data)
    assert [task.lead for task in plan.tasks] == [["Văn phòng Sở"]] * 3
    assert [task.deadline_text for task in plan.tasks] == [
        "Quý I/2026",
        "Quý II/2026",
        "Quý IV/2026",
    ]
    assert all(not task.warnings for task in plan.tasks)


def test_a_task_over_two_rows_with_its_number_merged_is_one_task():
    data = make_docx(
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["1", "Chuyển đổi số", "Phòng Chuyển đổi số", "Quý I/2026"],
            [None, None, "Văn phòng Sở", None],
            ["2", "Báo cáo", "Văn phòng Sở", "Năm 2026"],
        ],
        merges=[((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 3), (2, 3))],
    )
    plan = read_plan(data)
    first, second = plan.tasks
    assert first.content == "Chuyển đổi số"  # not repeated for the merged second row
    assert first.lead == ["Phòng Chuyển đổi số", "Văn phòng Sở"]
    assert first.deadline_text == "Quý I/2026"
    assert second.number == 2 and not second.warnings


def test_a_repeated_header_and_the_column_numbers_row_are_dropped():
    header = ["STT", "Nội dung", "Sản phẩm", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    data = make_docx(
        [
            header,
            ["(1)", "(2)", "(3)", "(4)", "(5)"],
            ["1", "Kế hoạch", "Kế hoạch", "Văn phòng Sở", "Tháng 01/2026"],
            header,
            ["2", "Báo cáo", "Báo cáo", "Văn phòng Sở", "Năm 2026"],
        ]
    )
    plan = read_plan(data)
    assert [task.content for task in plan.tasks] == ["Kế hoạch", "Báo cáo"]
    assert all(not task.warnings for task in plan.tasks)


def test_a_header_over_two_rows_with_wrapped_words():
    data = make_docx(
        [
            ["Số\nTT", "Nội dung\nnhiệm vụ", "Cơ quan thực hiện", None, "Thời gian\nhoàn thành"],
            [None, None, "Chủ trì", "Phối hợp", None],
            ["1", "Rà soát TTHC", "Văn phòng Sở", "Các phòng, đơn vị thuộc Sở", "Quý I/2026"],
        ],
        merges=[((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (1, 4))],
    )
    (task,) = read_plan(data).tasks
    assert task.number == 1
    assert task.lead == ["Văn phòng Sở"]
    assert task.coordinators == ["Các phòng, đơn vị thuộc Sở"]
    assert task.deadline_text == "Quý I/2026"


def test_an_unrecognised_column_is_kept_under_its_header():
    data = make_docx(
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Mức độ ưu tiên", "Thời hạn"],
            ["1", "Rà soát TTHC", "Văn phòng Sở", "Cao", "Quý I/2026"],
        ]
    )
    plan = read_plan(data)
    assert plan.unrecognised_columns == ["Mức độ ưu tiên"]
    assert plan.tasks[0].extra == {"Mức độ ưu tiên": "Cao"}


def test_broken_rows_are_flagged_for_a_person():
    data = make_docx(
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"],
            ["1", "Rà soát TTHC", "Văn phòng Sở", "Quý I/2026"],
            ["2", "", "Văn phòng Sở", "Quý I/2026"],
            ["4", "Báo cáo", "", "Khi nào xong"],
        ]
    )
    first, second, fourth = read_plan(data).tasks
    assert first.warnings == []
    assert second.warnings == ["Dòng này không có nội dung nhiệm vụ."]
    assert "Số thứ tự 4 không liền sau 2: có thể thiếu hoặc thừa dòng." in fourth.warnings
    assert "Chưa ghi cơ quan chủ trì." in fourth.warnings
    assert fourth.deadline_kind == "unknown"
    assert any("Khi nào xong" in warning for warning in fourth.warnings)


def test_masthead_facts_of_another_agency():
    data = make_docx(
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"],
            ["1", "Rà soát TTHC", "Văn phòng Sở", "Quý I/2026"],
        ],
        before=[
            "UBND THÀNH PHỐ HÀ NỘI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "SỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc",
            "Số: 12/KH-SNV\tHà Nội, ngày 05 tháng 01 năm 2026",
            "KẾ HOẠCH",
            "CẢI CÁCH HÀNH CHÍNH NĂM 2026",
            "Căn cứ Kế hoạch của UBND Thành phố, Sở Nội vụ ban hành kế hoạch như sau:",
        ],
        after=["Nơi nhận:\tGIÁM ĐỐC", "- UBND Thành phố;", "- Lưu: VT.", "\tTrần Văn B"],
    )
    plan = read_plan(data)
    assert plan.agency == "Sở Nội vụ thành phố Hà Nội"
    assert plan.symbol == "12/KH-SNV"
    assert plan.place == "Hà Nội"
    assert plan.issued_on == date(2026, 1, 5)
    assert plan.title == "Kế hoạch cải cách hành chính năm 2026"
    assert plan.year == 2026
    assert plan.recipients == ["UBND Thành phố", "Lưu: VT"]
    assert (plan.signer_on_behalf, plan.signer_title, plan.signer_name) == (
        "",
        "GIÁM ĐỐC",
        "Trần Văn B",
    )
    assert plan.facts == {}  # no reporting or inspection rule written: none made up
    assert plan.tasks[0].due_date == date(2026, 3, 31)


def test_the_content_decides_the_type_and_a_wrong_extension_is_noted():
    plan = read_plan(seed_bytes("docx"), filename="ke-hoach.pdf")
    assert len(plan.tasks) == 36
    assert plan.warnings == ["Tệp có đuôi .pdf nhưng nội dung là DOCX: đã đọc theo nội dung."]


def test_an_area_numbered_and_titled_in_the_number_column_alone():
    data = make_docx(
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"],
            ["II. CẢI CÁCH THỂ CHẾ", "", "", ""],
            ["1", "Rà soát văn bản", "Văn phòng Sở", "Quý I/2026"],
        ]
    )
    plan = read_plan(data)
    assert [(area.numeral, area.title) for area in plan.areas] == [("II", "CẢI CÁCH THỂ CHẾ")]
    assert plan.tasks[0].content == "Rà soát văn bản"


def test_a_table_split_in_two_goes_on_without_its_header():
    header = ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"]
    document = docx.Document()
    first = document.add_table(rows=2, cols=4)
    for column, text in enumerate(header + ["1", "Rà soát", "Văn phòng Sở", "Quý I/2026"]):
        first.cell(column // 4, column % 4).text = text
    document.add_paragraph("")
    second = document.add_table(rows=1, cols=4)
    for column, text in enumerate(["2", "Báo cáo", "Văn phòng Sở", "Năm 2026"]):
        second.cell(0, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert [(task.number, task.content) for task in plan.tasks] == [(1, "Rà soát"), (2, "Báo cáo")]


def test_a_centred_title_ends_where_the_centring_does():
    document = docx.Document()
    for text, centred in [
        ("KẾ HOẠCH", True),
        ("Kiểm soát thủ tục hành chính năm 2026", True),
        ("Triển khai Kế hoạch số 12/KH-UBND của UBND tỉnh, Sở ban hành kế hoạch sau.", False),
    ]:
        paragraph = document.add_paragraph(text)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=2, cols=3)
    for column, text in enumerate(["Nội dung", "Chủ trì", "Thời hạn", "Rà soát", "VP", "2026"]):
        table.cell(column // 3, column % 3).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_plan(buffer.getvalue()).title == "Kế hoạch kiểm soát thủ tục hành chính năm 2026"


def test_reporting_and_inspection_rules_in_other_words():
    data = make_docx(
        [["STT", "Nội dung", "Chủ trì", "Thời hạn"], ["1", "Rà soát", "Văn phòng Sở", "2026"]],
        before=[
            "KẾ HOẠCH",
            "Cải cách hành chính năm 2026",
            "Kiểm tra ít nhất 30% các đơn vị trực thuộc.",
            "Thời gian kiểm tra: Quý 3 và Quý 4/2026.",
            "Các đơn vị báo cáo trước ngày 15 của tháng cuối quý; báo cáo năm trước ngày 05/12"
            " về Phòng Tổ chức - Hành chính để tổng hợp.",
        ],
    )
    assert read_plan(data).facts == {
        "reporting": {
            "quarterly_and_half_year_due": "before the 15th of the last month of the quarter",
            "annual_due": "before 5 December",
            "to": "Phòng Tổ chức - Hành chính",
        },
        "inspection": {"share_of_units": 0.3, "when": ["Quý III/2026", "Quý IV/2026"]},
    }


def automatic_list(document, list_id, number_format):
    """A one-level Word list numbered "%1." in ``number_format``; returns its numId."""
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{list_id}"><w:lvl w:ilvl="0">'
            f'<w:start w:val="1"/><w:numFmt w:val="{number_format}"/><w:lvlText w:val="%1."/>'
            "</w:lvl></w:abstractNum>"
        )
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{list_id}">'
            f'<w:abstractNumId w:val="{list_id}"/></w:num>'
        )
    )
    return list_id


def number_paragraph(paragraph, list_id):
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{list_id}"/></w:numPr>'
        )
    )


def test_numbers_and_numerals_made_by_words_numbering_button():
    document = docx.Document()
    areas = automatic_list(document, 901, "upperRoman")
    tasks = automatic_list(document, 902, "decimal")
    rows = [
        ("", "Nội dung", "Cơ quan chủ trì", "Thời hạn"),
        (areas, "Công tác chỉ đạo", "", ""),
        (tasks, "Ban hành kế hoạch", "Văn phòng Sở", "Quý I/2026"),
        (tasks, "Tuyên truyền", "Văn phòng Sở", "Năm 2026"),
        (areas, "Cải cách thể chế", "", ""),
        (tasks, "Rà soát văn bản", "Văn phòng Sở", "Năm 2026"),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for row_index, (numbering, *texts) in enumerate(rows):
        if numbering:
            number_paragraph(table.cell(row_index, 0).paragraphs[0], numbering)
        for column, text in enumerate(texts, start=1):
            table.cell(row_index, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    plan = read_plan(buffer.getvalue())
    assert [(area.numeral, area.title) for area in plan.areas] == [
        ("I", "Công tác chỉ đạo"),
        ("II", "Cải cách thể chế"),
    ]
    assert [task.number for task in plan.tasks] == [1, 2, 3]
    assert all(not task.warnings for task in plan.tasks)


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        (
            [
                "Số TT",
                "Nội dung /Nhiệm vụ",
                "Sản phẩm",
                "Cơ quan chủ trì tham mưu",
                "Cơ quan phối hợp",
                "Thời gian Hoàn thành",
                "Ghi chú",
            ],
            ["number", "content", "deliverable", "lead", "coordinators", "deadline", "note"],
        ),
        (
            [
                "STT",
                "Nhiệm vụ và giải pháp",
                "Kết quả/sản phẩm",
                "Đơn vị chủ trì",
                "Đơn vị phối hợp",
                "Thời gian dự kiến hoàn thành",
            ],
            ["number", "content", "deliverable", "lead", "coordinators", "deadline"],
        ),
        (
            ["TT", "Nội dung thực hiện", "Chủ trì", "Phối hợp", "Thời gian", "Kết quả dự kiến"],
            ["number", "content", "lead", "coordinators", "deadline", "deliverable"],
        ),
        (
            ["Nhiệm vụ", "Cơ quan chủ trì, phối hợp", "Sản phẩm dự kiến", "Thời hạn"],
            ["content", "lead", "deliverable", "deadline"],
        ),
        (
            ["SỐ\nTT", "NỘI DUNG", "CƠ QUAN\nCHỦ TRÌ", "THỜI GIAN\nHOÀN THÀNH"],
            ["number", "content", "lead", "deadline"],
        ),
    ],  # fmt: skip
)
def test_header_wordings_of_real_plans(header, fields):
    columns = map_columns(header)
    assert sorted(columns.fields.items(), key=lambda item: item[1]) == [
        (name, index) for index, name in enumerate(fields)
    ]
    assert columns.unrecognised == []
