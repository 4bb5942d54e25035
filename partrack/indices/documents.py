"""The self-assessment table (Bảng tự đánh giá, chấm điểm) as XLSX and DOCX, the evidence bundle
as a streamed ZIP, and the grading results table (kết quả xếp loại).

Every spreadsheet cell goes through the project's formula-injection rule (partrack.spreadsheets).
"""

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from partrack import files
from partrack.documents import state_format
from partrack.indices.criteria_io import fmt
from partrack.indices.evidence_sources import source_of
from partrack.indices.spreadsheet_cells import safe_cell
from partrack.spreadsheets import xlsx_cell
from partrack.vietnamese import ascii_slug

TABLE_FONT = Pt(11)


@dataclass
class TableRow:
    criterion: object
    self_points: Decimal | None
    appraised_points: Decimal | None
    score: object = None  # the CriterionScore of a leaf
    evidence: list = field(default_factory=list)  # lines citing the evidence


def subtotals(criteria, values):
    """{criterion id: Decimal or None}: a leaf's value, a parent's the sum of its scored leaves."""
    result = {}
    children = {}
    for c in criteria:
        children.setdefault(c.parent_id, []).append(c)

    def total(criterion):
        kids = children.get(criterion.pk)
        if not kids:
            value = values.get(criterion.pk)
        else:
            parts = [total(k) for k in kids]
            parts = [p for p in parts if p is not None]
            value = sum(parts, Decimal(0)) if parts else None
        result[criterion.pk] = value
        return value

    for top in children.get(None, []):
        total(top)
    return result


def bundle_folder(criterion):
    return f"{ascii_slug(criterion.code)}-{ascii_slug(criterion.title)[:40]}".strip("-")


def bundle_file_name(index, name):
    """ "01-ke-hoach.pdf": numbered in the criterion's order, in plain ASCII."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = f".{ascii_slug(suffix).lower()[:8]}" if suffix else ""
    return f"{index:02d}-{ascii_slug(stem)[:60]}{suffix}"


def _link_file(link):
    """(FieldFile, original name) of the link's file, or (None, '')."""
    if link.file:
        return link.file, link.file_name or link.label
    source = source_of(link)
    obj = link.source if source else None
    if obj is None:
        return None, ""
    file = source.file(obj)
    return (file, source.file_name(obj) or link.label) if file else (None, "")


def evidence_lines(criterion, links):
    lines = []
    index = 0
    for number, link in enumerate(links, start=1):
        file, name = _link_file(link)
        line = f"{number}. {link.label}"
        if file:
            index += 1
            line += f" [{bundle_folder(criterion)}/{bundle_file_name(index, name)}]"
        lines.append(line)
    return lines


def table_rows(criteria, scores, links_by_score, appraisal):
    by_criterion = {s.criterion_id: s for s in scores}
    self_totals = subtotals(criteria, {s.criterion_id: s.self_score for s in scores})
    appraised_totals = (
        subtotals(criteria, {s.criterion_id: s.appraised_score for s in scores})
        if appraisal
        else {}
    )
    rows = []
    for criterion in criteria:
        score = by_criterion.get(criterion.pk)
        rows.append(
            TableRow(
                criterion=criterion,
                self_points=self_totals.get(criterion.pk),
                appraised_points=appraised_totals.get(criterion.pk),
                score=score,
                evidence=evidence_lines(criterion, links_by_score.get(score.pk, []))
                if score
                else [],
            )
        )
    return rows


def _headers(appraisal):
    headers = [
        ("Mã", 8),
        ("Lĩnh vực, tiêu chí, tiêu chí thành phần", 50),
        ("Điểm tối đa", 9),
        ("Điểm tự chấm", 9),
        ("Giải trình, thuyết minh", 35),
        ("Tài liệu kiểm chứng", 50),
    ]
    if appraisal:
        headers += [("Điểm thẩm định", 9), ("Ý kiến thẩm định", 30)]
    return headers


def _row_values(row, appraisal):
    score = row.score
    values = [
        row.criterion.code,
        row.criterion.title,
        row.criterion.max_points,
        row.self_points,
        score.explanation if score else "",
        "\n".join(row.evidence),
    ]
    if appraisal:
        note = ""
        if score:
            note = "\n".join(
                p
                for p in [
                    score.round1_note,
                    score.answer and f"Giải trình: {score.answer}",
                    score.final_reason,
                ]
                if p
            )
        values += [row.appraised_points, note]
    return values


def assessment_title(sa):
    return f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {sa.year}"


