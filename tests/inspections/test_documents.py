"""The five documents: the Decree 30 layout, figures against an independent count, versions."""

import hashlib
import io
import re

import pytest
import time_machine
from docx import Document
from docx.shared import Pt

from partrack.inspections.models import InspectedUnit, InspectionFile, MinutesItem, UnitSubmission
from partrack.org.models import Unit
from partrack.plans.models import Status, Task
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db
LATER = "2026-11-02 10:00 +07:00"


def produce(inspection, kind, unit=None):
    """Produce a document as the office does; (bytes served for download, its record)."""
    office = demo_client("vanphong")
    data = {"kind": kind, **({"unit": unit.pk} if unit else {})}
    assert post_form(office, f"/kiem-tra/{inspection.pk}/tep/", data).status_code == 302
    record = InspectionFile.objects.filter(kind=kind).order_by("-pk").first()
    response = office.get(record.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content), record


def text_of(document):
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(paragraphs + cells)


def assert_decree_layout(document, symbol_end, title, summary_start):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    header = document.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs] == [
        "UBND TỈNH PHÚ THỌ",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    ]
    assert [p.text for p in header.cell(0, 1).paragraphs] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    assert header.cell(1, 0).text.startswith("Số:")
    assert header.cell(1, 0).text.endswith(symbol_end)
    assert header.cell(1, 1).text.startswith("Phú Thọ, ngày")
    assert header.cell(1, 1).paragraphs[0].runs[0].italic
    heading, summary = [p for p in document.paragraphs if p.text][:2]
    assert heading.text == title and heading.runs[0].bold
    assert summary.text.startswith(summary_start) and summary.runs[0].bold
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            assert run.font.size is None or run.font.size >= Pt(13), paragraph.text
    for table in document.tables[1:]:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.size is None or Pt(11) <= run.font.size <= Pt(14)


@time_machine.travel(LATER)
def test_the_inspection_plan_lists_the_share_the_units_the_contents_and_the_team(inspection_demo):
    content, record = produce(inspection_demo, "plan")
    document = Document(io.BytesIO(content))
    assert_decree_layout(document, "98/KH-SKHCN", "KẾ HOẠCH", "Kiểm tra công tác cải cách hành")
    text = text_of(document)
    eligible = Unit.objects.filter(agency=inspection_demo.plan.agency, is_coordinator=False)
    chosen = InspectedUnit.objects.filter(inspection=inspection_demo)
    assert f"Kiểm tra {chosen.count()}/{eligible.count()} phòng" in text
    assert "25% của 5 đơn vị = 1,25 → 2 đơn vị (làm tròn lên)" in text
    for unit in chosen:
        assert unit.unit.name in text and f"{unit.visit_on:%d/%m/%Y}" in text
    assert "Quý III, IV năm 2026." in text
    for content_line in inspection_demo.contents:
        assert content_line[1:] in text
    assert "Nguyễn Duy Anh" in text and "Trưởng đoàn" in text
    assert "trước ngày 31/10/2026" in text
    assert "KT. GIÁM ĐỐC" in text and "Nơi nhận:" in text
    # Kept as served: a second version leaves the first byte for byte.
    again, second = produce(inspection_demo, "plan")
    assert second.version == record.version + 1
    first_again = demo_client("vanphong").get(record.get_absolute_url())
    assert b"".join(first_again.streaming_content) == content
    assert hashlib.sha256(content).hexdigest() == record.sha256
    assert first_again["ETag"] == f'"{record.sha256}"'


@time_machine.travel(LATER)
def test_the_decision_names_the_team_and_the_units(inspection_demo):
    content, _record = produce(inspection_demo, "decision")
    document = Document(io.BytesIO(content))
    assert_decree_layout(document, "102/QĐ-SKHCN", "QUYẾT ĐỊNH", "Về việc thành lập Đoàn")
    text = text_of(document)
    team = inspection_demo.team.count()
    assert len(re.findall(r"^\d\. Ông \(bà\)", text, re.M)) == team == 2
    assert "Căn cứ Kế hoạch số 98/KH-SKHCN ngày 20/06/2026;" in text
    assert "kiểm tra 2 đơn vị (Phòng Kế hoạch Tài chính, Phòng Chuyển đổi số)" in text


