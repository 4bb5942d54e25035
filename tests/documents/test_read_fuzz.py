"""Fuzzing: whatever the bytes, reading ends in a ParsedPlan or a DocumentError, nothing else.

Mutations of the seed files' bytes mostly break the container (zip, PDF cross-references), so
the XML inside the DOCX and XLSX is also mutated and zipped again, to reach the parsers and the
table logic behind them; and the logic shared by the readers is fed random tables and lines.
PDF parsing is slow, so the PDF cases mostly use a small PDF.
"""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partrack.documents.errors import NO_TASK_TABLE, DocumentError
from partrack.documents.reading import pdf as pdf_reader
from partrack.documents.reading import plan_from_blocks, read_plan
from partrack.documents.reading.preamble import FULL, LEFT, RIGHT, Line
from partrack.documents.reading.table import Cell
from partrack.documents.structure import ParsedPlan

from .reading_support import make_pdf, rezipped, seed_bytes

_FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def no_ocr():
    # A mutated PDF that loses its text layer would be sent to OCR, seconds a page: the OCR
    # path has its own tests (test_read_scanned); here a scan is refused at once.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_reader, "can_ocr", lambda: False)
        yield


def fuzz(examples):
    return settings(_FUZZ, max_examples=examples)


def read_or_refuse(data):
    try:
        plan = read_plan(data)
    except DocumentError as error:
        assert error.message
    else:
        assert isinstance(plan, ParsedPlan)
        plan.to_json()


@st.composite
def mutated(draw, original):
    """``original`` with a few bytes flipped, inserted or deleted, and perhaps truncated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        operation = draw(st.sampled_from(["flip", "insert", "delete"]))
        if operation == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[position : position + draw(st.integers(1, 64))]
    if draw(st.booleans()) and draw(st.booleans()):
        del data[draw(st.integers(0, len(data))) :]
    return bytes(data)


def inner_xml_mutated(extension, member):
    original = seed_bytes(extension)
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        xml = archive.read(member)
    return mutated(xml).map(lambda body: rezipped(original, member, lambda _: body))


SEED_DOCX, SEED_XLSX, SEED_PDF = seed_bytes("docx"), seed_bytes("xlsx"), seed_bytes("pdf")
SMALL_PDF = make_pdf(
    [
        [
            ["STT", "Noi dung", "Chu tri", "Phoi hop", "Thoi gian"],
            "I. Cai cach the che",
            ["1", "Ra soat van ban\nquy pham", "Van phong So", "Cac phong", "Quy I/2026"],
        ],
        [["", "tiep theo", "", "", ""], ["2", "Bao cao", "Phong A; Phong B", "", "2026"]],
    ],
    [40, 280, 130, 130, 120],
    lines_above=["KE HOACH", "Cai cach hanh chinh nam 2026"],
)


@fuzz(500)
@given(mutated(SEED_DOCX))
def test_docx_bytes(data):
    read_or_refuse(data)


@fuzz(400)
@given(inner_xml_mutated("docx", "word/document.xml"))
def test_docx_document_xml(data):
    read_or_refuse(data)


@fuzz(500)
@given(mutated(SEED_XLSX))
def test_xlsx_bytes(data):
    read_or_refuse(data)


@fuzz(400)
@given(inner_xml_mutated("xlsx", "xl/worksheets/sheet1.xml"))
def test_xlsx_sheet_xml(data):
    read_or_refuse(data)


@fuzz(500)
@given(mutated(SMALL_PDF))
def test_small_pdf_bytes(data):
    read_or_refuse(data)


@fuzz(20)
@given(mutated(SEED_PDF))
def test_seed_pdf_bytes(data):
    read_or_refuse(data)


@fuzz(400)
@given(
    st.tuples(
        st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xd0\xcf\x11\xe0"]), st.binary()
    )
)
def test_random_bytes(parts):
    prefix, tail = parts
    read_or_refuse(prefix + tail)


# --- The shared logic, on tables and lines no reader would make ------------------------------

WORDS = [
    "STT", "TT", "Số TT", "Nội dung", "Nhiệm vụ", "Cơ quan chủ trì", "Phối hợp", "Thời gian",
    "Sản phẩm", "Ghi chú", "Kinh phí", "Khác", "I", "II", "A", "1", "2", "3", "1.", "1.1", "(1)",
    "-", "Văn phòng Sở", "Phòng A;\nPhòng B", "Các phòng, đơn vị thuộc Sở", "Văn phòng\nSở",
    "Quý I/2026", "Năm 2026", "Thường xuyên", "", " ", "\n", "- Rà soát\n- Báo cáo",
]  # fmt: skip
LINES = [
    "UBND TỈNH PHÚ THỌ", "SỞ NỘI VỤ", "Số: 12/KH-SNV", "Phú Thọ, ngày 31 tháng 02 năm 2026",
    "KẾ HOẠCH", "Cải cách hành chính năm 2026", "Nơi nhận:", "- Sở Nội vụ;", "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC", "Nguyễn Văn A", "PHỤ LỤC", "Thời gian kiểm tra: Quý III, IV năm 2026",
    "Kiểm tra 25% các phòng", "năm (trước ngày 10 tháng 13)", "trước ngày 10 của tháng cuối quý",
]  # fmt: skip
HEADER = [Cell("STT"), Cell("Nội dung"), Cell("Cơ quan chủ trì"), Cell("Thời gian")]

texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=40))
cells = st.builds(Cell, text=texts, from_above=st.booleans(), from_left=st.booleans())
rows = st.lists(st.lists(cells, min_size=1, max_size=6), max_size=12)
tables = st.one_of(rows, rows.map(lambda body: [HEADER, *body]))
lines = st.builds(
    Line,
    text=st.one_of(st.sampled_from(LINES), st.text(max_size=60)),
    side=st.sampled_from([LEFT, RIGHT, FULL]),
)


@fuzz(400)
@given(st.lists(st.one_of(tables, lines), max_size=12))
def test_shared_logic_on_random_blocks(blocks):
    try:
        plan = plan_from_blocks(blocks)
    except DocumentError as error:
        assert error.message.startswith(NO_TASK_TABLE)
    else:
        assert plan.tasks
        plan.to_json()
