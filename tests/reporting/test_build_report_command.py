"""`partrack build_report` writes the same consolidated report as the web page."""

import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from docx import Document

from partrack.documents import libreoffice
from partrack.plans.models import Plan, ReportingPeriod
from partrack.reporting import consolidation
from partrack.reporting.models import ConsolidatedReport
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db

DRAFTED_AT = "2026-03-18 10:00 +07:00"


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(libreoffice, "program", lambda: None)


def content_of(docx):
    """Every paragraph and every table cell, in order: the text a reader sees."""
    document = Document(io.BytesIO(docx) if isinstance(docx, bytes) else docx)
    paragraphs = [p.text for p in document.paragraphs]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    sections = [(s.orientation, s.page_width, s.left_margin) for s in document.sections]
    return paragraphs, tables, sections


def web_docx(period):
    office = demo_client("vanphong")
    response = post_form(office, f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/xuat-tep/", {})
    assert response.status_code == 302
    report = ConsolidatedReport.objects.get(period=period)
    return report.files.filter(kind="docx").first().file.read()


@time_machine.travel(DRAFTED_AT)
def test_the_command_writes_the_document_the_web_produces(demo, tmp_path):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    out = tmp_path / "bao-cao-quy-1.docx"
    stdout = io.StringIO()
    call_command("build_report", period="q1", plan=demo.pk, out=str(out), stdout=stdout)
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026" in stdout.getvalue()
    assert "36 tasks" in stdout.getvalue()
    from_command = content_of(out.read_bytes())
    assert from_command == content_of(web_docx(period))
    assert "BÁO CÁO" in from_command[0]


@time_machine.travel(DRAFTED_AT)
def test_the_command_uses_the_offices_saved_text(demo, tmp_path):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    office = get_user_model().objects.get(username="vanphong")
    report = consolidation.start_consolidated_report(period=period, by=office)
    consolidation.save_consolidated_report(
        report=report,
        narrative={"causes": "Nguyên nhân do Văn phòng viết."},
        symbol="31/BC-SKHCN",
        issued_on=None,
        by=office,
        expected_version=report.version,
    )
    out = tmp_path / "report.docx"
    call_command("build_report", period="q1", plan=demo.pk, out=str(out), stdout=io.StringIO())
    paragraphs, tables, _sections = content_of(out.read_bytes())
    assert "Nguyên nhân do Văn phòng viết." in paragraphs
    assert tables[0][1][0] == "Số: 31/BC-SKHCN"
    assert content_of(out.read_bytes()) == content_of(web_docx(period))


@time_machine.travel(DRAFTED_AT)
def test_the_plan_may_be_left_out_only_when_one_plan_is_active(demo, tmp_path):
    out = tmp_path / "report.docx"
    with pytest.raises(CommandError, match="More than one active plan.*SKHCN.*STP"):
        call_command("build_report", period="q1", out=str(out))
    # The demo's other agencies (Sở Tư pháp, the two communes) close theirs.
    Plan.objects.exclude(agency__short_name="SKHCN").update(status=Plan.Status.CLOSED)
    call_command("build_report", period="h1", out=str(out), stdout=io.StringIO())
    paragraphs, _tables, _sections = content_of(out.read_bytes())
    assert "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026" in paragraphs
    call_command("build_report", period="year", year=2026, out=str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No active plan"):
        call_command("build_report", period="q1", year=2025, out=str(out))


@time_machine.travel(DRAFTED_AT)
def test_the_command_writes_the_workbook_and_the_csv_by_their_extension(demo, tmp_path):
    call_command(
        "build_report",
        period="q3",
        plan=demo.pk,
        out=str(tmp_path / "r.xlsx"),
        stdout=io.StringIO(),
    )
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    call_command(
        "build_report", period="q3", plan=demo.pk, out=str(tmp_path / "r.csv"), stdout=io.StringIO()
    )
    text = (tmp_path / "r.csv").read_bytes().decode("utf-8")
    # Every field quoted (OWASP's rule against formula injection, see partrack/spreadsheets.py).
    assert text.startswith('\ufeff"Số TT","Lĩnh vực","Nhiệm vụ"')
    assert len(text.strip().splitlines()) >= 37
    with pytest.raises(CommandError, match=r"\.docx, \.xlsx or \.csv"):
        call_command("build_report", period="q1", plan=demo.pk, out=str(tmp_path / "r.pdf"))
    with pytest.raises(CommandError, match="no plan 9999"):
        call_command("build_report", period="q1", plan=9999, out=str(tmp_path / "r.docx"))
