"""Up the chain in a browser: the office sends the report to the leader, who approves it on a
phone from "Cần làm"; the office issues it, uploads the signed PDF and sends it; Sở Nội vụ
finds it in its inbox, the office sees when it was received, and the province overview counts
the agency as reported on time."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from partrack.org.models import Agency, Unit
from partrack.plans.models import Plan, ReportingPeriod
from tests import signing
from tests.browser.conftest import PHONE, sideways_scroll

pytestmark = pytest.mark.browser


def test_approval_issue_signed_upload_receipt_at_so_noi_vu_and_the_province_overview(
    sign_in, demo_site, settings, tmp_path
):
    signing.trust_test_root(settings)
    # Signing runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(1) as pool:
        signed_pdf = pool.submit(signing.small_signed_pdf).result()
    seed = Plan.objects.get(agency__short_name="SKHCN")
    period = ReportingPeriod.objects.filter(plan=seed).current(timezone.localdate())
    # Sở Nội vụ is the province agency's office (shared design of issue 16).
    province = Agency.objects.get(pk=seed.agency.parent_id)
    Unit.objects.get_or_create(agency=province, name="Sở Nội vụ", defaults={"is_coordinator": True})
    leader = get_user_model().objects.get(username="lanhdao")
    # The deadline to Sở Nội vụ is a few days ahead: sending today is on time.
    due = max(period.unit_due, timezone.localdate()) + timedelta(days=3)
    ReportingPeriod.objects.filter(pk=period.pk).update(agency_due=due)
    report_url = f"{demo_site}/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"

    office = sign_in("vanphong")
    office.goto(report_url)
    office.check(f"#approver-{leader.pk}")
    office.fill("#id_comment", "Kính trình Phó Giám đốc duyệt.")
    office.click("#submit-button")
    assert "Đã trình lãnh đạo duyệt báo cáo." in office.inner_text("main")
    assert office.get_attribute("#workflow-status", "data-status") == "pending"

    # The leader, on a phone, finds it in "Cần làm" and approves with a big button.
    phone = sign_in("lanhdao", viewport=PHONE)
    phone.goto(f"{demo_site}/can-lam/")
    phone.get_by_role("link", name="Duyệt báo cáo tổng hợp").first.click()
    button = phone.locator("#approve-button")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE["width"] * 0.6
    assert sideways_scroll(phone) == 0
    phone.fill("#id_comment", "Đồng ý ban hành.")
    button.click()
    assert "Đã duyệt báo cáo" in phone.inner_text("main")
    assert phone.get_attribute("#workflow-status", "data-status") == "approved"

    # The office issues it with its number and date, then uploads the signed PDF.
    today = timezone.localdate().strftime("%d/%m/%Y")
    office.goto(report_url)
    office.fill("#id_symbol", "25/BC-SKHCN")
    office.fill("#id_issued_on", today)
    office.click("#issue-button")
    assert "Đã ban hành báo cáo số 25/BC-SKHCN" in office.inner_text("main")
    unsigned = tmp_path / "chua-ky.pdf"
    unsigned.write_bytes(signing.unsigned_pdf())
    office.set_input_files("#id_file", str(unsigned))
    office.click("#signed-button")
    assert "Tệp chưa được ký số" in office.inner_text("main")
    signed = tmp_path / "bao-cao-da-ky.pdf"
    signed.write_bytes(signed_pdf)
    office.set_input_files("#id_file", str(signed))
    office.click("#signed-button")
    assert "Đã nhận bản ký số" in office.inner_text("main")
    assert "Chữ ký số hợp lệ" in office.inner_text("#verification")
    assert "gửi vào Văn bản đến của Sở Nội vụ" in office.inner_text("#send")
    office.click("#send-button")
    assert "chưa nhận" in office.inner_text("#deliveries")

    # Sở Nội vụ opens it from its inbox: that is the receipt.
    desk = sign_in("sonoivu")
    desk.click("#nav-inbox")
    desk.get_by_role("link", name="Báo cáo số 25/BC-SKHCN").click()
    assert "Sở Khoa học và Công nghệ" in desk.inner_text("#inbox-item")
    assert desk.locator("#inbox-file").is_visible()

    office.reload()
    assert "đã gửi — đã nhận lúc" in office.inner_text("#deliveries")
    history = office.inner_text("#history")
    for step in ("Trình lãnh đạo duyệt", "Lãnh đạo duyệt", "Ban hành", "Gửi nơi nhận"):
        assert step in history
    assert "Nơi nhận đã nhận" in history

    # The province overview now counts the agency as having reported on time.
    desk.goto(f"{demo_site}/tong-quan-tinh/?nam={seed.year}&ky={period.kind}")
    row = desk.locator('tr.agency-row[data-agency="SKHCN"] td[data-cell="report"]')
    assert row.get_attribute("data-report") == "on_time"
    assert "Đã gửi đúng hạn" in row.inner_text()
