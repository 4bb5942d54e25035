"""Shared by the reader tests: the seed plan, a white-space-blind comparison, and builders of
small synthetic DOCX, XLSX and PDF files."""

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed-plan"
SEED_NAME = "ke-hoach-cchc-2026-skhcn-phu-tho"


def seed_path(extension):
    return SEED_DIR / f"{SEED_NAME}.{extension}"


def seed_bytes(extension):
    return seed_path(extension).read_bytes()


def expected_plan():
    return json.loads((SEED_DIR / "expected.json").read_text(encoding="utf-8"))


def scanned_copy(folder, *, dpi=200):
    """The seed's PDF as page images in a PDF, without a text layer: what a scanner gives
    (grey, JPEG at quality 70)."""
    import subprocess

    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(seed_path("pdf")), str(folder / "p")],
        check=True,
        timeout=300,
    )
    images = [Image.open(path).convert("RGB") for path in sorted(folder.glob("p-*.png"))]
    scan = folder / "ban-quet.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:], resolution=dpi, quality=70)
    return scan


def fold_spaces(value):
    """``value`` with every run of white space in its strings folded to one space."""
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    if isinstance(value, list):
        return [fold_spaces(item) for item in value]
    if isinstance(value, dict):
        return {key: fold_spaces(item) for key, item in value.items()}
    return value


def assert_same_sections(actual, expected):
    """Area by area, task by task, field by field: a failure names the field that differs."""
    actual, expected = fold_spaces(actual), fold_spaces(expected)
    assert [(s["roman"], s["title"]) for s in actual] == [
        (s["roman"], s["title"]) for s in expected
    ]
    for actual_area, expected_area in zip(actual, expected, strict=True):
        assert len(actual_area["tasks"]) == len(expected_area["tasks"]), expected_area["roman"]
        for actual_task, expected_task in zip(
            actual_area["tasks"], expected_area["tasks"], strict=True
        ):
            for key, value in expected_task.items():
                assert actual_task[key] == value, (expected_task["no"], key)


def rezipped(original, member, change):
    """The zip ``original`` with ``member``'s bytes replaced by ``change(bytes)``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            body = source.read(item)
            target.writestr(item.filename, change(body) if item.filename == member else body)
    return buffer.getvalue()


# --- DOCX -----------------------------------------------------------------------------------


def make_docx(rows, *, merges=(), before=(), after=()):
    """A DOCX with paragraphs ``before``, one table, and paragraphs ``after``.

    ``rows`` are lists of cell texts (None for a cell a merge covers); ``merges`` are pairs of
    (row, column) corners merged with python-docx, as Word does it (gridSpan / vMerge).
    """
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for row_index, row in enumerate(rows):
        for column, text in enumerate(row):
            if text:
                _fill_cell(table.cell(row_index, column), text)
    for first, last in merges:
        table.cell(*first).merge(table.cell(*last))
    for text in after:
        document.add_paragraph(text)
    return _saved(document)


def _fill_cell(cell, text):
    """One paragraph per line, as a person typing Enter in Word makes them."""
    first, *others = text.split("\n")
    cell.text = first
    for line in others:
        cell.add_paragraph(line)


def _saved(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- XLSX -----------------------------------------------------------------------------------


def make_xlsx(rows, *, merges=()):
    """A one-sheet workbook; ``merges`` are ranges such as "B3:F3"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------

_PAGE_WIDTH, _PAGE_HEIGHT = 842, 595
_LINE_HEIGHT = 11
_FONT_SIZE = 9


def make_pdf(pages, widths, *, lines_above=()):
    """A PDF whose pages each hold a ruled table, in Helvetica (ASCII text only).

    ``pages`` is a list of tables, a table a list of rows, a row a list of cell texts ("\\n"
    for several lines). A row given as a single string spans the table's whole width.
    ``lines_above`` are lines of text written above the first page's table.
    """
    streams = [
        _page_stream(rows, widths, lines_above if index == 0 else ())
        for index, rows in enumerate(pages)
    ]
    return _pdf_file(streams)


def _page_stream(rows, widths, lines_above):
    commands = []
    y = _PAGE_HEIGHT - 40
    for text in lines_above:
        commands.append(_text_command(40, y, text))
        y -= 16
    for row in rows:
        cells = [row] if isinstance(row, str) else row
        cell_widths = [sum(widths)] if isinstance(row, str) else widths
        height = _LINE_HEIGHT * max(len(cell.split("\n")) for cell in cells) + 6
        x = 40
        for text, width in zip(cells, cell_widths, strict=True):
            commands.append(f"{x} {y - height} {width} {height} re S")
            for number, line in enumerate(text.split("\n")):
                if line:
                    commands.append(_text_command(x + 3, y - 11 - number * _LINE_HEIGHT, line))
            x += width
        y -= height
    return "\n".join(commands).encode("latin-1")


def _text_command(x, y, text):
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F1 {_FONT_SIZE} Tf {x} {y} Td ({escaped}) Tj ET"


def _pdf_file(streams):
    page_ids = [4 + 2 * index for index in range(len(streams))]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % page for page in page_ids), len(page_ids)),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for page, stream in zip(page_ids, streams, strict=True):
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (_PAGE_WIDTH, _PAGE_HEIGHT, page + 1)
        )
        objects[page + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    output = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(output)
        output += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for number in sorted(objects):
        output += b"%010d 00000 n \n" % offsets[number]
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)
