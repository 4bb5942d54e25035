"""An inspection from plan to conclusion in a browser, ending in the unit's "Cần làm"."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from partrack.org.models import Unit
from partrack.plans.models import Plan
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser


def test_the_office_runs_an_inspection_and_the_follow_up_reaches_the_unit(sign_in, demo_site):
    seed = Plan.objects.get(agency__short_name="SKHCN")
    unit = Unit.objects.get(agency=seed.agency, short_name="CĐS")
    today = timezone.localdate()
    # The visit falls in the plan year's Quý III–IV whatever day the test runs on.
    visit = max(date(seed.year, 7, 1), min(today, date(seed.year, 12, 31)))

    office = sign_in("vanphong")
    office.goto(f"{demo_site}/ke-hoach/{seed.pk}/tong-quan/")
    # The overview's card arrives through htmx and offers to start the inspection.
    office.locator("#inspection-card").get_by_role("link", name="Lập kế hoạch kiểm tra").click()
    office.get_by_role("button", name="Lập kế hoạch kiểm tra").click()
    assert "25% của 5 đơn vị = 1,25 → 2 đơn vị (làm tròn lên)" in office.inner_text("#coverage")

    # The proposal is ticked already: two units not inspected before.
    office.get_by_role("link", name="Chọn đơn vị").click()
    assert office.locator("#proposals input:checked").count() == 2
    office.get_by_role("button", name="Lưu danh sách").click()
    office.get_by_role("link", name="Đoàn kiểm tra").click()
    office.get_by_label("Nguyễn Duy Anh (Phó Giám đốc Sở)").first.check()
    office.get_by_label("Nguyễn Thị Hoa (Chuyên viên Văn phòng Sở)").first.check()
    office.select_option("#id_leader", label="Nguyễn Duy Anh (Phó Giám đốc Sở)")
    office.get_by_role("button", name="Lưu đoàn kiểm tra").click()
    assert "Nguyễn Duy Anh (Trưởng đoàn)" in office.inner_text("#team")
    office.fill("#id_symbol", "98/KH-SKHCN")
    office.fill("#id_issued_on", today.strftime("%d/%m/%Y"))
    office.click("#issue")
    assert "Đã ban hành kế hoạch kiểm tra." in office.inner_text("main")

    # Schedule the unit and put the office's person on its minutes.
    office.locator("#inspected-units").get_by_role("link", name=unit.name).click()
    office.locator("summary", has_text="Lịch kiểm tra và phân công").click()
    office.fill("#id_visit_on", visit.strftime("%d/%m/%Y"))
    office.fill("#id_place", "Phòng họp tầng 2")
    office.get_by_label("Nguyễn Thị Hoa (Chuyên viên Văn phòng Sở)").check()
    office.get_by_role("button", name="Lưu lịch").click()
    office.get_by_role("link", name="Ghi biên bản").click()
    for n in range(6):
        office.fill(f"#found-{n}", "Đầy đủ hồ sơ")
        office.select_option(f"#rating-{n}", "failed" if n == 4 else "passed")
    office.click("#save-minutes")
    assert "Đã lưu biên bản kiểm tra." in office.inner_text("main")

    leader = sign_in("lanhdao")
    leader.goto(office.url)
    leader.click("#sign")
    assert "Trưởng đoàn đã ký biên bản." in leader.inner_text("main")

    office.reload()
    office.fill("#id_findings", "Phòng thực hiện tốt; còn hạn chế về hiện đại hóa.")
    office.click("#conclude")
    office.fill("#id_text", "Số hóa hồ sơ lưu trữ của phòng")
    office.fill("#id_due_date", (today + timedelta(days=10)).strftime("%d/%m/%Y"))
    office.click("#add-recommendation")
    assert "Đã giao nhiệm vụ khắc phục số 37" in office.inner_text("main")
    assert "Số hóa hồ sơ lưu trữ của phòng" in office.inner_text("#recommendations")
    assert serious_violations(office) == []
    office.get_by_role("link", name=f"Kiểm tra CCHC {seed.year}").click()
    assert "0/1" in office.inner_text("#fixed")
    assert serious_violations(office) == []

    # The unit finds the follow-up task in its "Cần làm".
    member = sign_in("phongcds")
    member.goto(f"{demo_site}/can-lam/")
    member.get_by_role("link", name="37. Số hóa hồ sơ lưu trữ của phòng").click()
    assert "Khắc phục sau kiểm tra" in member.inner_text("main")