def assessment_xlsx(sa, rows, totals, appraised_totals):
    appraisal = appraised_totals is not None
    headers = _headers(appraisal)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tự đánh giá")
    for index, (_name, width) in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A5"
    bold = Font(name=state_format.FONT, bold=True)
    plain = Font(name=state_format.FONT)
    wrapped = Alignment(wrap_text=True, vertical="top")

    def append(values, font=plain):
        cells = []
        for value in values:
            cell = xlsx_cell(sheet, value, font=font, alignment=wrapped)
            cells.append(cell)
        sheet.append(cells)

    append([assessment_title(sa)], bold)
    append([sa.agency.name])
    append([f"{sa.criteria_set.name} {sa.criteria_set.decision}".strip()])
    append([name for name, _width in headers], bold)
    for row in rows:
        append(_row_values(row, appraisal), bold if row.criterion.level == 1 else plain)
    total_row = [
        "",
        "Tổng điểm",
        sa.criteria_set.scale,
        totals.total,
        totals.explain(sa.criteria_set.scale),
        "",
    ]
    if appraisal:
        total_row += [appraised_totals.total, appraised_totals.explain(sa.criteria_set.scale)]
    append(total_row, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assessment_docx(sa, rows, totals, appraised_totals):
    appraisal = appraised_totals is not None
    agency = sa.agency
    doc = state_format.new_document()
    section = doc.sections[0]
    state_format.set_landscape(section)
    state_format.page_numbers_from_second_page(section)
    state_format.add_national_header(
        doc,
        parent_body=agency.parent_body,
        agency=agency.masthead_name,
        symbol=f"/BC-{agency.short_name}",
        place=agency.place_name,
        issued_on=None,
        year=sa.year,  # sent in December of the assessed year
    )
    state_format.add_title(
        doc,
        "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM",
        f"Chỉ số cải cách hành chính năm {sa.year} của {agency.masthead_name}",
    )
    reference = doc.add_paragraph()
    reference.alignment = state_format.CENTER
    reference.paragraph_format.space_after = Pt(6)
    basis = sa.criteria_set.name + (
        f" ({sa.criteria_set.decision})" if sa.criteria_set.decision else ""
    )
    reference.add_run(f"(Theo {basis})").italic = True

    headers = _headers(appraisal)
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = state_format.usable_width(section)
    total_width = sum(w for _n, w in headers)
    for column, (_name, w) in zip(table.columns, headers, strict=True):
        column.width = int(width * w / total_width)
    head = table.add_row()
    state_format.repeat_table_header(head)
    for cell, (name, _w) in zip(head.cells, headers, strict=True):
        state_format.set_cell_text(
            cell, name, bold=True, size=TABLE_FONT, align=state_format.CENTER
        )
    for row in rows:
        cells = table.add_row().cells
        for index, value in enumerate(_row_values(row, appraisal)):
            text = fmt(value) if isinstance(value, Decimal) else str(value or "")
            centred = index in (0, 2, 3, 6)
            state_format.set_cell_text(
                cells[index],
                text,
                bold=row.criterion.level == 1,
                size=TABLE_FONT,
                align=state_format.CENTER if centred else None,
            )
    cells = table.add_row().cells
    total_values = [
        "",
        "TỔNG ĐIỂM",
        fmt(sa.criteria_set.scale),
        fmt(totals.total),
        totals.explain(sa.criteria_set.scale),
        "",
    ]
    if appraisal:
        total_values += [
            fmt(appraised_totals.total),
            appraised_totals.explain(sa.criteria_set.scale),
        ]
    for cell, text in zip(cells, total_values, strict=True):
        state_format.set_cell_text(cell, text, bold=True, size=TABLE_FONT)
    doc.add_paragraph()
    state_format.add_recipients_and_signature(
        doc,
        ["Sở Nội vụ (thẩm định)"],
        agency.signer_on_behalf or "GIÁM ĐỐC",
        agency.signer_title,
        agency.signer_name,
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


class _Pipe:
    """A write-only sink zipfile writes into; the bytes are handed on as they come."""

    def __init__(self):
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


CHUNK = 64 * 1024


def evidence_bundle(sa, criteria, scores, links_by_score):
    """Yield the ZIP's bytes: a folder per criterion with its files, then index.csv (every
    document, with the sha256 of each file) and SHA256SUMS.txt. Nothing is held in memory but
    one chunk, so a bundle of hundreds of scanned files streams from the first byte."""
    pipe = _Pipe()
    sums = []
    index_rows = [["Mã tiêu chí", "Tiêu chí", "Tài liệu", "Tệp trong gói", "Kích thước", "SHA-256"]]
    by_criterion = {s.criterion_id: s for s in scores}
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for criterion in criteria:
            score = by_criterion.get(criterion.pk)
            if score is None:
                continue
            number = 0
            for link in links_by_score.get(score.pk, []):
                file, name = _link_file(link)
                if not file:
                    index_rows.append([criterion.code, criterion.title, link.label, "", "", ""])
                    continue
                try:
                    source = file.open("rb")
                except files.read_errors() as error:
                    # A file gone from the disk must not break a download already under way:
                    # the index says which one is missing, and the rest is delivered.
                    index_rows.append(
                        [
                            criterion.code,
                            criterion.title,
                            link.label,
                            "",
                            "",
                            f"không đọc được tệp: {error.__class__.__name__}",
                        ]
                    )
                    continue
                number += 1
                path = f"{bundle_folder(criterion)}/{bundle_file_name(number, name)}"
                digest = hashlib.sha256()
                size = 0
                with source, archive.open(path, "w", force_zip64=True) as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                        yield pipe.take()
                sums.append(f"{digest.hexdigest()}  {path}")
                index_rows.append(
                    [criterion.code, criterion.title, link.label, path, size, digest.hexdigest()]
                )
                yield pipe.take()
        listing = io.StringIO()
        csv.writer(listing, lineterminator="\n").writerows(
            [safe_cell(value) for value in row] for row in index_rows
        )
        archive.writestr("index.csv", ("\ufeff" + listing.getvalue()).encode("utf-8"))
        archive.writestr("SHA256SUMS.txt", ("\n".join(sums) + "\n").encode("utf-8"))
    yield pipe.take()


def grading_rows_values(results):
    return [
        [
            index,
            r.grading.unit.name,
            r.self_total,
            r.proposed_total,
            r.outcome.grade.label if r.outcome.grade else "",
            "; ".join(r.outcome.reasons),
            r.grading.get_status_display(),
        ]
        for index, r in enumerate(results, start=1)
    ]


GRADING_HEADERS = [
    ("STT", 6),
    ("Đơn vị", 40),
    ("Điểm tự chấm", 12),
    ("Điểm Văn phòng đề xuất", 14),
    ("Xếp loại", 24),
    ("Ghi chú", 40),
    ("Trạng thái", 20),
]


def grading_title(regime):
    return f"KẾT QUẢ XẾP LOẠI CÁC ĐƠN VỊ NĂM {regime.year}"


def grading_xlsx(agency, regime, results):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Xếp loại")
    for index, (_name, width) in enumerate(GRADING_HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(name=state_format.FONT, bold=True)
    plain = Font(name=state_format.FONT)

    def append(values, font=plain):
        cells = []
        for value in values:
            cell = xlsx_cell(
                sheet, value, font=font, alignment=Alignment(wrap_text=True, vertical="top")
            )
            cells.append(cell)
        sheet.append(cells)

    append([grading_title(regime)], bold)
    append([agency.name])
    append([f"{regime.name} {regime.decision}".strip()])
    append([n for n, _w in GRADING_HEADERS], bold)
    for values in grading_rows_values(results):
        append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def grading_docx(agency, regime, results):
    doc = state_format.new_document()
    section = doc.sections[0]
    state_format.set_landscape(section)
    state_format.add_national_header(
        doc,
        parent_body=agency.parent_body,
        agency=agency.masthead_name,
        symbol=f"/QĐ-{agency.short_name}",
        place=agency.place_name,
        issued_on=None,
        year=regime.year,
    )
    state_format.add_title(
        doc, "KẾT QUẢ XẾP LOẠI", f"Các đơn vị thuộc {agency.masthead_name} năm {regime.year}"
    )
    basis = doc.add_paragraph()
    basis.alignment = state_format.CENTER
    basis.add_run(
        f"(Theo {regime.name}{' ' + regime.decision if regime.decision else ''})"
    ).italic = True
    table = doc.add_table(rows=0, cols=len(GRADING_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.add_row()
    state_format.repeat_table_header(head)
    for cell, (name, _w) in zip(head.cells, GRADING_HEADERS, strict=True):
        state_format.set_cell_text(
            cell, name, bold=True, size=TABLE_FONT, align=state_format.CENTER
        )
    for values in grading_rows_values(results):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            text = (
                fmt(value)
                if isinstance(value, Decimal)
                else str(value if value is not None else "")
            )
            state_format.set_cell_text(cell, text, size=TABLE_FONT)
    doc.add_paragraph()
    state_format.add_recipients_and_signature(
        doc,
        ["Các phòng, đơn vị thuộc Sở"],
        agency.signer_on_behalf or "GIÁM ĐỐC",
        agency.signer_title,
        agency.signer_name,
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
