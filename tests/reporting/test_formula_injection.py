"""Formula injection: what people type comes back as text in every XLSX and CSV PARtrack writes.

Each payload of OWASP's CSV-injection list (tests/data/owasp-csv-injection.json) is typed where a
person types: a unit member's progress note, a task's content, deliverable and note (from the
imported plan), a unit's name (the administrator). The files are then produced through the
pages people use, and read back with openpyxl and the csv module.
"""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from partrack.documents import libreoffice
from partrack.org.models import Unit
from partrack.plans.models import ProgressUpdate
from partrack.reporting.models import ReportFile
from tests.conftest import post_form

pytestmark = pytest.mark.django_db

PAYLOADS = json.loads(
    (Path(__file__).parent.parent / "data" / "owasp-csv-injection.json").read_text("utf-8")
)["payloads"]


def typed_in_a_form(text):
    """What a text box keeps of it: Django strips the ends, the report puts lines on one line."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


@pytest.fixture
def injected(world, monkeypatch):
    """One task per payload, led by a unit named with it; the member types it as progress."""
    monkeypatch.setattr(libreoffice, "program", lambda: None)  # no PDF needed
    tasks = []
    for number, payload in enumerate(PAYLOADS, start=10):
        unit = Unit.objects.create(agency=world.agency, name=payload, order=number)
        task = world.add_task(
            number=number,
            content=payload,
            deliverable=payload,
            note=payload,
            lead_names=[payload],
            deadline_text="Quý I/2026",
        )
        task.lead_units.set([world.lead_unit, unit])
        tasks.append(task)
    client = world.client(world.lead_member)
    with time_machine.travel("2026-03-10 09:00 +07:00"):
        for task, payload in zip(tasks, PAYLOADS, strict=True):
            response = post_form(
                client,
                f"/nhiem-vu/{task.pk}/tien-do/",
                {
                    "status": "in_progress",
                    "percent": "50",
                    "narrative": payload,
                    "done_on": "",
                    "version": str(task.version),
                },
            )
            assert response.status_code == 302
    assert ProgressUpdate.objects.count() == len(PAYLOADS)
    return tasks


def assert_no_formula_in(xlsx_bytes):
    """The sheet XML itself: a formula is an <f> element, whatever a reader makes of it."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[ >/]", package.read(name)), name


def text_cells(xlsx_bytes):
    """{text: [cells]} over every sheet, the workbook reopened as a spreadsheet program would."""
    workbook = load_workbook(io.BytesIO(xlsx_bytes))
    found = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    found.setdefault(cell.value, []).append(cell)
    return found


def assert_each_payload_is_text(cells, expected):
    for payload in expected:
        assert payload in cells, repr(payload)
        for cell in cells[payload]:
            assert cell.data_type == "s", (payload, cell.coordinate)
            # Excel's own "typed with an apostrophe": editing the cell keeps it text.
            assert cell.quotePrefix, (payload, cell.coordinate)


def produce_consolidated_report(world):
    period = world.plan.periods.get(kind="q1")
    client = world.client(world.coordinator)
    with time_machine.travel("2026-03-18 10:00 +07:00"):
        response = post_form(client, f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/xuat-tep/", {})
    assert response.status_code == 302
    files = {f.kind: f for f in ReportFile.objects.all()}

    def download(kind):
        url = f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/tep/{files[kind].pk}/"
        response = client.get(url)
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    return download("xlsx"), download("csv")


def test_the_consolidated_xlsx_holds_every_payload_as_text_never_a_formula(world, injected):
    xlsx, _csv = produce_consolidated_report(world)
    assert_no_formula_in(xlsx)
    cells = text_cells(xlsx)
    # Content and lead unit as the plan wrote them; the member's note as the report quotes it.
    assert_each_payload_is_text(cells, PAYLOADS)
    assert_each_payload_is_text(cells, [typed_in_a_form(p) for p in PAYLOADS])
    # Headers and figures are untouched: only what looks like a formula is flagged.
    assert not cells["Nhiệm vụ"][0].quotePrefix


def test_the_consolidated_csv_quotes_every_field_and_prefixes_each_payload(world, injected):
    _xlsx, raw = produce_consolidated_report(world)
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    for task, payload in zip(injected, PAYLOADS, strict=True):
        row = by_number[str(task.number)]
        assert row["Nhiệm vụ"] == "'" + payload
        assert row["Đơn vị chủ trì"] == "'" + payload
        assert row["Kết quả thực hiện"] == "'" + typed_in_a_form(payload)
        # OWASP: wrapped in double quotes, embedded double quotes doubled.
        assert "\"'" + payload.replace('"', '""') + '"' in text
    # Every field of every line is quoted, plain ones too.
    assert text.splitlines()[0].startswith('"Số TT","')
    assert f'"{world.task.number}","I. Chỉ đạo"' in text


def test_the_plan_appendix_xlsx_holds_every_payload_as_text(world, injected):
    response = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xuat.xlsx")
    assert response.status_code == 200
    xlsx = b"".join(response.streaming_content)
    assert_no_formula_in(xlsx)
    assert_each_payload_is_text(text_cells(xlsx), PAYLOADS)


def test_the_ranking_xlsx_holds_every_unit_name_and_the_title_as_text(world, injected):
    world.plan.title = PAYLOADS[0]
    world.plan.save()
    response = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xep-hang/xlsx/?ky=nam")
    assert response.status_code == 200
    xlsx = b"".join(response.streaming_content)
    assert_no_formula_in(xlsx)
    assert_each_payload_is_text(text_cells(xlsx), PAYLOADS)


def test_numbers_dates_and_plain_text_are_written_as_they_are():
    from partrack.spreadsheets import csv_field, looks_like_formula

    assert [csv_field(v) for v in (-5, 12.5, None, "Phòng CĐS", "Sở (b/c)")] == [
        "-5",
        "12.5",
        "",
        "Phòng CĐS",
        "Sở (b/c)",
    ]
    assert csv_field("- Phòng CĐS") == "'- Phòng CĐS"
    assert all(looks_like_formula(payload) for payload in PAYLOADS)
