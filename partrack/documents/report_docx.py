"""Writing the consolidated periodic report: Word in the state format, Excel and CSV.

The writers read a `ReportData` and nothing else: no models, no database, so that the web, the
command line and the benchmark produce the same document from the same data.
"""

import io
import re
from datetime import timedelta

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from partrack.spreadsheets import SafeCsvWriter, xlsx_cell

from . import report_data as parts
from . import state_format

TABLE_FONT_SIZE = Pt(12)
ONE_DAY = timedelta(days=1)
JUDGED_HERE = "Đến hạn trong kỳ này"
# A line of narrative that opens a numbered item ("1. Về kế hoạch …") is set in bold.
NUMBERED_HEADING = re.compile(r"^\d+(\.\d+)*\.\s")

# The appendix: (header, relative width in mm on a landscape A4 page).
APPENDIX_COLUMNS = (
    ("Số TT", 12),
    ("Nhiệm vụ", 88),
    ("Đơn vị chủ trì", 38),
    ("Thời hạn", 28),
    ("Tình trạng", 34),
    ("Minh chứng", 52),
)
TASK_SHEET_COLUMNS = (
    # (header, width in characters)
    ("Số TT", 6),
    ("Lĩnh vực", 24),
    ("Nhiệm vụ", 60),
    ("Đơn vị chủ trì", 26),
    ("Thời hạn", 18),
    ("Hạn hoàn thành", 12),
    ("Tình trạng", 18),
    ("Tiến độ (%)", 8),
    ("Ngày hoàn thành", 12),
    ("Kết quả thực hiện", 60),
    ("Minh chứng", 50),
)


def consolidated_report_docx(data):
    """The report as .docx bytes: header, parts I–V, recipients and signature, the appendix."""
    doc = state_format.new_document()
    properties = doc.core_properties
    properties.title = f"Báo cáo {data.title_line}"
    properties.subject = data.plan_title
    state_format.page_numbers_from_second_page(doc.sections[0])

    state_format.add_national_header(
        doc,
        parent_body=data.parent_body,
        agency=data.agency,
        symbol=data.symbol,
        place=data.place,
        issued_on=data.issued_on,
        year=data.year,
    )
    state_format.add_title(doc, "BÁO CÁO", data.title_line)
    _write_text(doc, data.narrative.get(parts.INTRO, ""))

    state_format.add_heading_part(doc, "I. Công tác chỉ đạo, điều hành cải cách hành chính")
    _write_text(doc, data.narrative.get(parts.DIRECTION, ""))
    _write_extra_sections(doc, data, "direction")

    state_format.add_heading_part(doc, "II. Kết quả thực hiện các nhiệm vụ cải cách hành chính")
    results = [area for area in data.areas if not area.is_direction]
    for index, area in enumerate(results, start=1):
        state_format.body_paragraph(doc, f"{index}. {area.title}", bold=True)
        _write_text(doc, data.narrative.get(area.key, ""))

    state_format.add_heading_part(doc, "III. Đánh giá chung")
    state_format.body_paragraph(doc, "1. Kết quả thực hiện các nhiệm vụ của Kế hoạch", bold=True)
    state_format.body_paragraph(doc, figures_sentence(data))
    _add_figures_table(doc, data)
    state_format.body_paragraph(doc, judged_sentence(data))
    for line in reporting_lines(data):
        state_format.body_paragraph(doc, line)
    _write_extra_sections(doc, data, "assessment")
    for number, (key, heading) in enumerate(
        [
            (parts.STRENGTHS, "Ưu điểm"),
            (parts.WEAKNESSES, "Tồn tại, hạn chế"),
            (parts.CAUSES, "Nguyên nhân"),
        ],
        start=2,
    ):
        state_format.body_paragraph(doc, f"{number}. {heading}", bold=True)
        _write_text(doc, data.narrative.get(key, ""))

    state_format.add_heading_part(doc, f"IV. Nhiệm vụ trọng tâm {data.next_period_name}")
    _write_text(doc, data.narrative.get(parts.NEXT_TASKS, ""))
    state_format.add_heading_part(doc, "V. Đề xuất, kiến nghị")
    _write_text(doc, data.narrative.get(parts.PROPOSALS, ""))
    _write_text(doc, data.narrative.get(parts.CLOSING, ""))

    doc.add_paragraph().paragraph_format.space_after = Pt(6)
    state_format.add_recipients_and_signature(
        doc, data.recipients, data.signer_on_behalf, data.signer_title, data.signer_name
    )
    _add_appendix(doc, data)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def figures_sentence(data):
    """'Tính đến ngày 14/03/2026, Kế hoạch có 36 nhiệm vụ, trong đó: hoàn thành đúng hạn 5 …'."""
    counts = "; ".join(
        f"{_lower_first(label)} {data.figures.counts.get(code, 0)} nhiệm vụ"
        for code, label in data.state_labels
    )
    return (
        f"Tính đến ngày {data.as_of:%d/%m/%Y}, Kế hoạch có {data.figures.total} nhiệm vụ, "
        f"trong đó: {counts}."
    )


