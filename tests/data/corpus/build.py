# ruff: noqa: E501  (per-document facts, kept one a line)
"""Build DOCX (and, through LibreOffice, PDF) fixtures from the four public documents of
markdown/ (Markdown converted from the official documents; see markdown/README.md).

The Markdown writes a table as "|" lines between cells and "|" "|" between rows, and drops the
cells a vertical merge covers: a short row's missing cells are rebuilt here as merges with the
row above, on the side each document's merges sit (its leading columns, or its trailing ones).
A cell the Markdown writes wholly in bold ("**…**") is
bold here too (a group row "Nhiệm vụ giao Bộ trưởng … chỉ đạo" is told by it). Document 02's
Phụ lục II lost its merges in ways the rule above cannot rebuild; ``mend_rows`` puts its rows
back on the header's columns first. The masthead, which the web page mangles, is written from the README's facts in the state
format; the body and the appendix tables come from the Markdown.

Run from the project root: .venv/bin/python tests/data/corpus/build.py [/path/to/corpus/plans]
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "shapes"))

from build import centred, masthead, new_document, to_pdf  # noqa: E402

CORPUS = Path(__file__).parent / "markdown"

# name: masthead's left lines, place and date, the Markdown lines where the document starts and
# stops, and the side of a table where the Markdown drops the cells a vertical merge covers.
DOCUMENTS = {
    "01-thutuong-2530-qd-ttg-2025-khong-khi": dict(
        left=["THỦ TƯỚNG CHÍNH PHỦ", "Số: 2530/QĐ-TTg"],
        date="Hà Nội, ngày 19 tháng 11 năm 2025",
        start="**QUYẾT ĐỊNH**",
        stop="**FILE ATTACHED TO DOCUMENT**",
        merged_side="left",
    ),
    "02-vpcp-624-tb-vpcp-2025-nhiem-vu-cham-muon": dict(
        left=["VĂN PHÒNG CHÍNH PHỦ", "Số: 624/TB-VPCP"],
        date="Hà Nội, ngày 16 tháng 11 năm 2025",
        start="**THÔNG BÁO**",
        stop="**FILE ATTACHED TO DOCUMENT**",
        merged_side="right",
        mend=True,
    ),
    "03-bcd-174-cv-bcd-2025-kien-nghi-dia-phuong": dict(
        left=[
            "BAN CHỈ ĐẠO SẮP XẾP ĐVHC CÁC CẤP VÀ XÂY DỰNG MÔ HÌNH TỔ CHỨC CQĐP 02 CẤP",
            "Số: 174/CV-BCĐ",
            "V/v xử lý đề xuất, kiến nghị của các địa phương",
        ],
        date="Hà Nội, ngày 02 tháng 12 năm 2025",
        start=None,
        stop="**FILE ATTACHED TO DOCUMENT**",
        merged_side="right",
    ),
    "04-bnv-1383-qd-bnv-2025-lich-pho-bien-thong-ke": dict(
        left=["BỘ NỘI VỤ", "Số: 1383/QĐ-BNV"],
        date="Hà Nội, ngày 26 tháng 11 năm 2025",
        start="**QUYẾT ĐỊNH**",
        stop="**FILE ATTACHED TO DOCUMENT**",
        merged_side="right",
    ),
}
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
_MARKS = re.compile(r"\*+")
_ENDS_PARAGRAPH = (".", ":", ";", "!", "?", "*", "”")


def blocks(lines):
    """("text", line) and ("table", rows) in order; a table's rows are lists of cell texts.

    An appendix table starts at a "|" line followed by its "STT"/"TT" header cell and ends
    where the next one starts or a "PHỤ LỤC" heading comes; the "|" lines of the web page's
    other tables (masthead, signature) are dropped, their text kept as paragraphs.
    """
    starts = [
        i
        for i in range(len(lines) - 1)
        if lines[i].strip() == "|" and clean(lines[i + 1]) in ("STT", "TT")
    ]
    out, index = [], 0
    for number, start in enumerate(starts):
        out.extend(("text", line) for line in lines[index:start] if line.strip() != "|")
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        stop = next(
            (
                i
                for i in range(start + 1, end)
                if clean(lines[i]).startswith(("PHỤ LỤC", "FILE"))
                or lines[i].startswith(("__", "##"))
            ),
            end,
        )
        rows, after = _table(lines[start:stop])
        out.append(("table", rows))
        out.extend(("text", line) for line in after)
        index = stop
    out.extend(("text", line) for line in lines[index:] if line.strip() != "|")
    return out


def _table(lines):
    """(rows, lines after the table) of a table's lines: cells between "|", rows between "|" "|"."""
    rows, cells, current = [], [], []
    index = 1
    while index < len(lines):
        line = lines[index].strip()
        if line == "|":
            cells.append("\n".join(current))
            current = []
            if index + 1 < len(lines) and lines[index + 1].strip() == "|":
                rows.append(cells)
                cells, index = [], index + 2
                continue
        else:
            current.append(lines[index])
        index += 1
    if cells:
        rows.append(cells)
    after = current  # text after the last "|": a heading between two tables
    width = len(rows[0]) if rows else 0
    if rows and len(rows[-1]) > width:
        after = [*rows[-1][width:], *after]
        rows[-1] = rows[-1][:width]
    return rows, [line for text in after for line in text.split("\n")]


