"""CSV and XLSX of a filtered task list, streamed: memory stays flat whatever the size.

Rows are read as plain tuples (`values_list(...).iterator(chunk_size=…)`, a server-side cursor
on PostgreSQL), a chunk at a time, with one more query per chunk for the chunk's lead units.
Every cell goes through partrack/spreadsheets.py, so text typed by people never runs as a
formula in the spreadsheet that opens the file.

Both are written as they are read: the first bytes leave at once (XLSX: see xlsx.py).
"""

import csv
import io
from itertools import islice

from django.db import connection

from partrack.org.models import Unit
from partrack.plans.models import State, Status, Task
from partrack.province.xlsx import stream_xlsx
from partrack.spreadsheets import FORMULA_STARTS, SafeCsvWriter

CHUNK = 2000

COLUMNS = [
    "Cơ quan",
    "Năm",
    "Lĩnh vực",
    "Số TT",
    "Nội dung, nhiệm vụ",
    "Sản phẩm",
    "Đơn vị chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Hạn hoàn thành",
    "Trạng thái",
    "Tình trạng",
    "Tiến độ (%)",
    "Ngày hoàn thành",
]
FIELDS = [
    "pk",
    "plan__agency__name",
    "plan__year",
    "area__numeral",
    "number",
    "content",
    "deliverable",
    "lead_names",
    "coordinating_names",
    "deadline_text",
    "due_date",
    "state_code",
    "status",
    "percent",
    "done_on",
]
STATE_LABELS = {state.value: str(state.label) for state in State}
STATUS_LABELS = {status.value: str(status.label) for status in Status}


def dmy(day):
    # strftime is several times slower, and runs twice a row.
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def lead_unit_names(task_ids):
    """{task id: [lead unit names]} for a chunk of tasks, in one query.

    The ids are integers from the database, written into the SQL: 2,000 bound parameters cost
    psycopg more time to place (about 0.4 s a chunk) than the query takes to run.
    """
    through = Task.lead_units.through._meta.db_table
    q = connection.ops.quote_name
    ids = ",".join(str(int(pk)) for pk in task_ids)
    sql = (
        f"SELECT t.task_id, u.name FROM {q(through)} t JOIN {q(Unit._meta.db_table)} u "
        f"ON u.id = t.unit_id WHERE t.task_id IN ({ids}) ORDER BY u.{q('order')}, u.name"
    )
    names = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for task_id, name in cursor.fetchall():
            names.setdefault(task_id, []).append(name)
    return names


def rows(tasks):
    """Each task as a list of cell values, in COLUMNS order; tasks carry `state_code`."""
    records = tasks.values_list(*FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(records, CHUNK)):
        leads = lead_unit_names(r[0] for r in chunk)
        for (
            pk, agency, year, numeral, number, content, deliverable, lead_names,
            coordinating_names, deadline_text, due_date, state, status, percent, done_on,
        ) in chunk:  # fmt: skip
            yield [
                agency,
                year,
                numeral,
                number,
                content,
                deliverable,
                "; ".join(leads.get(pk) or lead_names or []),
                "; ".join(coordinating_names or []),
                deadline_text,
                dmy(due_date),
                STATE_LABELS.get(state, ""),
                STATUS_LABELS.get(status, ""),
                percent,
                dmy(done_on),
            ]


def csv_stream(tasks):
    """The CSV's text, a chunk of rows at a time; the header (with a BOM for Excel) first.

    Fields as SafeCsvWriter writes them (partrack/spreadsheets.py: all quoted, a quote before
    text that looks like a formula), with the check made only on text: numbers cannot be one.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, doublequote=True, lineterminator="\r\n")
    SafeCsvWriter(buffer, lineterminator="\r\n").writerow(COLUMNS)
    yield "\ufeff" + _drain(buffer)
    for n, row in enumerate(rows(tasks), start=1):
        writer.writerow(
            [
                # looks_like_formula, inline: this runs for every cell of 150,000 rows.
                ("'" + value if value.lstrip(" ").startswith(FORMULA_STARTS) else value)
                if type(value) is str
                else ("" if value is None else value)
                for value in row
            ]
        )
        if n % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_stream(tasks, *, title):
    """The XLSX file's bytes, written as the rows are read (partrack/province/xlsx.py)."""
    return stream_xlsx(COLUMNS, rows(tasks), title=title)


def count_rows(csv_text):
    """Data rows in a CSV this module wrote (for checks and the benchmark)."""
    return sum(1 for _ in csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))) - 1
