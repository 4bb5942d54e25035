"""The plan appendix written as Word, and the state-format building blocks behind it."""

import json
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from partrack.documents import state_format
from partrack.documents.structure import ParsedArea, ParsedPlan, ParsedTask
from partrack.documents.writing import appendix_docx

SEED_JSON = Path(__file__).resolve().parents[1] / "data" / "seed-plan" / "expected.json"

HEADERS = [
    "Số TT",
    "Nội dung /Nhiệm vụ",
    "Sản phẩm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Ghi chú",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]


def load_seed_plan():
    """The seed plan's expected.json as the ParsedPlan a reader would produce."""
    data = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    plan = data["plan"]
    return ParsedPlan(
        title=plan["title"],
        agency=plan["agency"],
        year=plan["year"],
        symbol=plan["symbol"],
        signer_name=plan["signer"]["name"],
        signer_title=plan["signer"]["title"],
        signer_on_behalf=plan["signer"]["on_behalf"],
        recipients=plan["recipients"],
        facts={"reporting": plan["reporting"], "inspection": plan["inspection"]},
        areas=[
            ParsedArea(
                numeral=section["roman"],
                title=section["title"],
                tasks=[
                    ParsedTask(
                        number=task["no"],
                        content=task["content"],
                        deliverable=task["product"],
                        lead=task["lead"],
                        coordinators=task["coordinators"],
                        deadline_text=task["deadline_text"],
                        deadline_kind=task["deadline_kind"],
                        due_date=task["due_date"] and date.fromisoformat(task["due_date"]),
                        note=task["note"],
                    )
                    for task in section["tasks"]
                ],
            )
            for section in data["sections"]
        ],
    )


@pytest.fixture(scope="module")
def plan():
    return load_seed_plan()


@pytest.fixture(scope="module")
def written(plan):
    return appendix_docx(
        plan,
        parent_body="UBND tỉnh Phú Thọ",
        agency_upper="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place="Phú Thọ",
    )


@pytest.fixture(scope="module")
def document(written):
    return docx.Document(BytesIO(written))


@pytest.fixture(scope="module")
def task_table(document):
    return document.tables[-1]


def lines(cell):
    return [paragraph.text for paragraph in cell.paragraphs]


def lines_of_row(row):
    return [cell.text for cell in row.cells]


def mm(*lengths):
    """Lengths in whole millimetres: Word stores them in twips, which do not round-trip to EMU."""
    return tuple(round(length.mm) for length in lengths)


def only_run(paragraph):
    (run,) = paragraph.runs
    return run


def test_loader_reproduces_expected_json(plan):
    assert plan.to_json() == json.loads(SEED_JSON.read_text(encoding="utf-8"))


def test_page_is_a4_landscape_with_decree_margins(document):
    (section,) = document.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert mm(section.page_width, section.page_height) == (297, 210)
    assert mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert mm(section.left_margin, section.right_margin) == (30, 15)


def test_default_font_is_times_new_roman_14_for_vietnamese_too(document):
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    every_run = [run for paragraph in document.paragraphs for run in paragraph.runs]
    every_run += [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    ]
    assert {run.font.name for run in every_run} == {None}, "no run overrides the font"


