"""The whole cycle in a browser: evidence, a unit report returned then accepted, the overview."""

import pytest
from django.utils import timezone
from docx import Document

from partrack.org.models import Unit
from partrack.plans.models import Plan, ReportingPeriod, Task
from tests.browser.conftest import screenshot
from tests.files import PDF

pytestmark = pytest.mark.browser


def state_count(page, state):
    return int(page.inner_text(f'[data-state="{state}"] .fs-4'))


def test_a_unit_reports_with_evidence_and_the_office_returns_then_accepts(
    sign_in, demo_site, tmp_path
):
    seed = Plan.objects.get(agency__short_name="SKHCN")
    task = Task.objects.get(plan=seed, number=33)
    period = ReportingPeriod.objects.filter(plan=seed).current(timezone.localdate())
    unit = Unit.objects.get(agency=seed.agency, short_name="CĐS")
    report_url = f"{demo_site}/ky-bao-cao/{period.pk}/don-vi/{unit.pk}/"
    today = timezone.localdate().strftime("%d/%m/%Y")

    leader = sign_in("lanhdao")
    assert leader.url == f"{demo_site}/ke-hoach/{seed.pk}/tong-quan/"  # lands on the overview
    overdue_before = state_count(leader, "overdue")
    late_before = state_count(leader, "done_late")

    # The unit records the task done, with its document attached.
    member = sign_in("phongcds")
    member.goto(demo_site + task.get_absolute_url())
    member.select_option("#id_status", "done")
    member.fill("#id_done_on", today)
    member.fill("#id_narrative", "Ban Thường vụ Tỉnh ủy đã ban hành Nghị quyết.")
    member.fill("#id_evidence_number", "45-NQ/TU")
    member.fill("#id_evidence_date", today)
    member.fill("#id_evidence_summary", "Nghị quyết về chuyển đổi số giai đoạn 2026 - 2030")
    evidence = tmp_path / "nghi-quyet.pdf"
    evidence.write_bytes(PDF)
    member.set_input_files("#id_evidence_file", str(evidence))
    member.get_by_role("button", name="Lưu tiến độ").click()
    assert "Đã lưu tiến độ nhiệm vụ." in member.inner_text("main")
    assert "Văn bản số 45-NQ/TU" in member.inner_text("#evidence-list")
    screenshot(member, "task-with-evidence")

    # … and sends its report for the current period.
    member.goto(report_url)
    member.get_by_role("button", name="Bắt đầu lập báo cáo").click()
    member.fill(f"#id_entry-{task.report_entries.get().pk}", "Nghị quyết đã ban hành.")
    member.fill("#id_results", "Hoàn thành nhiệm vụ tham mưu Nghị quyết chuyển đổi số.")
    member.get_by_role("button", name="Gửi Văn phòng Sở").click()
    assert "Đã gửi báo cáo đến Văn phòng Sở." in member.inner_text("main")
    screenshot(member, "unit-report")

    # The office finds it waiting in its "Cần làm".
    office = sign_in("vanphong")
    assert office.url.endswith("/can-lam/")  # the office lands on its work
    waiting = f"Xem xét báo cáo {period.get_kind_display()} của {unit.name}"
    office.get_by_role("link", name=waiting).click()
    office.fill("#id_comment", "Bổ sung kết quả nhiệm vụ 35.")
    office.get_by_role("button", name="Trả lại đơn vị").click()
    assert "Đã trả lại báo cáo cho đơn vị." in office.inner_text("main")
    office.goto(f"{demo_site}/can-lam/")
    assert waiting not in office.inner_text("#todo")

    # The unit finds it on top of its "Cần làm", with the office's comment.
    member.goto(f"{demo_site}/can-lam/")
    top = member.locator("#todo li").first
    assert top.locator("a").inner_text() == (f"Sửa và gửi lại báo cáo {period.get_kind_display()}")
    assert "Bổ sung kết quả nhiệm vụ 35." in top.inner_text()
    top.locator("a").click()
    assert "Bổ sung kết quả nhiệm vụ 35." in member.inner_text("#review-comment")
    entry_35 = Task.objects.get(plan=seed, number=35).report_entries.get()
    member.fill(f"#id_entry-{entry_35.pk}", "Đã triển khai chữ ký số cho 100% công chức.")
    member.get_by_role("button", name="Gửi Văn phòng Sở").click()
    assert "Đã gửi báo cáo" in member.inner_text("main")

    office.goto(f"{demo_site}/can-lam/")
    office.get_by_role("link", name=waiting).click()
    office.get_by_role("button", name="Chấp nhận").click()
    assert "Đã chấp nhận báo cáo." in office.inner_text("main")
    office.goto(f"{demo_site}/ky-bao-cao/{period.pk}/")
    row = office.locator(f'[data-unit="{unit.pk}"]').inner_text()
    assert "Đã chấp nhận" in row
    screenshot(office, "period-board")

    # Each side was told each step in the app.
    member.goto(f"{demo_site}/thong-bao/")
    told = member.inner_text("main")
    assert "bị trả lại — chờ gửi lại" in told and "đã được chấp nhận" in told
    office.goto(f"{demo_site}/thong-bao/")
    assert f"{unit.name} đã gửi báo cáo {period} — chờ xem xét" in office.inner_text("main")

    # Leaving the consolidated report with edits not saved asks first.
    consolidated_url = f"{demo_site}/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"
    draft = office.context.new_page()
    draft.goto(consolidated_url)
    draft.click("#id_text_causes")
    draft.fill("#id_text_causes", "Nguyên nhân gõ dở.")
    with draft.expect_event("dialog") as asked:
        draft.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
    assert draft.input_value("#id_text_causes") == "Nguyên nhân gõ dở."
    draft.close()

    # The office drafts the consolidated report, edits it, and produces the files from the
    # top button: what it typed is saved first, and submitting asks nothing.
    office.goto(f"{demo_site}/ky-bao-cao/{period.pk}/")
    office.get_by_role("link", name="Báo cáo tổng hợp").click()
    office.fill("#id_text_causes", "Nguyên nhân đã được Văn phòng viết lại.")
    office.get_by_role("button", name="Lưu nội dung và xuất tệp").click()
    assert "Đã tạo phiên bản 1 của báo cáo." in office.inner_text("main")
    screenshot(office, "consolidated-report")
    with office.expect_download() as download:
        office.locator('a[data-kind="docx"]').first.click()
    saved = tmp_path / "bao-cao.docx"
    download.value.save_as(saved)
    text = "\n".join(p.text for p in Document(saved).paragraphs)
    assert "BÁO CÁO" in text and "Kết quả thực hiện công tác cải cách hành chính năm 2026" in text
    assert "Nguyên nhân đã được Văn phòng viết lại." in text

    # The leader sees the overview change: one task fewer overdue, one more done late.
    leader.reload()
    assert state_count(leader, "overdue") == overdue_before - 1
    assert state_count(leader, "done_late") == late_before + 1
    screenshot(leader, "overview")
