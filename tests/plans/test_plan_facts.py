"""The plan's own facts: read from its preamble, shown on its page, set and corrected by the
office with history; and the documents PARtrack writes never name PARtrack."""

import re
import zipfile
from datetime import date
from io import BytesIO

import pytest
import time_machine

from partrack.documents.report_docx import consolidated_report_docx
from partrack.plans.models import Plan, PlanEvent, ReportingPeriod
from partrack.reporting import assembly
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db

FACTS = {
    "symbol": "15/KH-SKHCN",
    "issued_on": "05/01/2026",
    "signer_on_behalf": "KT. GIÁM ĐỐC",
    "signer_title": "PHÓ GIÁM ĐỐC",
    "signer_name": "Nguyễn Duy Anh",
    "legal_basis": "Căn cứ Kế hoạch số 12418/KH-UBND ngày 26/12/2025 của UBND tỉnh Phú Thọ",
}


def facts_url(plan):
    return f"/ke-hoach/{plan.pk}/thong-tin/"


def text_of(docx_bytes):
    """Every XML part of a Word file as text: body, headers, properties."""
    with zipfile.ZipFile(BytesIO(docx_bytes)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def test_the_plan_page_shows_what_the_document_says_of_itself(demo):
    page = demo_client("phongcds").get(facts_url(demo)).content.decode()
    assert "/KH-SKHCN" in page
    assert "KT. GIÁM ĐỐC" in page and "Nguyễn Duy Anh" in page
    assert "trước ngày 10 của tháng cuối quý" in page
    assert "trước ngày 10/12" in page
    assert "25% số đơn vị mỗi năm" in page
    assert "Quý III/2026, Quý IV/2026" in page
    assert "Sở Nội vụ (t/hợp)" in page
    # Only the office sees the form.
    assert 'name="symbol"' not in page
    assert 'name="symbol"' in demo_client("vanphong").get(facts_url(demo)).content.decode()


@time_machine.travel("2026-02-01 09:00 +0700", tick=False)
def test_the_office_sets_the_number_date_signer_and_legal_basis_with_history(demo):
    office = demo_client("vanphong")

    response = post_form(office, facts_url(demo), FACTS)

    assert response.status_code == 302
    demo.refresh_from_db()
    assert (demo.symbol, demo.issued_on) == ("15/KH-SKHCN", date(2026, 1, 5))
    assert demo.legal_basis == FACTS["legal_basis"]
    event = demo.events.get(kind=PlanEvent.Kind.FACTS)
    assert event.author.username == "vanphong"
    assert "Số, ký hiệu: /KH-SKHCN → 15/KH-SKHCN" in event.narrative
    assert "Ngày ban hành: — → 05/01/2026" in event.narrative
    page = office.get(facts_url(demo)).content.decode()
    assert "Đã lưu thông tin kế hoạch." in page
    assert "Số, ký hiệu: /KH-SKHCN → 15/KH-SKHCN" in page
    assert "05/01/2026" in page

    # A correction is one more line of history; saving unchanged facts records nothing.
    post_form(office, facts_url(demo), {**FACTS, "symbol": "16/KH-SKHCN"})
    post_form(office, facts_url(demo), {**FACTS, "symbol": "16/KH-SKHCN"})
    lines = [e.narrative for e in demo.events.filter(kind=PlanEvent.Kind.FACTS)]
    assert lines[0] == "Số, ký hiệu: 15/KH-SKHCN → 16/KH-SKHCN" and len(lines) == 2


@time_machine.travel("2026-02-01 09:00 +0700", tick=False)
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("issued_on", "14/03/2099", "Ngày ban hành không thể sau hôm nay."),
        ("issued_on", "05/01/2020", "Kế hoạch năm 2026 ban hành trong năm 2025 hoặc 2026."),
        ("issued_on", "31/02/2026", "Ngày không hợp lệ"),
        ("symbol", "15 KH SKHCN", "Số, ký hiệu viết theo dạng"),
    ],
)
def test_bad_facts_are_refused_with_a_message_and_keep_what_was_typed(demo, field, value, message):
    office = demo_client("vanphong")
    response = post_form(office, facts_url(demo), {**FACTS, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert FACTS["legal_basis"] in page  # the rest of what was typed is still there
    assert Plan.objects.get(pk=demo.pk).symbol == "/KH-SKHCN"
    assert not demo.events.exists()


@pytest.mark.parametrize("persona", ["leader", "lead_member", "viewer", "province_viewer"])
def test_only_the_office_changes_the_facts_the_others_read_them(world, persona):
    client = world.client(getattr(world, persona))
    assert client.get(facts_url(world.plan)).status_code == 200
    response = post_form(client, facts_url(world.plan), {"symbol": "1/KH-SKHCN"})
    assert response.status_code == 403
    assert Plan.objects.get(pk=world.plan.pk).symbol == ""


def test_another_agency_gets_404_and_anonymous_is_sent_to_sign_in(world):
    outsider = world.client(world.outsider)
    assert outsider.get(facts_url(world.plan)).status_code == 404
    assert post_form(outsider, facts_url(world.plan), {"symbol": "1/KH"}).status_code == 404
    response = world.client().get(facts_url(world.plan))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_the_facts_page_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = world.client(world.coordinator)
    # The layout (5), the plan, its history page (count, rows with their authors).
    with django_assert_num_queries(7):
        assert client.get(facts_url(world.plan)).status_code == 200
    for n in range(30):
        post_form(client, facts_url(world.plan), {"symbol": f"{n + 1}/KH-SKHCN"})
    with django_assert_num_queries(8):
        assert client.get(facts_url(world.plan)).status_code == 200


def test_the_appendix_leaves_an_unknown_number_blank_and_never_names_partrack(world):
    client = world.client(world.coordinator)
    written = client.get(f"/ke-hoach/{world.plan.pk}/xuat.docx").getvalue()
    text = text_of(written)
    assert "partrack" not in text.lower()
    assert re.search(r"Số: {5,}/KH-SKHCN", text)


@time_machine.travel("2026-03-16 09:00 +0700", tick=False)
def test_the_consolidated_report_never_names_partrack_and_leaves_the_plan_number_blank(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind=ReportingPeriod.Kind.Q1)
    data = assembly.assemble(period)
    text = text_of(consolidated_report_docx(data))
    assert "partrack" not in text.lower()
    assert re.search(
        r"Kế hoạch thực hiện công tác Cải cách hành chính năm 2026 \(số {5,}/KH-SKHCN", text
    )
