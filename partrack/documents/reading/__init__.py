"""Read a plan document (DOCX, PDF or XLSX) into a ``ParsedPlan``.

The type is told from the content, never from the file name. Whatever goes wrong with a file
comes out as a ``DocumentError`` with a message for the user.

Each format's reader (``docx``, ``pdf``, ``xlsx``) turns the file into blocks in reading order:
lines of text and tables as rows of ``table.Cell``. What follows is shared: ``table`` finds the
task tables and reads areas and tasks, ``names`` splits the lead and coordinator cells, and
``preamble`` reads the plan's own facts from the remaining lines.
"""

import os
import zipfile
from io import BytesIO

from partrack.documents.errors import (
    CORRUPT,
    EMPTY_FILE,
    NOT_A_DOCUMENT,
    OLE_FILE,
    ZIP_BOMB,
    DocumentError,
    too_large,
)
from partrack.documents.structure import SCANNED, ParsedPlan

from .convert import to_docx
from .docx import read_docx
from .names import known_bodies
from .ocr import correct, nearest_name
from .pdf import read_pdf
from .preamble import Line, fill_facts, layout_table_lines
from .table import NoTaskTable, TaskTables, body_deadline, date_tasks
from .xlsx import read_xlsx

__all__ = ["MAX_BYTES", "SCANNED_WARNING", "plan_from_blocks", "read_plan"]
SCANNED_WARNING = (
    "Tệp là bản quét: chữ được nhận dạng bằng OCR, có thể sai dấu hoặc sai số. "
    "Hãy kiểm tra lại từng dòng trước khi xác nhận."
)


MAX_BYTES = 20 * 1024 * 1024
# Limits on what a zip may unpack to, checked before any library opens it.
_MOST_UNPACKED_BYTES = 200 * 1024 * 1024
_HIGHEST_RATIO = 100
_MOST_MEMBERS = 10_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An old Word file is an OLE container holding a "WordDocument" stream (named in UTF-16).
_WORD_STREAM = b"WordDocument"
_WORD_STREAM_UTF16 = "WordDocument".encode("utf-16-le")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_READERS = {"docx": read_docx, "pdf": read_pdf, "xlsx": read_xlsx}
_ZIP_MARKERS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def read_plan(
    source, *, filename=None, max_bytes=MAX_BYTES, mapping=None, table=None, known_names=None
):
    """The plan in ``source``: bytes, a path, or a binary file object.

    ``mapping`` ({folded header: field}) says what columns hold where the office said so;
    ``table`` (its number among the document's tables) is the one task table to read;
    ``known_names`` (a callable giving the agency's unit names, asked only for a scan) are
    the names an OCR'd lead or coordinator is taken for when only OCR slips set them apart.
    """
    if filename is None and isinstance(source, str | os.PathLike):
        filename = os.fspath(source)
    data = _load(source, max_bytes)
    kind = _sniff(data)
    if kind in ("doc", "odt"):
        # Old Word and OpenDocument files are read as the DOCX LibreOffice makes of them.
        data, kind = to_docx(data, f".{kind}"), "docx"
        filename = None
    try:
        blocks = _READERS[kind](data)
    except DocumentError:
        raise
    except Exception as error:  # any library's failure on a broken file
        raise DocumentError(CORRUPT) from error
    plan = plan_from_blocks(blocks, mapping=mapping, table=table)
    if getattr(blocks, "scanned", False):
        known = [*(known_names() if known_names else ()), *known_bodies().values()]
        for row in plan.rows:
            # Again on the whole row: a cell cut by a page break is joined after each part
            # was put right on its own.
            row.content, row.deliverable = correct(row.content), correct(row.deliverable)
            row.note = correct(row.note)
            row.lead = [nearest_name(name, known) for name in row.lead]
            row.coordinators = [nearest_name(name, known) for name in row.coordinators]
            row.reading.append(SCANNED)
        plan.warnings.append(SCANNED_WARNING)
    _check_extension(plan, filename, kind)
    return plan


def _load(source, max_bytes):
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        if os.path.getsize(source) > max_bytes:
            raise DocumentError(too_large(max_bytes))
        with open(source, "rb") as file:
            data = file.read()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DocumentError(too_large(max_bytes))
    if not data:
        raise DocumentError(EMPTY_FILE)
    return data


def _sniff(data):
    if data.startswith(_OLE_MAGIC):
        if _WORD_STREAM in data or _WORD_STREAM_UTF16 in data:
            return "doc"
        raise DocumentError(OLE_FILE)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK"):
        return _zip_kind(data)
    raise DocumentError(NOT_A_DOCUMENT)


def _zip_kind(data):
    """DOCX or XLSX, once the zip is known to unpack to a sane size."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises several kinds on a broken archive
        raise DocumentError(CORRUPT) from error
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if (
        len(members) > _MOST_MEMBERS
        or unpacked > _MOST_UNPACKED_BYTES
        or unpacked > _HIGHEST_RATIO * max(packed, 1)
    ):
        raise DocumentError(ZIP_BOMB)
    names = {member.filename for member in members}
    if "content.xml" in names and _ODT_MIMETYPE in data[:200]:
        return "odt"
    for marker, kind in _ZIP_MARKERS.items():
        if marker in names:
            return kind
    raise DocumentError(NOT_A_DOCUMENT)


def plan_from_blocks(blocks, *, mapping=None, table=None):
    """The plan in a reader's blocks (lines, and tables as rows of cells), in document order.

    Task tables become areas; everything else becomes the lines the plan's facts are read from.
    ``mapping`` ({folded header: field}) is a person's choice of what columns hold.
    """
    tables, lines = TaskTables(mapping, only_table=table), []
    for block in blocks:
        if isinstance(block, Line):
            lines.append(block)
            tables.heading_line(block.text)
            continue
        above_header = tables.read(block)
        lines.extend(layout_table_lines(block if above_header is None else above_header))
    areas = tables.finish()
    if not any(area.tasks for area in areas):
        raise NoTaskTable(tables.tables_seen)
    plan = ParsedPlan(
        areas=areas,
        unrecognised_columns=tables.unrecognised_columns,
        warnings=tables.warnings,
        tables_seen=tables.tables_seen,
    )
    fill_facts(plan, lines)
    date_tasks(plan, body_deadline(lines))
    return plan


def _check_extension(plan, filename, kind):
    extension = os.path.splitext(filename or "")[1].lower()
    if extension and extension != f".{kind}":
        plan.warnings.append(
            f"Tệp có đuôi {extension} nhưng nội dung là {kind.upper()}: đã đọc theo nội dung."
        )