def test_national_header(document):
    header = document.tables[0]
    issuer, nation = header.rows[0].cells
    number, dated = header.rows[1].cells
    assert lines(issuer) == ["UBND TỈNH PHÚ THỌ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert lines(nation) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    parent, agency = (only_run(paragraph) for paragraph in issuer.paragraphs)
    assert (parent.font.size, parent.bold) == (Pt(13), None)
    assert (agency.font.size, agency.bold) == (Pt(13), True)
    republic, motto = (only_run(paragraph) for paragraph in nation.paragraphs)
    assert (republic.font.size, republic.bold) == (Pt(13), True)
    assert (motto.font.size, motto.bold) == (Pt(14), True)
    # The plan has no number yet ("/KH-SKHCN"): room is left to write it in.
    assert number.text.startswith("Số: ") and number.text.endswith(" /KH-SKHCN")
    assert dated.text == "Phú Thọ, ngày     tháng     năm 2026"
    assert only_run(dated.paragraphs[0]).italic


def test_headings_under_the_header(document):
    texts = [paragraph.text for paragraph in document.paragraphs]
    appendix, title, reference = (document.paragraphs[texts.index("PHỤ LỤC") + i] for i in range(3))
    assert only_run(appendix).bold
    assert title.text == "CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ NĂM 2026"
    assert only_run(title).bold
    assert reference.text.startswith("(Kèm theo Kế hoạch số ")
    assert "/KH-SKHCN" in reference.text and reference.text.endswith(")")
    assert only_run(reference).italic


def test_page_numbers_from_the_second_page(document):
    (section,) = document.sections
    assert section.different_first_page_header_footer
    field = section.header._element.find(".//" + qn("w:fldSimple"))
    assert field.get(qn("w:instr")) == "PAGE"


def test_header_row_repeats_on_every_page(task_table):
    header = task_table.rows[0]
    assert lines_of_row(header) == HEADERS
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(only_run(cell.paragraphs[0]).bold for cell in header.cells)


def test_area_and_task_rows_in_order(plan, task_table):
    areas, task_numbers = [], []
    for row in task_table.rows[1:]:
        first = row.cells[0].text
        if first in ROMAN:
            title = row.cells[1]
            assert title._tc.grid_span == len(HEADERS) - 1, "the title spans the row"
            assert only_run(title.paragraphs[0]).bold
            areas.append((first, title.text))
        else:
            task_numbers.append(int(first))
    assert areas == [(area.numeral, area.title) for area in plan.areas]
    assert task_numbers == list(range(1, 37))


def test_task_row_cells(task_table):
    rows = {row.cells[0].text: row for row in task_table.rows[1:]}
    shared_lead = rows["23"]
    assert lines(shared_lead.cells[3]) == ["Cán bộ trực một cửa", "Văn phòng Sở"]
    assert lines(rows["33"].cells[4]) == [
        "Các phòng, đơn vị thuộc Sở",
        "Các cơ quan, đơn vị có liên quan",
    ]
    assert len(rows["12"].cells[1].paragraphs) == 2, "a two-line content keeps its lines"
    assert rows["27"].cells[5].text == "Năm 2026 (Khi có hướng dẫn của Sở Nội vụ)"
    sizes = {run.font.size for cell in shared_lead.cells for run in cell.paragraphs[0].runs}
    assert sizes == {Pt(12)}


def test_unmodelled_columns_get_their_own_header():
    plan = load_seed_plan()
    plan.areas[0].tasks[0].extra = {"Kinh phí": "50 triệu đồng"}
    table = docx.Document(BytesIO(appendix_docx(plan))).tables[-1]
    assert lines_of_row(table.rows[0]) == [*HEADERS, "Kinh phí"]
    assert table.rows[2].cells[-1].text == "50 triệu đồng"
    assert table.rows[3].cells[-1].text == ""


def test_vietnamese_date_line_left_blank():
    line = state_format.vietnamese_date_line("Phú Thọ", None, year=2026)
    assert line == "Phú Thọ, ngày     tháng     năm 2026"


@pytest.fixture(scope="module")
def report():
    doc = state_format.new_document()
    state_format.page_numbers_from_second_page(doc.sections[0])
    state_format.add_national_header(
        doc,
        parent_body="UBND tỉnh Phú Thọ",
        agency="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        symbol="05/BC-SKHCN",
        place="Phú Thọ",
        issued_on=date(2026, 1, 5),
    )
    state_format.add_title(doc, "Báo cáo", "Kết quả thực hiện công tác cải cách hành chính")
    state_format.add_heading_part(doc, "I. Kết quả thực hiện")
    state_format.body_paragraph(doc, "Sở đã ban hành Kế hoạch CCHC năm 2026.")
    state_format.add_recipients_and_signature(
        doc, ["UBND tỉnh (b/c)", "Sở Nội vụ"], "KT. Giám đốc", "Phó Giám đốc", "Nguyễn Duy Anh"
    )
    state_format.add_landscape_section(doc)
    buffer = BytesIO()
    doc.save(buffer)
    return docx.Document(BytesIO(buffer.getvalue()))


def test_report_header_with_an_issue_date(report):
    number, dated = report.tables[0].rows[1].cells
    assert number.text == "Số: 05/BC-SKHCN"
    assert dated.text == "Phú Thọ, ngày 05 tháng 01 năm 2026"


def test_report_title_heading_and_body(report):
    kind, summary, part, body = report.paragraphs[:4]
    assert (kind.text, summary.text) == (
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính",
    )
    assert only_run(kind).bold and only_run(summary).bold
    assert part.text == "I. KẾT QUẢ THỰC HIỆN" and only_run(part).bold
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    assert body.paragraph_format.space_after == Pt(6)


def test_recipients_and_signature(report):
    recipients, signature = report.tables[1].rows[0].cells
    assert lines(recipients) == [
        "Nơi nhận:",
        "- UBND tỉnh (b/c);",
        "- Sở Nội vụ;",
        "- Lưu: VT, VP.",
    ]
    heading = only_run(recipients.paragraphs[0])
    assert (heading.font.size, heading.bold, heading.italic) == (Pt(12), True, True)
    assert {only_run(p).font.size for p in recipients.paragraphs[1:]} == {Pt(11)}
    assert lines(signature)[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert lines(signature)[-1] == "Nguyễn Duy Anh"
    assert all(run.bold for p in signature.paragraphs for run in p.runs)


def test_landscape_section_after_a_portrait_body(report):
    body, appendix = report.sections
    assert body.orientation == WD_ORIENT.PORTRAIT and mm(body.page_width) == (210,)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and mm(appendix.page_width) == (297,)
    assert body.different_first_page_header_footer
    assert not appendix.different_first_page_header_footer, "the appendix's first page is numbered"
    assert appendix.header.is_linked_to_previous
