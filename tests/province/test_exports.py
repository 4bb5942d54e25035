"""CSV and XLSX of the filtered list: streamed, every row once, formulas kept as text."""

import csv
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from partrack.plans.models import Task
from partrack.province import xlsx
from partrack.province.access import readable_tasks
from partrack.province.exports import COLUMNS

pytestmark = pytest.mark.django_db

URL = "/nhiem-vu-cac-co-quan/"
PAYLOADS = json.loads(
    (Path(__file__).parent.parent / "data" / "owasp-csv-injection.json").read_text("utf-8")
)["payloads"]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with it
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.active


@pytest.fixture
def injected(world):
    """A task per payload, in the content, deliverable and unit names as written."""
    for number, payload in enumerate(PAYLOADS, start=10):
        world.add_task(
            number=number,
            content=payload,
            deliverable=payload,
            lead_names=[payload],
            coordinating_names=[payload],
            deadline_text="Quý I/2026" if number % 2 else "Năm 2026",
        )
    return world


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_csv_export_is_streamed_with_one_row_per_task_the_filters_keep(injected):
    client = injected.client(injected.province_viewer)
    response = client.get(URL + "xuat.csv", {"state": "overdue"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert rows[0] == COLUMNS
    # An independent count: the tasks whose own state (Python's rule) is overdue.
    overdue = [t for t in Task.objects.all() if t.state(injected_today()) == "overdue"]
    assert len(rows) - 1 == len(overdue) > 0
    assert {r[COLUMNS.index("Trạng thái")] for r in rows[1:]} == {"Quá hạn"}


def injected_today():
    from datetime import date

    return date(2026, 4, 10)


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_csv_export_holds_every_readable_task_not_one_page(injected, settings):
    settings.PARTRACK_PAGE_SIZE = 5
    rows = csv_rows(injected.client(injected.province_viewer).get(URL + "xuat.csv"))
    independent = Task.objects.filter(plan__status="active", plan__year=2026).count()
    assert len(rows) - 1 == independent == len(PAYLOADS) + 2


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_csv_export_neutralises_every_formula(injected):
    rows = csv_rows(injected.client(injected.coordinator).get(URL + "xuat.csv"))
    content = COLUMNS.index("Nội dung, nhiệm vụ")
    for row in rows[1:]:
        for field in row:
            assert not field.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), field
    kept = {row[content][1:] for row in rows[1:] if row[content].startswith("'")}
    assert kept == {p for p in PAYLOADS if p.lstrip(" ").startswith(tuple("=+-@\t\r\n＝＋－＠"))}


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_xlsx_export_keeps_every_formula_as_text_with_a_quote_prefix(injected):
    response = injected.client(injected.coordinator).get(URL + "xuat.xlsx")
    assert isinstance(response, StreamingHttpResponse)
    sheet = xlsx_rows(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) - 1 == Task.objects.filter(plan=injected.plan).count()
    content = COLUMNS.index("Nội dung, nhiệm vụ")
    found = set()
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
        cell = row[content]
        if cell.value in PAYLOADS and cell.value.lstrip(" ")[:1] in "=+-@＝＋－＠":
            assert cell.quotePrefix, cell.value
            found.add(cell.value)
    assert len(found) >= 8


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_exports_send_their_first_bytes_before_reading_the_tasks(injected):
    client = injected.client(injected.province_viewer)
    for name in ("xuat.csv", "xuat.xlsx"):
        response = client.get(URL + name)
        with CaptureQueriesContext(connection) as queries:
            first = next(iter(response.streaming_content))
        assert first  # the header (CSV) or the zip's first parts (XLSX)
        assert not any("plans_task" in q["sql"] for q in queries.captured_queries), name


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_an_agency_member_exports_only_their_agency(injected):
    rows = csv_rows(injected.client(injected.lead_member).get(URL + "xuat.csv"))
    agencies = {row[0] for row in rows[1:]}
    assert agencies == {injected.agency.name}
    assert len(rows) - 1 == readable_tasks(injected.lead_member).count()


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_another_province_exports_no_row_and_a_draft_never_leaves(injected):
    from partrack.org.models import Agency, Role
    from partrack.plans.models import Plan
    from tests.conftest import make_person

    elsewhere = make_person(
        "elsewhere", Agency.objects.create(name="Tỉnh khác", short_name="K"), Role.VIEWER
    )
    for name in ("xuat.csv", "xuat.xlsx"):
        response = injected.client(elsewhere).get(URL + name)
        rows = csv_rows(response) if name.endswith("csv") else list(xlsx_rows(response).values)
        assert len(rows) == 1  # the header only
    Plan.objects.filter(pk=injected.plan.pk).update(status="draft")
    rows = csv_rows(injected.client(injected.province_viewer).get(URL + "xuat.csv"))
    assert {row[0] for row in rows[1:]} == {injected.other_agency.name}


@given(
    st.lists(
        st.one_of(
            st.text(),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.none(),
            st.dates(),
            st.booleans(),
        ),
        max_size=14,
    )
)
def test_a_row_is_written_as_each_of_its_cells_alone(values):
    """The export's fast row writer gives the same XML as the careful one-cell writer."""
    assert xlsx.row(values) == "<row>" + "".join(xlsx.cell(v) for v in values) + "</row>"