def _bold(text):
    """Whether the Markdown writes the cell wholly in bold: "**…**"."""
    text = text.strip()
    return text.startswith("**") and text.endswith("**") and bool(clean(text))


def clean(text):
    return _MARKS.sub("", text).strip()


def paragraphs(text_lines):
    """Lines the web page wrapped joined back into paragraphs."""
    joined = []
    for line in text_lines:
        line = line.rstrip()
        if not line.strip():
            continue
        capitals = clean(line).isupper() or clean(joined[-1]).isupper() if joined else False
        if (
            joined
            and not capitals
            and not joined[-1].rstrip().endswith(_ENDS_PARAGRAPH)
            and not line.startswith(("**", "- ", "+ "))
        ):
            joined[-1] = f"{joined[-1]} {line.strip()}"
        else:
            joined.append(line.strip())
    return joined


def mend_rows(rows, width):
    """Rows of a table whose merges the Markdown broke (document 02's Phụ lục II), put back on
    the header's columns: a lone cell under a short row is that row's next cell (the Markdown
    broke the row after its deadline); an empty cell before a number, or before a row one cell
    too wide, stands for a merged cell the Markdown moved to the front, and is dropped. What is
    still missing at the row's end is then merged with the row above, as ``merged_side`` says.
    """
    mended = []
    for row in rows:
        if len(row) == 1 and mended and len(mended[-1]) < width:
            mended[-1] = [*mended[-1], row[0]]
            continue
        while (
            len(row) > 1
            and not clean(row[0])
            and (len(row) > width or re.fullmatch(r"\d{1,3}\.?", clean(row[1])))
        ):
            row = row[1:]
        mended.append(row)
    return mended


def write_table(document, rows, merged_side, mend=False):
    width = max(len(row) for row in rows[:2])
    if mend:
        rows = mend_rows(rows, width)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    merges = []
    for r, row in enumerate(rows):
        cells = [clean(cell) for cell in row]
        bold = [_bold(cell) for cell in row]
        missing = width - len(cells)
        # A heading row ("A." | "BỘ …") spans the rest of the row; a short row continues the
        # merged cells of the row above.
        if r and missing > 0 and len(cells) == 2 and re.fullmatch(r"[A-Z]{1,3}\.?", cells[0]):
            merges.append(((r, 1), (r, width - 1)))
            cells = [*cells, *[""] * missing]
        elif r and missing > 0:
            start = 0 if merged_side == "left" else len(cells)
            for column in range(start, start + missing):
                merges.append(((r - 1, column), (r, column)))
            if merged_side == "left":
                cells, bold = [*[""] * missing, *cells], [*[False] * missing, *bold]
            else:
                cells = [*cells, *[""] * missing]
        for c, text in enumerate(cells[:width]):
            if text:
                cell = table.cell(r, c)
                first, *rest = text.split("\n")
                cell.text = first
                for line in rest:
                    cell.add_paragraph(line)
                for paragraph in cell.paragraphs if bold[c] else ():
                    for run in paragraph.runs:
                        run.bold = True
    for first, last in merges:
        try:
            table.cell(*first).merge(table.cell(*last))
        except Exception:  # a merge python-docx cannot draw: keep the cells apart
            continue


def build(name, spec, corpus):
    lines = (corpus / f"{name}.md").read_text(encoding="utf-8").splitlines()
    start = 0
    if spec["start"]:
        start = next(i for i, line in enumerate(lines) if line.strip() == spec["start"])
    else:
        start = next(i for i, line in enumerate(lines) if clean(line).startswith("Kính gửi"))
    stop = next((i for i, line in enumerate(lines) if line.strip() == spec["stop"]), len(lines))
    # The web page's own text after the document ("__Ghi chú:__" is the document's; "##" not)
    stop = next((i for i in range(start, stop) if lines[i].startswith("## ")), stop)
    document = new_document()
    masthead(document, spec["left"], [*MOTTO, spec["date"]])
    pending = []
    for kind, value in blocks(lines[start:stop]):
        if kind == "text":
            pending.append(value)
            continue
        _flush(document, pending)
        pending = []
        if len(value) > 1 and max(len(row) for row in value) > 1:
            write_table(document, value, spec["merged_side"], spec.get("mend", False))
    _flush(document, pending)
    return document


def _flush(document, text_lines):
    for text in paragraphs(text_lines):
        plain = clean(text)
        if not plain:
            continue
        if plain.isupper() and len(plain) < 200:
            centred(document, plain)
        else:
            document.add_paragraph(plain)


def main():
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    paths = []
    for name, spec in DOCUMENTS.items():
        path = HERE / f"{name}.docx"
        build(name, spec, corpus).save(path)
        paths.append(path)
    if not to_pdf(paths, HERE):
        print("LibreOffice is not installed: DOCX only.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
