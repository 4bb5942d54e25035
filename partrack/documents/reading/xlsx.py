"""The blocks of an XLSX: each worksheet as one table of rows of cells.

openpyxl's read-only mode knows nothing of merged cells, so the workbook is opened in normal
mode, which makes an object for every cell of every merged range: a hostile file can declare one
range over the whole sheet in a few bytes, so merged ranges are measured in the XML first.
"""

import re
import zipfile
from datetime import date, datetime, time
from io import BytesIO

import openpyxl

from partrack.documents.errors import ZIP_BOMB, DocumentError

from .table import Cell

_MOST_ROWS = 5000
_MOST_COLUMNS = 50
_MOST_MERGED_CELLS = 100_000
_MERGE_REF = re.compile(
    rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\""
)


def read_xlsx(data):
    """One table (a list of rows of ``Cell``) per worksheet, in workbook order."""
    _check_merged_ranges(data)
    workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    try:
        return [_sheet_rows(sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _check_merged_ranges(data):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                merged = sum(
                    (int(last_row) - int(first_row) + 1) * (_column(last) - _column(first) + 1)
                    for first, first_row, last, last_row in _MERGE_REF.findall(archive.read(name))
                )
                if merged > _MOST_MERGED_CELLS:
                    raise DocumentError(ZIP_BOMB)


def _column(letters):
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_rows(sheet):
    last_row = min(sheet.max_row, _MOST_ROWS)
    last_column = min(sheet.max_column, _MOST_COLUMNS)
    covered = _covered_cells(sheet, last_row, last_column)
    rows = []
    values = sheet.iter_rows(max_row=last_row, max_col=last_column, values_only=True)
    for row_number, row_values in enumerate(values, start=1):
        row = []
        for column_number, value in enumerate(row_values, start=1):
            origin, direction = covered.get((row_number, column_number), (None, None))
            if direction == "above":
                row.append(Cell(_text(sheet.cell(*origin).value), from_above=True))
            elif direction == "left":
                row.append(Cell(from_left=True))
            else:
                row.append(Cell(_text(value)))
        rows.append(row)
    return rows


def _covered_cells(sheet, last_row, last_column):
    """(row, column) -> (the merged range's first cell, "above" or "left") for covered cells."""
    covered = {}
    for merged in sheet.merged_cells.ranges:
        origin = (merged.min_row, merged.min_col)
        for row in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for column in range(merged.min_col, min(merged.max_col, last_column) + 1):
                if (row, column) != origin:
                    covered[row, column] = (origin, "left" if column > merged.min_col else "above")
    return covered


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time():
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n")
