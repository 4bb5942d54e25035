"""The demo's 6-month consolidated report: communication, initiatives, documents and figures,
each number checked against a count the test makes itself from the raw rows."""

import io
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from docx import Document
from openpyxl import load_workbook

from partrack.activities.models import Activity, Figure, Indicator, Initiative, LegalDocument
from partrack.documents.report_docx import consolidated_report_docx, consolidated_report_xlsx
from partrack.plans.models import ReportingPeriod
from partrack.reporting import assembly

FIRST, LAST = date(2025, 12, 15), date(2026, 6, 14)  # the 6-month data window (581/BNV)
FORMS = [
    "Hội nghị",
    "Tập huấn",
    "Tọa đàm",
    "Hội thảo",
    "Bài đăng trên trang thông tin điện tử",
    "Sinh hoạt chi bộ, đoàn thể",
    "Hình thức khác",
]
FORM_CODES = ["conference", "training", "discussion", "workshop", "web_post", "meeting", "other"]


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    """The DOCX, the XLSX and the raw rows of the demo's 6-month report, made once for the
    module inside a transaction that is rolled back after it (the tests only read them)."""
    from partrack.plans.demo import load_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo()
            period = ReportingPeriod.objects.get(plan__agency__short_name="SKHCN", kind="h1")
            with time_machine.travel("2026-06-20 09:00 +07:00"):
                data = assembly.assemble(period)
            docx = Document(io.BytesIO(consolidated_report_docx(data)))
            xlsx = load_workbook(io.BytesIO(consolidated_report_xlsx(data)))
            raw = {
                "activities": list(
                    Activity.objects.values_list("date", "form", "topic", "participants")
                ),
                "initiatives": list(Initiative.objects.values_list("date", "title", "level")),
                "documents": list(LegalDocument.objects.values_list("date", "action", "kind")),
                "indicators": list(
                    Indicator.objects.order_by("order", "code").values_list(
                        "pk", "code", "target", "direction"
                    )
                ),
                "figures": dict(
                    Figure.objects.filter(period=period).values_list("indicator_id", "value")
                ),
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    return docx, xlsx, raw


def in_window(day):
    return FIRST <= day <= LAST


def table_with(document, first_header):
    tables = [t for t in document.tables if t.rows and t.rows[0].cells[0].text == "STT"]
    found = [t for t in tables if t.rows[0].cells[1].text == first_header]
    assert len(found) == 1, first_header
    return [[cell.text for cell in row.cells] for row in found[0].rows[1:]]


def paragraphs(document):
    return [p.text for p in document.paragraphs]


def test_the_communication_section_counts_the_windows_activities_by_form(report):
    document, workbook, raw = report
    inside = [row for row in raw["activities"] if in_window(row[0])]
    by_form = Counter(form for _day, form, _topic, _people in inside)
    people = sum(p or 0 for *_rest, p in inside)
    assert len(inside) < len(raw["activities"])  # the demo has one activity after the window

    rows = table_with(document, "Hình thức / nội dung")

    assert rows[: len(FORMS)] == [
        [str(n), label, str(by_form[code])]
        for n, (label, code) in enumerate(zip(FORMS, FORM_CODES, strict=True), start=1)
    ]
    assert rows[-2:] == [
        ["", "Tổng số hoạt động", str(len(inside))],
        ["", "Số lượt người tham dự", str(people)],
    ]
    sentence = next(p for p in paragraphs(document) if "hoạt động tuyên truyền" in p)
    assert f"đã tổ chức {len(inside)} hoạt động tuyên truyền" in sentence
    assert f"{by_form['web_post']} bài đăng" in sentence
    assert f"{people} lượt người tham dự" in sentence
    topics = Counter(topic for _d, _f, topic, _p in inside)
    topic_rows = rows[len(FORMS) : -2]
    assert sum(int(row[2]) for row in topic_rows) == len(inside)
    assert topic_rows[3] == [str(len(FORMS) + 4), topic_rows[3][1], str(topics["procedures"])]


def test_the_initiatives_section_lists_those_recognised_in_the_window(report):
    document, _workbook, raw = report
    inside = sorted(row for row in raw["initiatives"] if in_window(row[0]))

    rows = table_with(document, "Tên sáng kiến")

    assert [row[1] for row in rows] == [title for _d, title, _l in inside]
    assert any(f"có {len(inside)} sáng kiến được công nhận" in p for p in paragraphs(document))


def test_the_documents_section_counts_by_work_and_kind(report):
    document, _workbook, raw = report
    inside = Counter((action, kind) for day, action, kind in raw["documents"] if in_window(day))

    rows = table_with(document, "Công việc")

    for row, action in zip(rows, ["reviewed", "drafted", "issued", "disseminated"], strict=False):
        legal, administrative = inside[(action, "legal")], inside[(action, "administrative")]
        assert row[2:] == [str(legal), str(administrative), str(legal + administrative)]
    assert rows[-1][1:] == ["Tổng số", *rows[-1][2:]]
    assert rows[-1][4] == str(sum(inside.values()))


def test_the_figures_table_is_numbered_with_target_result_and_attainment(report):
    document, _workbook, raw = report

    rows = table_with(document, "Mã")

    assert len(rows) == len(raw["indicators"])
    for n, (row, (pk, code, target, direction)) in enumerate(
        zip(rows, raw["indicators"], strict=True), start=1
    ):
        value = raw["figures"].get(pk)
        assert row[0] == str(n) and row[1] == code
        assert row[5] == (
            "Chưa có số liệu" if value is None else f"{value.normalize():f}".replace(".", ",")
        )
        if target is None or value is None:
            assert row[6] == ""
        elif direction == "at_most":
            assert row[6] == ("Đạt" if value <= target else "Chưa đạt")
        else:
            percent = (value * 100 / target).quantize(Decimal("0.1"))
            met = "đạt" if value >= target else "chưa đạt"
            assert row[6] == f"{percent.normalize():f}".replace(".", ",") + f"% ({met})"


def test_the_spreadsheet_carries_the_same_sections_as_sheets(report):
    document, workbook, raw = report
    assert {"Tuyên truyền", "Sáng kiến", "Văn bản", "Chỉ tiêu"} <= set(workbook.sheetnames)
    inside = [row for row in raw["activities"] if in_window(row[0])]
    sheet = [[c for c in row] for row in workbook["Tuyên truyền"].iter_rows(values_only=True)]
    assert ["", "Tổng số hoạt động", len(inside)] in [
        ["" if c is None else c for c in row] for row in sheet
    ]
    figures = list(workbook["Chỉ tiêu"].iter_rows(values_only=True))
    codes = [row[1] for row in figures if row and isinstance(row[0], int)]
    assert codes == [code for _pk, code, _t, _d in raw["indicators"]]