@time_machine.travel(LATER)
def test_the_minutes_print_each_content_with_its_rating_and_their_count(inspection_demo):
    inspected = InspectedUnit.objects.get(inspection=inspection_demo, unit__short_name="KHTC")
    content, record = produce(inspection_demo, "minutes", inspected.unit)
    assert record.inspected_unit == inspected
    document = Document(io.BytesIO(content))
    assert_decree_layout(document, "/BB-ĐKT", "BIÊN BẢN", "Kiểm tra công tác cải cách hành")
    table = next(t for t in document.tables if t.cell(0, 1).text == "Nội dung kiểm tra")
    items = MinutesItem.objects.filter(inspected_unit=inspected).order_by("position")
    assert [row.cells[1].text for row in table.rows[1:]] == [i.content for i in items]
    assert [row.cells[4].text for row in table.rows[1:]] == [i.get_rating_display() for i in items]
    counts = {r: items.filter(rating=r).count() for r in ("passed", "failed", "not_applicable")}
    text = text_of(document)
    assert (
        f"Tổng hợp: {items.count()} nội dung, trong đó đạt {counts['passed']}, chưa đạt "
        f"{counts['failed']}, không áp dụng {counts['not_applicable']}." in text
    )
    assert "TRƯỞNG ĐOÀN KIỂM TRA" in text and "Nguyễn Duy Anh" in text
    assert "Hôm nay, ngày 12/08/2026, tại Trụ sở Phòng Kế hoạch Tài chính" in text


@time_machine.travel(LATER)
def test_the_conclusion_notice_carries_the_findings_and_each_recommendation(inspection_demo):
    inspected = InspectedUnit.objects.get(inspection=inspection_demo, unit__short_name="KHTC")
    content, _record = produce(inspection_demo, "conclusion", inspected.unit)
    document = Document(io.BytesIO(content))
    assert_decree_layout(document, "110/TB-SKHCN", "THÔNG BÁO", "Kết luận kiểm tra công tác")
    text = text_of(document)
    assert inspected.findings in text
    recommendations = inspected.recommendations.all()
    assert recommendations.count() == 2
    for n, item in enumerate(recommendations, start=1):
        assert (
            f"3.{n}. {item.text} (đơn vị thực hiện: Phòng Kế hoạch Tài chính; hạn khắc "
            f"phục: {item.due_date:%d/%m/%Y})." in text
        )


@time_machine.travel(LATER)
def test_the_results_report_agrees_with_a_count_of_minutes_reports_and_tasks(inspection_demo):
    content, _record = produce(inspection_demo, "results")
    document = Document(io.BytesIO(content))
    assert_decree_layout(document, "/BC-SKHCN", "BÁO CÁO", "Kết quả kiểm tra công tác cải cách")
    text = text_of(document)
    # Independent counts, straight from the tables.
    eligible = Unit.objects.filter(agency=inspection_demo.plan.agency, is_coordinator=False)
    inspected = InspectedUnit.objects.filter(inspection=inspection_demo)
    self_units = eligible.exclude(pk__in=inspected.values("unit_id"))
    sent = UnitSubmission.objects.filter(
        inspection=inspection_demo, kind="self", first_submitted_at__isnull=False
    )
    accepted = sent.filter(status="accepted")
    follow_ups = Task.objects.filter(
        plan=inspection_demo.plan, area__title="Khắc phục sau kiểm tra"
    )
    fixed = follow_ups.filter(status=Status.DONE).count()
    assert (self_units.count(), sent.count(), accepted.count()) == (3, 2, 1)
    assert (follow_ups.count(), fixed) == (2, 1)
    assert f"Đoàn kiểm tra đã kiểm tra {inspected.count()}/{eligible.count()} phòng" in text
    assert (
        f"{sent.count()}/{self_units.count()} đơn vị đã gửi báo cáo tự kiểm tra "
        f"({accepted.count()} báo cáo đã được Văn phòng Sở chấp nhận)." in text
    )
    assert (
        f"Có {follow_ups.count()} kiến nghị sau kiểm tra, đã khắc phục {fixed}, còn "
        f"{follow_ups.count() - fixed}." in text
    )
    table = next(t for t in document.tables if t.cell(0, 2).text == "Ngày kiểm tra")
    for row in table.rows[1:]:
        unit = inspected.get(unit__name=row.cells[1].text)
        items = MinutesItem.objects.filter(inspected_unit=unit)
        assert [c.text for c in row.cells[3:]] == [
            str(items.filter(rating="passed").count()),
            str(items.filter(rating="failed").count()),
            str(items.filter(rating="not_applicable").count()),
            str(follow_ups.filter(inspection_recommendation__inspected_unit=unit).count()),
            str(
                follow_ups.filter(
                    inspection_recommendation__inspected_unit=unit, status=Status.DONE
                ).count()
            ),
        ]
    missing = self_units.exclude(pk__in=sent.values("unit_id"))
    self_table = next(t for t in document.tables if t.cell(0, 2).text == "Tình trạng")
    statuses = {row.cells[1].text: row.cells[2].text for row in self_table.rows[1:]}
    assert {statuses[u.name] for u in missing} == {"Chưa lập"}