def judged_window(data):
    """ "có thời hạn từ 15/03/2026 đến 14/06/2026" — the due dates the period judges."""
    after, until = data.judged_after, data.judged_until
    if after and until:
        return f"có thời hạn từ ngày {after + ONE_DAY:%d/%m/%Y} đến ngày {until:%d/%m/%Y}"
    if until:
        return f"có thời hạn đến ngày {until:%d/%m/%Y}"
    if after:
        return f"có thời hạn từ ngày {after + ONE_DAY:%d/%m/%Y}"
    return "có thời hạn"


def judged_sentence(data):
    """The tasks this period judges, by state; "tính đến ngày …" until the figures are final."""
    figures = data.judged_figures
    if not figures.total:
        return f"Trong kỳ không có nhiệm vụ nào {judged_window(data)}."
    counts = "; ".join(
        f"{_lower_first(label)} {figures.counts.get(code, 0)}"
        for code, label in data.state_labels
        if figures.counts.get(code, 0)
    )
    text = (
        f"Các nhiệm vụ đến hạn trong kỳ ({judged_window(data)}): {figures.total} nhiệm vụ, "
        f"trong đó: {counts}."
    )
    if not data.figures_final:
        text += (
            f" Số liệu tính đến ngày {data.as_of:%d/%m/%Y}, chưa phải số liệu chính thức của kỳ."
        )
    return text


def reporting_lines(data):
    """Which units reported on time, late, or not at all: a unit that sent nothing by its
    deadline is counted among those that have not reported, never among those on time."""
    due = f"{data.unit_due:%d/%m/%Y}"
    expected = len(data.reporting_units)
    lines = [
        f"Tình hình gửi báo cáo của {expected} đơn vị (hạn gửi Văn phòng Sở trước ngày {due}): "
        f"{len(data.on_time_units)} đơn vị gửi đúng hạn, {len(data.late_units)} đơn vị gửi "
        f"chậm, {len(data.missing_units)} đơn vị chưa gửi và đã quá hạn"
        + (
            f", {len(data.not_due_units)} đơn vị chưa gửi (chưa đến hạn)."
            if data.not_due_units
            else "."
        )
    ]
    if data.late_units:
        late = ", ".join(f"{line.unit} (chậm {line.days_late} ngày)" for line in data.late_units)
        lines.append(f"Đơn vị gửi báo cáo chậm so với thời hạn {due}: {late}.")
    if data.missing_units:
        missing = ", ".join(
            f"{line.unit} (quá hạn {line.days_overdue} ngày)" for line in data.missing_units
        )
        lines.append(f"Đơn vị chưa gửi báo cáo, đã quá hạn: {missing}.")
    if data.not_due_units:
        waiting = ", ".join(line.unit for line in data.not_due_units)
        lines.append(f"Đơn vị chưa gửi báo cáo (chưa đến hạn): {waiting}.")
    return lines


def appendix_title(data):
    return f"Kết quả thực hiện các nhiệm vụ cải cách hành chính {data.period_name}".upper()


def state_details(task):
    """The second line of a task's state: its progress or the day it was done."""
    if task.done_on:
        return f"ngày {task.done_on:%d/%m/%Y}"
    if task.state not in ("done_on_time", "done_late", "cannot_do") and task.percent:
        return f"Tiến độ: {task.percent}%"
    return ""


def _keep_row_together(row):
    """A task's row is not split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _write_text(doc, text):
    """The coordinator's text, one paragraph per line; a numbered line is a bold sub-heading."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            state_format.body_paragraph(doc, line, bold=bool(NUMBERED_HEADING.match(line)))


def _write_extra_sections(doc, data, part):
    """The sections other apps add (reporting.sections) that print in `part`."""
    for section in data.extra_sections:
        if section.part != part:
            continue
        state_format.body_paragraph(doc, section.heading, bold=True)
        if section.editable:
            _write_text(doc, data.narrative.get(section.key, ""))
        else:
            for line in section.paragraphs:
                state_format.body_paragraph(doc, line)
        if section.headers:
            _add_simple_table(doc, section.headers, section.rows)


