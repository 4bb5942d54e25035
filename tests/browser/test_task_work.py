"""In a real browser: a unit asks for more time, the office grants it from "Cần làm", and the
office confirms a task a unit reported done (issue 14)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partrack.plans.models import ExtensionRequest, Task
from tests.browser.conftest import PHONE, serious_violations, sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def office_work():
    return True


def test_a_unit_asks_for_an_extension_the_office_grants_it_and_confirms_a_done_task(
    sign_in, demo_site
):
    task_33 = Task.objects.get(plan__agency__short_name="SKHCN", number=33)
    task_35 = Task.objects.get(plan__agency__short_name="SKHCN", number=35)
    # The demo granted 33 its one extension already: the office allows one more.
    office = sign_in("vanphong")
    office.goto(demo_site + task_33.get_absolute_url())
    office.get_by_role("button", name="Cho phép đề nghị gia hạn thêm").click()
    office.wait_for_load_state()

    unit = sign_in("phongcds")
    unit.goto(demo_site + task_33.get_absolute_url())
    new_date = timezone.localdate() + timedelta(days=40)
    unit.fill("#id_to_date", f"{new_date:%d/%m/%Y}")
    unit.fill("#id_reason", "Chờ ý kiến của các sở, ngành")
    unit.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    unit.wait_for_load_state()
    assert "Đã gửi đề nghị gia hạn tới Văn phòng Sở." in unit.inner_text("main")
    assert "Đề nghị gia hạn đang chờ Văn phòng Sở xem xét." in unit.inner_text("main")

    office.goto(demo_site + "/can-lam/")
    office.get_by_role("link", name="Xem xét đề nghị gia hạn nhiệm vụ 33").click()
    office.fill("#id_extension_comment", "Đồng ý gia hạn lần hai.")
    office.get_by_role("button", name="Chấp nhận gia hạn").click()
    office.wait_for_load_state()
    shown = office.inner_text("#extension-text")
    assert f"Gia hạn từ 31/03/2026 đến {new_date:%d/%m/%Y}" in shown
    task_33.refresh_from_db()
    assert task_33.extended_to == new_date
    assert ExtensionRequest.objects.filter(task=task_33, status="granted").count() == 2

    office.goto(demo_site + "/can-lam/")
    office.get_by_role("link", name="Xác nhận hoàn thành nhiệm vụ 35").click()
    assert "Đã báo cáo hoàn thành — chờ xác nhận" in office.inner_text("#completion-claim")
    office.get_by_role("button", name="Xác nhận hoàn thành").click()
    office.wait_for_load_state()
    assert "Đã xác nhận nhiệm vụ hoàn thành." in office.inner_text("main")
    assert "Hoàn thành đúng hạn" in office.inner_text("h1")
    task_35.refresh_from_db()
    assert (task_35.status, task_35.completion) == ("done", "")
    unit.goto(demo_site + task_35.get_absolute_url())
    assert "Văn phòng xác nhận hoàn thành" in unit.inner_text("#history")


def test_the_pages_of_the_office_work_are_accessible_and_fit_a_phone(sign_in, demo_site):
    plan = Task.objects.get(plan__agency__short_name="SKHCN", number=32).plan
    tasks = {t.number: t for t in plan.tasks.filter(number__in=[32, 33, 35, 37])}
    problems = []
    for login in ("vanphong", "phongkhtc"):
        page = sign_in(login, viewport=PHONE)
        for url in [plan.get_absolute_url(), *(t.get_absolute_url() for t in tasks.values())]:
            page.goto(demo_site + url)
            problems += [f"{login} {url}: {v}" for v in serious_violations(page)]
            if (wide := sideways_scroll(page)) > 0:
                problems.append(f"{login} {url}: {wide}px sideways")
    assert problems == []
