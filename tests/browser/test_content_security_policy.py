"""Under the Content-Security-Policy: the charts draw, the menus open, and a refusal is caught."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partrack.plans.models import Plan

pytestmark = pytest.mark.browser


def test_the_overview_draws_its_three_charts_under_the_policy(sign_in, demo_site):
    plan = Plan.objects.get(agency__short_name="SKHCN")
    page = sign_in("lanhdao")
    page.goto(demo_site + reverse("plan_overview", args=[plan.pk]))

    expect(page.locator("figure.chart-figure:visible")).to_have_count(3)
    drawn = page.evaluate(
        "['area-chart', 'unit-chart', 'month-chart'].map((id) => Boolean(Chart.getChart(id)))"
    )
    assert drawn == [True, True, True]


def test_a_person_changes_their_password_from_the_user_menu_and_signs_in_with_it(
    sign_in, demo_site
):
    page = sign_in("phongcds")

    page.click("#user-menu")
    page.click("text=Đổi mật khẩu")
    page.fill("#id_old_password", "partrack-demo")
    page.fill("#id_new_password1", "Cải-cách-2026-mới")
    page.fill("#id_new_password2", "Cải-cách-2026-mới")
    page.click("main form button")

    expect(page.locator("h1")).to_have_text("Đã đổi mật khẩu")
    page.click("#user-menu")
    page.click("text=Đăng xuất")
    expect(page).to_have_url(re.compile("/dang-nhap/$"))
    page.fill("#id_username", "phongcds")
    page.fill("#id_password", "Cải-cách-2026-mới")
    page.click("main form button")
    expect(page.locator("#user-menu")).to_contain_text("Trần Văn Minh")


def test_a_refused_inline_script_or_style_is_caught(sign_in, demo_site, csp_violations):
    page = sign_in("phongcds")

    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = true'; document.body.append(s); }"
        )
    with page.expect_console_message(lambda m: "style-src" in m.text):
        page.evaluate("() => document.body.setAttribute('style', 'color: red')")

    assert page.evaluate("window.injected") is None
    assert any(re.search("script-src", line) for line in csp_violations)
    assert any("style-src" in line for line in csp_violations)
    csp_violations.clear()  # seen and expected: the test passes only because they were caught


def test_the_province_overview_draws_its_chart_under_the_policy(sign_in, demo_site):
    page = sign_in("sonoivu")
    page.goto(demo_site + reverse("province_overview") + "?nam=2026&ky=year")

    expect(page.locator("figure.chart-figure:visible")).to_have_count(1)
    assert page.evaluate("Boolean(Chart.getChart(document.querySelector('[data-chart] canvas')))")
    expect(page.locator("#province-overview tbody tr")).to_have_count(4)
