"""Writing a plan's appendix (its task table) as a Word file in the state format and as Excel.

Both files use the column headers the readers recognise, so a written appendix reads back
into the same plan.
"""

from io import BytesIO
from typing import NamedTuple

from django.utils.functional import Promise
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import state_format


class Column(NamedTuple):
    header: str
    word_mm: int  # relative width in Word, from the issued seed plan's table
    excel_chars: int
    centred: bool = False


COLUMNS = (
    Column("Số TT", 12, 6, centred=True),
    Column("Nội dung /Nhiệm vụ", 95, 60),
    Column("Sản phẩm", 40, 28),
    Column("Cơ quan chủ trì", 38, 26),
    Column("Cơ quan phối hợp", 38, 26),
    Column("Thời gian hoàn thành", 30, 18, centred=True),
    Column("Ghi chú", 14, 14),
)
TABLE_FONT_SIZE = Pt(12)


def appendix_docx(plan, *, parent_body="", agency_upper="", place=""):
    """The appendix as a .docx: national header, 'PHỤ LỤC' heading and the task table."""
    agency_upper = agency_upper or plan.agency.upper()
    doc = state_format.new_document()
    section = doc.sections[0]
    # The whole appendix is landscape, so the wide table starts under its heading instead of
    # leaving the heading alone on a portrait page.
    state_format.set_landscape(section)
    state_format.page_numbers_from_second_page(section)

    state_format.add_national_header(
        doc,
        parent_body=parent_body or plan.parent_body,
        agency=agency_upper,
        symbol=plan.symbol,
        place=place or plan.place,
        issued_on=plan.issued_on,
        year=plan.year,
    )
    state_format.add_title(doc, "PHỤ LỤC", appendix_title(plan, agency_upper))
    reference = doc.add_paragraph()
    reference.paragraph_format.space_after = Pt(6)
    reference.alignment = state_format.CENTER
    reference.add_run(_reference_line(plan)).italic = True
    _add_task_table(doc, plan)

    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def appendix_xlsx(plan):
    """The appendix as a one-sheet .xlsx: title row, header row, then area and task rows."""
    columns = _columns(plan)
    last_column = get_column_letter(len(columns))
    # Write-only mode streams rows to the file instead of keeping a cell grid in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phụ lục")
    # Widths and frozen panes are written before the first row, so they are set first.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.excel_chars
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"

    bold = Font(name=state_format.FONT, bold=True)
    plain = Font(name=state_format.FONT)
    wrapped = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, vertical="top", horizontal="center")
    alignments = [centred if column.centred else wrapped for column in columns]

    def append(values, font):
        cells = []
        # Area rows fill only two columns: zip stops at their last value.
        for value, alignment in zip(values, alignments, strict=False):
            cell = WriteOnlyCell(sheet, value=None if value == "" else value)
            cell.font, cell.alignment = font, alignment
            cells.append(cell)
        sheet.append(cells)

    title = WriteOnlyCell(sheet, value=appendix_title(plan, plan.agency.upper()))
    title.font = Font(name=state_format.FONT, bold=True, size=14)
    sheet.append([title])
    append([column.header for column in columns], bold)
    last_row = 2
    for area in plan.areas:
        if area.numeral or area.title:
            append([area.numeral, area.title], bold)
            last_row += 1
        for task in area.tasks:
            append(_task_values(task, columns, ";\n"), plain)
            last_row += 1
    sheet.auto_filter.ref = f"A2:{last_column}{last_row}"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def appendix_title(plan, agency_upper):
    year = f" NĂM {plan.year}" if plan.year else ""
    return f"CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH CỦA {agency_upper}{year}"


def _reference_line(plan):
    blank = state_format.BLANK
    issued = (
        plan.issued_on.strftime("%d/%m/%Y")
        if plan.issued_on
        else f"{blank}/{blank}/{plan.year or ''}"
    )
    issuer = f" của {plan.agency}" if plan.agency else ""
    symbol = state_format.fillable_symbol(plan.symbol)
    return f"(Kèm theo Kế hoạch số {symbol} ngày {issued}{issuer})"


def _columns(plan):
    """The standard columns, then one per header of the columns we do not model."""
    extra_headers = dict.fromkeys(key for task in plan.tasks for key in task.extra)
    return [*COLUMNS, *(Column(header, 25, 20) for header in extra_headers)]


def _task_values(task, columns, name_separator):
    """A task's cells in column order, unit names joined by `name_separator`."""
    return [
        "" if task.number is None else task.number,
        task.content,
        task.deliverable,
        name_separator.join(task.lead),
        name_separator.join(task.coordinators),
        task.deadline_text,
        task.note,
        *(task.extra.get(column.header, "") for column in columns[len(COLUMNS) :]),
    ]


def _add_task_table(doc, plan):
    columns = _columns(plan)
    table = doc.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = state_format.usable_width(doc.sections[-1])
    total_mm = sum(column.word_mm for column in columns)
    for table_column, column in zip(table.columns, columns, strict=True):
        table_column.width = int(width * column.word_mm / total_mm)
    aligns = [state_format.CENTER if column.centred else None for column in columns]

    def write_row(values):
        cells = table.add_row().cells
        for cell, value, align in zip(cells, values, aligns, strict=True):
            state_format.set_cell_text(cell, str(value), size=TABLE_FONT_SIZE, align=align)

    header_row = table.add_row()
    state_format.repeat_table_header(header_row)
    for cell, column in zip(header_row.cells, columns, strict=True):
        state_format.set_cell_text(
            cell, column.header, bold=True, size=TABLE_FONT_SIZE, align=state_format.CENTER
        )

    for area in plan.areas:
        if area.numeral or area.title:
            cells = table.add_row().cells
            state_format.set_cell_text(
                cells[0], area.numeral, bold=True, size=TABLE_FONT_SIZE, align=state_format.CENTER
            )
            title = cells[1].merge(cells[-1])
            state_format.set_cell_text(title, area.title, bold=True, size=TABLE_FONT_SIZE)
        for task in area.tasks:
            # One name per line: Word has no list cell, and the reader splits on line breaks.
            write_row(_task_values(task, columns, "\n"))


def safe_cell(sheet, value):
    """A write-only cell for `value` whose text is never taken for a formula.

    openpyxl stores a string starting with "=" as a formula: a title typed by a person
    ("=HYPERLINK(…)") would run in the reader's Excel. Every cell PARtrack writes comes here.
    """
    if isinstance(value, Promise):
        value = str(value)  # a lazily translated label
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell
