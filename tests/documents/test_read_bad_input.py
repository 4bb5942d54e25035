"""Every file the readers cannot use ends in a DocumentError whose message tells the user why."""

import io
import random
import struct
import zipfile
import zlib

import docx
import pytest

from partrack.documents import errors
from partrack.documents.errors import DocumentError
from partrack.documents.reading import read_plan

from .reading_support import make_docx, make_pdf, make_xlsx, rezipped, seed_bytes, seed_path


def message_of(source, **options):
    with pytest.raises(DocumentError) as caught:
        read_plan(source, **options)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def tiny_png():
    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),
        "Kế hoạch cải cách hành chính năm 2026\n1. Rà soát TTHC".encode(),
        tiny_png(),
        "<html><body>Kế hoạch</body></html>".encode(),
    ],
    ids=["random bytes", "text file", "image", "web page"],
)
def test_not_a_document(data):
    assert message_of(data) == "Tệp không phải DOCX, PDF hay XLSX."


def test_a_zip_of_something_else():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    assert message_of(buffer.getvalue()) == errors.NOT_A_DOCUMENT


def test_an_empty_file():
    assert message_of(b"") == "Tệp rỗng, không có nội dung."
    assert message_of(io.BytesIO()) == errors.EMPTY_FILE


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00" * 200,
        seed_bytes("docx")[: len(seed_bytes("docx")) // 2],
        seed_bytes("xlsx")[:-100],
        b"%PDF-1.4\n" + random.Random(3).randbytes(2000),
    ],
    ids=["corrupt zip", "truncated docx", "truncated xlsx", "pdf of garbage"],
)
def test_a_corrupt_file(data):
    assert message_of(data) == "Tệp bị hỏng hoặc được đặt mật khẩu."


def test_a_docx_whose_document_part_is_broken():
    broken = rezipped(seed_bytes("docx"), "word/document.xml", lambda xml: xml[: len(xml) // 2])
    assert message_of(broken) == errors.CORRUPT


def test_a_password_protected_or_old_office_file():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    message = message_of(ole)
    assert "được đặt mật khẩu hoặc là định dạng Word cũ (.doc)" in message


def test_a_pdf_without_a_text_layer():
    blank_ruled_page = make_pdf([[["", "", ""], ["", "", ""]]], [100, 100, 100])
    message = message_of(blank_ruled_page)
    assert message == "Tệp PDF này là bản quét, không có lớp chữ: hãy tải lên bản DOCX."


@pytest.mark.parametrize(
    "data",
    [
        make_docx(
            [["UBND TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]], after=["KẾ HOẠCH"]
        ),
        make_docx([["Họ và tên", "Chức vụ", "Đơn vị"], ["Trần Văn B", "Chuyên viên", "VP"]]),
        make_xlsx([["Họ và tên", "Điện thoại"], ["Trần Văn B", "0912"]]),
        make_pdf([[["Mot bang", "khong phai nhiem vu"]] * 3], [300, 300]),
    ],
    ids=["docx with the masthead table only", "docx with another table", "xlsx", "pdf"],
)
def test_a_document_without_a_task_table_names_the_headers_seen_and_needed(data):
    message = message_of(data)
    assert message.startswith("Không tìm thấy bảng nhiệm vụ trong tài liệu. Tiêu đề các bảng")
    assert "Bảng nhiệm vụ cần một cột nội dung" in message


def test_a_docx_with_no_table_at_all():
    buffer = io.BytesIO()
    plain = docx.Document()
    plain.add_paragraph("KẾ HOẠCH cải cách hành chính năm 2026")
    plain.save(buffer)
    assert message_of(buffer.getvalue()) == errors.NO_TASK_TABLE


def test_a_file_over_the_size_limit():
    assert errors.too_large(20 * 1024 * 1024) == "Tệp vượt quá giới hạn 20 MB."
    assert message_of(seed_bytes("docx"), max_bytes=1024) == "Tệp vượt quá giới hạn 1 KB."
    assert message_of(seed_path("pdf"), max_bytes=1024) == errors.too_large(1024)
    with seed_path("xlsx").open("rb") as file:
        assert message_of(file, max_bytes=1024) == errors.too_large(1024)


def with_member(seed, name, body):
    """The seed zip with one more member, deflated."""
    buffer = io.BytesIO(seed)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, body)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("extension", "member"),
    [("docx", "word/media/image9.png"), ("xlsx", "xl/media/image9.png")],
)
def test_a_zip_bomb_dressed_as_an_office_file(extension, member):
    bomb = with_member(seed_bytes(extension), member, bytes(30 * 1024 * 1024))
    assert len(bomb) < 200 * 1024  # small on disk, 30 MB unpacked: a ratio no document has
    assert message_of(bomb) == "Tệp nén bất thường (giải nén quá lớn): không đọc tệp này."


def test_a_workbook_declaring_a_merge_over_the_whole_sheet():
    def merge_everything(xml):
        return xml.replace(b'<mergeCell ref="A1:G1"/>', b'<mergeCell ref="A1:XFD1048576"/>')

    bomb = rezipped(seed_bytes("xlsx"), "xl/worksheets/sheet1.xml", merge_everything)
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    assert message_of(bomb) == errors.ZIP_BOMB
