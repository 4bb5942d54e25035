"""The figures sheet PARtrack gives out for a period, and reading it back after a unit fills it.

Layout (fixed, so that a wrong file is recognised): the period's key in B4, the header row 6,
one indicator per row from row 7 with its code in column A and the value in column D.
A sheet that is not this layout, or a text in a number cell, is refused with the cell named.
"""

import re
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, Protection

from partrack.documents.state_format import FONT
from partrack.spreadsheets import xlsx_cell

KEY_CELL = "B4"
HEADER_ROW = 6
FIRST_ROW = 7
HEADERS = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Số liệu kỳ này", "Chỉ tiêu", "Ghi chú"]
WIDTHS = [14, 60, 14, 16, 12, 40]
MAX_ROWS = 500
MAX_ERRORS = 20
LARGEST = Decimal("999999999999")  # what a Figure holds (14 digits, 2 after the point)
NUMBER = re.compile(r"^\d+([.,]\d+)?$")


class SheetRefused(Exception):
    """The file cannot be read as the period's figures sheet: `errors` name the cells."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


def period_key(period):
    return f"KY-{period.pk}"


def template_xlsx(period, indicators, agency_name):
    """The sheet to fill: the indicators given (a unit's own, or all for the office)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("So lieu")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(name=FONT, bold=True)
    plain = Font(name=FONT)

    def row(values, font=plain):
        cells = []
        for value in values:
            cell = xlsx_cell(sheet, value, font=font)
            cells.append(cell)
        sheet.append(cells)

    row([f"SỐ LIỆU CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH {str(period).upper()}"], bold)
    row([agency_name])
    row([f"Số liệu từ ngày {period.starts_on:%d/%m/%Y} đến ngày {period.ends_on:%d/%m/%Y}"])
    row(["Mã kỳ báo cáo (không sửa)", period_key(period)])
    row(["Chỉ điền cột D (số, không chữ) và cột G nếu cần; không thêm, bớt hay đổi cột."])
    row(HEADERS, bold)
    for indicator, figure in indicators:
        value = None if figure is None else figure.value
        note = "" if figure is None else figure.note
        target = "" if indicator.target is None else indicator.target
        cells = []
        for column, item in enumerate(
            [indicator.code, indicator.name, indicator.measure, value, target, note]
        ):
            cell = xlsx_cell(sheet, item, font=plain)
            if column in (3, 5):
                cell.protection = Protection(locked=False)
            cells.append(cell)
        sheet.append(cells)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_sheet(upload, period, indicators_by_code, writable_unit_ids):
    """[{"indicator": id, "value": "12.5", "note": ""}] from a filled sheet; SheetRefused."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetRefused([_("Tệp không đọc được như một bảng tính Excel (.xlsx).")]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows(min_row=1, max_row=FIRST_ROW + MAX_ROWS, values_only=True))
    finally:
        workbook.close()

    def cell(row_number, column):
        row = rows[row_number - 1] if row_number <= len(rows) else ()
        return row[column] if column < len(row) else None

    errors = []
    for column, header in enumerate(HEADERS):
        found = cell(HEADER_ROW, column)
        if (str(found).strip() if found is not None else "") != header:
            errors.append(
                _('Ô %(cell)s: cần tiêu đề "%(want)s" (tệp ghi "%(found)s") — tệp không đúng mẫu.')
                % {
                    "cell": f"{chr(ord('A') + column)}{HEADER_ROW}",
                    "want": header,
                    "found": "" if found is None else found,
                }
            )
    if errors:
        raise SheetRefused(errors)
    if str(cell(4, 1) or "").strip() != period_key(period):
        raise SheetRefused(
            [
                _("Ô %(cell)s: tệp mẫu này không phải của kỳ %(period)s; hãy tải mẫu của kỳ này.")
                % {"cell": KEY_CELL, "period": period}
            ]
        )
    read, seen = [], set()
    for number in range(FIRST_ROW, len(rows) + 1):
        code, value, note = cell(number, 0), cell(number, 3), cell(number, 5)
        if code is None and value is None:
            continue
        code = str(code or "").strip()
        indicator = indicators_by_code.get(code)
        if indicator is None:
            errors.append(
                _('Ô A%(row)s: không có chỉ tiêu mã "%(code)s" trong kế hoạch.')
                % {"row": number, "code": code}
            )
            continue
        if code in seen:
            errors.append(
                _("Ô A%(row)s: chỉ tiêu %(code)s lặp lại.") % {"row": number, "code": code}
            )
            continue
        seen.add(code)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if indicator.unit_id not in writable_unit_ids:
            errors.append(
                _("Ô A%(row)s: chỉ tiêu %(code)s do %(unit)s nhập, không phải đơn vị của bạn.")
                % {"row": number, "code": code, "unit": indicator.unit.name}
            )
            continue
        amount = to_number(value)
        if amount is None:
            errors.append(
                _('Ô D%(row)s: "%(value)s" không phải là số.') % {"row": number, "value": value}
            )
            continue
        if amount < 0:
            errors.append(_("Ô D%(row)s: số liệu không được âm.") % {"row": number})
            continue
        if amount > LARGEST:
            errors.append(_("Ô D%(row)s: số quá lớn.") % {"row": number})
            continue
        read.append(
            {"indicator": indicator.pk, "value": str(amount), "note": str(note or "")[:500]}
        )
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise SheetRefused(errors[:MAX_ERRORS])
    if not read:
        raise SheetRefused([_("Tệp không có số liệu nào ở cột D.")])
    return read


def to_number(value):
    """A Decimal of a number cell (or a text that is only a number, "12,5"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:  # nan, inf
            return None
    if isinstance(value, str) and NUMBER.match(value.strip()):
        try:
            return Decimal(value.strip().replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            return None
    return None
