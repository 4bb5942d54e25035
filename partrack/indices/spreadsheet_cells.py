"""Values the index's CSV files write, through the project's formula-injection rule.

XLSX cells go through `partrack.spreadsheets.xlsx_cell`; a CSV value comes here so that numbers
and dates pass as they are and text follows `partrack.spreadsheets.csv_field`.
"""

from datetime import date, datetime
from decimal import Decimal

from partrack.spreadsheets import csv_field


def safe_cell(value):
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    return csv_field(value)
