"""Main pages: no serious or critical axe-core violation, no sideways scrolling at 390 px."""

import pytest
from django.utils import timezone

from partrack.org.models import Unit
from partrack.plans.models import Plan, ReportingPeriod, Task
from tests.browser.conftest import DESKTOP, PHONE, screenshot, serious_violations, sideways_scroll

pytestmark = pytest.mark.browser


def main_pages():
    seed = Plan.objects.get(agency__short_name="SKHCN")
    period = ReportingPeriod.objects.filter(plan=seed).current(timezone.localdate())
    unit = Unit.objects.get(agency=seed.agency, short_name="CĐS")
    task = Task.objects.get(plan=seed, number=33)
    return [
        ("overview", "lanhdao", f"/ke-hoach/{seed.pk}/tong-quan/"),
        ("plan", "vanphong", seed.get_absolute_url()),
        ("plan-search", "vanphong", seed.get_absolute_url() + "?q=luong+xanh"),
        ("task", "phongcds", task.get_absolute_url()),
        ("my-unit", "phongcds", "/don-vi-cua-toi/"),
        ("todo", "phongcds", "/can-lam/"),
        ("periods", "vanphong", f"/ke-hoach/{seed.pk}/ky-bao-cao/"),
        ("board", "vanphong", f"/ky-bao-cao/{period.pk}/"),
        ("unit-report-start", "phongcds", f"/ky-bao-cao/{period.pk}/don-vi/{unit.pk}/"),
        ("notifications", "phongcds", "/thong-bao/"),
        ("settings", "phongcds", "/cai-dat/"),
        ("import", "vanphong", "/nhap-ke-hoach/"),
        ("ranking", "lanhdao", f"/ke-hoach/{seed.pk}/xep-hang/"),
        ("ranking-weights", "vanphong", f"/ke-hoach/{seed.pk}/xep-hang/trong-so/"),
        ("consolidated", "vanphong", f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"),
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_are_accessible_and_fit_the_screen(sign_in, demo_site, viewport):
    pages = {}
    problems = []
    for name, login, path in main_pages():
        if login not in pages:
            pages[login] = sign_in(login, viewport=viewport)
        page = pages[login]
        response = page.goto(demo_site + path)
        assert response.status == 200, path
        for violation in serious_violations(page):
            problems.append(f"{name}: {violation}")
        overflow = sideways_scroll(page)
        if overflow > 0:
            problems.append(f"{name}: {overflow}px sideways scroll at {viewport['width']}px")
        suffix = "" if viewport is DESKTOP else "-phone"
        screenshot(page, f"{name}{suffix}")
    assert not problems, "\n".join(problems)


def test_the_sign_in_page_is_accessible(browser, demo_site):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{demo_site}/dang-nhap/")
    assert serious_violations(page) == []
    assert sideways_scroll(page) == 0
    screenshot(page, "sign-in-phone")
    page.close()


def test_the_public_page_is_accessible_once_the_office_publishes_it(sign_in, demo_site):
    seed = Plan.objects.get(agency__short_name="SKHCN")
    office = sign_in("vanphong")
    office.goto(f"{demo_site}/ke-hoach/{seed.pk}/tong-quan/")
    office.locator("form[action$='/cong-khai/'] button").click()
    link = office.locator("a[href*='/cong-khai/']").first.get_attribute("href")
    visitor = office.context.browser.new_page(viewport=PHONE)
    response = visitor.goto(demo_site + link if link.startswith("/") else link)
    assert response.status == 200
    assert serious_violations(visitor) == []
    assert sideways_scroll(visitor) == 0
    screenshot(visitor, "public-plan-phone")
    visitor.close()
