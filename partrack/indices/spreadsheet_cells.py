"""The one door every value PARtrack's index files write into a spreadsheet cell goes through.

A text starting with "=", "+", "-", "@" (or a tab or carriage return) would be run as a formula
by Excel or LibreOffice when a person opens the file (formula injection); such a text is written
with a leading apostrophe, which the spreadsheet shows as plain text. Numbers and dates pass as
they are. When the project's shared rule lands, this function is the single place to point at it.
"""

from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