def _add_simple_table(doc, headers, rows):
    """A plain numbered table: a bold header row repeated on each page, then the rows."""
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.add_row()
    state_format.repeat_table_header(header)
    for cell, title in zip(header.cells, headers, strict=True):
        state_format.set_cell_text(
            cell, title, bold=True, size=TABLE_FONT_SIZE, align=state_format.CENTER
        )
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            state_format.set_cell_text(
                cell, "" if value is None else str(value), size=TABLE_FONT_SIZE
            )
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _add_figures_table(doc, data):
    """States down, areas across: it fits a portrait page for the usual seven areas."""
    columns = [area.figures.numeral or str(n) for n, area in enumerate(data.areas, start=1)]
    table = doc.add_table(rows=0, cols=len(columns) + 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = state_format.usable_width(doc.sections[-1])
    label_width = Mm(48)
    number_width = int((width - label_width) / (len(columns) + 1))
    widths = [label_width] + [number_width] * (len(columns) + 1)

    def row(values, *, bold=False):
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = state_format.LEFT if index == 0 else state_format.CENTER
            state_format.set_cell_text(
                cell, str(value), bold=bold, size=TABLE_FONT_SIZE, align=align
            )

    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    row(["Tình trạng / Lĩnh vực", *columns, "Tổng số"], bold=True)
    state_format.repeat_table_header(table.rows[0])
    every = [area.figures for area in data.areas] + [data.figures]
    row(["Tổng số nhiệm vụ", *(figures.total for figures in every)], bold=True)
    for code, label in data.state_labels:
        row([label, *(figures.counts.get(code, 0) for figures in every)])
    legend = "; ".join(
        f"{area.figures.numeral or n}: {area.title}" for n, area in enumerate(data.areas, start=1)
    )
    caption = doc.add_paragraph()
    caption.paragraph_format.space_after = Pt(6)
    caption.add_run(f"({legend}.)").font.size = TABLE_FONT_SIZE
    caption.runs[0].italic = True
    return table


def _centred(doc, text, *, bold=False, italic=False, space_after=0):
    paragraph = doc.add_paragraph()
    paragraph.alignment = state_format.CENTER
    paragraph.paragraph_format.space_after = Pt(space_after)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    return paragraph


def _add_appendix(doc, data):
    """Every task with its lead unit, deadline, state and evidence, on landscape pages."""
    state_format.add_landscape_section(doc)
    _centred(doc, "Phụ lục", bold=True)
    _centred(doc, appendix_title(data), bold=True)
    issued = (
        f"{data.issued_on:%d/%m/%Y}"
        if data.issued_on
        else f"{state_format.BLANK}/{state_format.BLANK}/{data.year}"
    )
    symbol = state_format.fillable_symbol(data.symbol)
    _centred(
        doc,
        f"(Kèm theo Báo cáo số {symbol} ngày {issued} của {data.agency})",
        italic=True,
        space_after=6,
    )

    table = doc.add_table(rows=0, cols=len(APPENDIX_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = state_format.usable_width(doc.sections[-1])
    total_mm = sum(mm for _header, mm in APPENDIX_COLUMNS)
    widths = [int(width * mm / total_mm) for _header, mm in APPENDIX_COLUMNS]
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    centre, left = state_format.CENTER, state_format.LEFT
    aligns = (centre, state_format.JUSTIFY, left, centre, left, left)

    header = table.add_row()
    state_format.repeat_table_header(header)
    for cell, (title, _mm) in zip(header.cells, APPENDIX_COLUMNS, strict=True):
        state_format.set_cell_text(cell, title, bold=True, size=TABLE_FONT_SIZE, align=centre)

    for area in data.areas:
        cells = table.add_row().cells
        state_format.set_cell_text(
            cells[0], area.numeral, bold=True, size=TABLE_FONT_SIZE, align=centre
        )
        title = cells[1].merge(cells[-1])
        state_format.set_cell_text(title, area.title, bold=True, size=TABLE_FONT_SIZE)
        for task in area.tasks:
            state = task.state_label
            details = "\n".join(
                part for part in (state_details(task), JUDGED_HERE if task.judged else "") if part
            )
            values = (
                "" if task.number is None else str(task.number),
                task.content_shown,
                "\n".join(task.lead),
                task.deadline_shown,
                f"{state}\n{details}" if details else state,
                "\n".join(task.evidence),
            )
            row = table.add_row()
            _keep_row_together(row)
            # add_row() gives each cell its column's width.
            for cell, value, align in zip(row.cells, values, aligns, strict=True):
                state_format.set_cell_text(cell, value, size=TABLE_FONT_SIZE, align=align)
    return table


def consolidated_report_xlsx(data):
    """The figures ("Tổng hợp") and every task ("Nhiệm vụ") as an .xlsx workbook."""
    workbook = Workbook(write_only=True)
    bold = Font(name=state_format.FONT, bold=True)
    plain = Font(name=state_format.FONT)
    title_font = Font(name=state_format.FONT, bold=True, size=14)
    wrapped = Alignment(wrap_text=True, vertical="top")

    def cells_of(sheet, values, font, formats=None):
        cells = []
        for index, value in enumerate(values):
            number_format = formats.get(index) if formats else None
            cells.append(
                xlsx_cell(sheet, value, font=font, alignment=wrapped, number_format=number_format)
            )
        return cells

    summary = workbook.create_sheet("Tổng hợp")
    summary.column_dimensions["A"].width = 48
    for letter in "BCDEFGHIJKL":
        summary.column_dimensions[letter].width = 12
    summary.append(cells_of(summary, [f"Báo cáo {data.title_line}"], title_font))
    summary.append(cells_of(summary, [data.agency], plain))
    summary.append(cells_of(summary, [f"Số liệu tính đến ngày {data.as_of:%d/%m/%Y}"], plain))
    summary.append([])
    headers = ["Lĩnh vực", "Tổng số", *(label for _code, label in data.state_labels)]
    summary.append(cells_of(summary, headers, bold))
    for figures in [area.figures for area in data.areas] + [data.figures]:
        name = f"{figures.numeral}. {figures.label}" if figures.numeral else figures.label
        counts = [figures.counts.get(code, 0) for code, _label in data.state_labels]
        summary.append(cells_of(summary, [name, figures.total, *counts], plain))
    judged = data.judged_figures
    counts = [judged.counts.get(code, 0) for code, _label in data.state_labels]
    summary.append(
        cells_of(
            summary,
            [f"Nhiệm vụ đến hạn trong kỳ ({judged_window(data)})", judged.total, *counts],
            plain,
        )
    )
    summary.append([])
    summary.append(cells_of(summary, ["Đơn vị", "Báo cáo", "Số ngày"], bold))
    for line in data.on_time_units:
        summary.append(cells_of(summary, [line.unit, "Gửi đúng hạn", 0], plain))
    for line in data.late_units:
        summary.append(cells_of(summary, [line.unit, "Gửi chậm", line.days_late], plain))
    for line in data.missing_units:
        summary.append(
            cells_of(summary, [line.unit, "Chưa gửi, quá hạn", line.days_overdue], plain)
        )
    for line in data.not_due_units:
        summary.append(cells_of(summary, [line.unit, "Chưa gửi, chưa đến hạn", ""], plain))

    tasks = workbook.create_sheet("Nhiệm vụ")
    for index, (_header, chars) in enumerate(TASK_SHEET_COLUMNS):
        tasks.column_dimensions[chr(ord("A") + index)].width = chars
    tasks.freeze_panes = "A2"
    tasks.append(cells_of(tasks, [header for header, _chars in TASK_SHEET_COLUMNS], bold))
    dates = {5: "DD/MM/YYYY", 8: "DD/MM/YYYY"}
    for row in _task_rows(data, as_text=False):
        tasks.append(cells_of(tasks, row, plain, dates))

    for section in data.extra_sections:
        sheet = workbook.create_sheet(section.sheet or section.heading[:31])
        sheet.column_dimensions["A"].width = 8
        sheet.column_dimensions["B"].width = 48
        sheet.append(cells_of(sheet, [section.heading], title_font))
        for line in section.paragraphs:
            sheet.append(cells_of(sheet, [line], plain))
        if section.headers:
            sheet.append([])
            sheet.append(cells_of(sheet, section.headers, bold))
            for values in section.rows:
                sheet.append(cells_of(sheet, values, plain))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tasks_csv(data):
    """The task table as CSV text, with a byte-order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\r\n")
    writer.writerow([header for header, _chars in TASK_SHEET_COLUMNS])
    writer.writerows(_task_rows(data, as_text=True))
    return "\ufeff" + buffer.getvalue()


def _task_rows(data, *, as_text):
    area_names = {
        area.key: f"{area.numeral}. {area.title}" if area.numeral else area.title
        for area in data.areas
    }

    def day(value):
        if value is None:
            return ""
        return f"{value:%d/%m/%Y}" if as_text else value

    for task in data.tasks:
        yield [
            "" if task.number is None else task.number,
            area_names[task.area_key],
            task.content_shown,
            "; ".join(task.lead),
            task.deadline_shown,
            day(task.due_date),
            task.state_label,
            task.percent,
            day(task.done_on),
            task.outcome,
            "; ".join(task.evidence),
        ]
