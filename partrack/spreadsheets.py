"""Cells PARtrack writes to Excel and CSV files, safe from formula injection.

Text typed by people (a progress note, a task's content, a unit's name) ends up in the XLSX and
CSV files the office sends on. A spreadsheet program runs a cell starting with "=" (and, in CSV,
"+", "-", "@", a tab or a carriage return) as a formula: `=HYPERLINK("http://…"&C2, "…")` would
leak the sheet, `=cmd|' /C calc'!A0` runs a program. Every writer goes through this module:

- XLSX: a text cell is stored as a string (openpyxl would store a leading "=" as a formula) and,
  when it looks like a formula, flagged with Excel's own "quote prefix", so that editing the cell
  later does not turn it into one either. The text itself is unchanged.
- CSV (OWASP, "CSV Injection"): every field is wrapped in double quotes, embedded double quotes
  are doubled, and a field that looks like a formula gets a leading single quote.
"""

import csv

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell

# The characters a spreadsheet takes as the start of a formula (OWASP), and their full-width
# forms, which an input method for Vietnamese or East Asian text may type instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def looks_like_formula(value):
    """Whether a spreadsheet could take the value, as text, for a formula."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS)


def as_text(cell):
    """Keep a text cell text: never a formula, whatever it starts with. Returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    return cell


def xlsx_cell(sheet, value, *, font=None, alignment=None, number_format=None):
    """A cell for `sheet.append`, in write-only or normal worksheets alike; "" is left empty."""
    if isinstance(value, Promise):
        value = str(value)  # a lazily translated label
    cell = WriteOnlyCell(sheet, value=None if value == "" else value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return as_text(cell)


def csv_field(value):
    """A CSV field as text, with a single quote before anything a spreadsheet would run."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if looks_like_formula(value) else text


class SafeCsvWriter:
    """csv.writer that quotes every field and neutralises the ones that look like formulas."""

    def __init__(self, buffer, **options):
        self._writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, doublequote=True, **options)

    def writerow(self, row):
        return self._writer.writerow([csv_field(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
