"""The consolidated report's year edition has an inspection section; other periods do not."""

import io

import pytest
import time_machine
from django.core.management import call_command
from docx import Document

from partrack.documents import libreoffice
from partrack.inspections.models import InspectedUnit, UnitSubmission
from partrack.org.models import Unit
from partrack.plans.models import ReportingPeriod, Status, Task
from partrack.reporting import assembly

pytestmark = pytest.mark.django_db
HEADING = "Kết quả kiểm tra công tác cải cách hành chính năm 2026"


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(libreoffice, "program", lambda: None)


def paragraphs(path):
    return [p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs]


@time_machine.travel("2026-12-20 10:00 +07:00")
def test_build_report_for_the_year_contains_the_inspection_section(inspection_demo, tmp_path):
    plan = inspection_demo.plan
    out = tmp_path / "nam.docx"
    call_command("build_report", period="year", plan=plan.pk, out=str(out), stdout=io.StringIO())
    text = paragraphs(out)
    start = text.index(HEADING)
    # Part I comes first and part II after the section.
    assert text.index("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH") < start
    assert start < text.index("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    section = "\n".join(text[start + 1 : start + 8])
    eligible = Unit.objects.filter(agency=plan.agency, is_coordinator=False).count()
    inspected = InspectedUnit.objects.filter(inspection=inspection_demo).count()
    self_sent = UnitSubmission.objects.filter(kind="self", first_submitted_at__isnull=False)
    follow_ups = Task.objects.filter(plan=plan, area__title="Khắc phục sau kiểm tra")
    fixed = follow_ups.filter(status=Status.DONE).count()
    assert f"- Kiểm tra {inspected}/{eligible} phòng, đơn vị" in section
    assert "yêu cầu: 25% của 5 đơn vị = 1,25 → 2 đơn vị (làm tròn lên)." in section
    assert (
        f"- Tự kiểm tra: {self_sent.count()}/{eligible - inspected} đơn vị đã gửi báo cáo "
        f"({self_sent.filter(status='accepted').count()} đã được chấp nhận); "
        "chưa gửi: Bộ phận Một cửa." in section
    )
    assert (
        f"- Kiến nghị sau kiểm tra: {follow_ups.count()}, đã khắc phục {fixed}, "
        f"còn {follow_ups.count() - fixed}." in section
    )
    # The follow-up tasks are reported like every other task, under their own area.
    assert any(
        line.startswith("Khắc phục sau kiểm tra") or "Khắc phục sau kiểm tra" in line
        for line in text
    )


@time_machine.travel("2026-12-20 10:00 +07:00")
def test_a_quarter_report_has_no_inspection_section(inspection_demo):
    period = ReportingPeriod.objects.get(plan=inspection_demo.plan, kind="q3")
    data = assembly.assemble(period)
    keys = [section.key for section in data.extra_sections]
    assert "inspection" not in keys and "inspection" not in data.narrative
    year = assembly.assemble(ReportingPeriod.objects.get(plan=inspection_demo.plan, kind="year"))
    assert ("inspection", HEADING) in [(s.key, s.heading) for s in year.sections()]


@time_machine.travel("2026-12-20 10:00 +07:00")
def test_a_year_without_an_inspection_has_no_section(demo):
    year = ReportingPeriod.objects.get(plan=demo, kind="year")
    assert "inspection" not in [s.key for s in assembly.assemble(year).extra_sections]
