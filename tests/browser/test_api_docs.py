"""The API: a person makes a token from the user menu and reads the API's docs under the policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, serious_violations, sideways_scroll

pytestmark = pytest.mark.browser


def test_a_person_makes_a_token_and_the_api_docs_render_without_breaking_the_policy(sign_in):
    page = sign_in("phongcds")
    page.click("#user-menu")
    page.click("text=Mã truy cập API")
    page.fill("#id_name", "Hệ thống của tỉnh")
    page.click("main form button:has-text('Tạo mã')")
    secret = page.locator("#new-token").input_value()
    assert re.fullmatch(r"prt_[\w-]{40,}", secret)

    page.click("text=Tài liệu API")
    # Swagger UI draws from a 1.5 MB script: on a loaded machine that takes more than 5 s.
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".swagger-ui .opblock").count() >= 13
    # The csp_violations fixture fails the test at teardown if Swagger UI needed inline code.


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_token_and_webhook_pages_are_accessible_and_fit_the_screen(
    sign_in, demo_site, viewport
):
    problems = []
    for login, path in [("phongcds", "/tai-khoan/ma-truy-cap/"), ("vanphong", "/webhook/")]:
        page = sign_in(login, viewport=viewport)
        assert page.goto(demo_site + path).status == 200
        problems += [f"{path}: {violation}" for violation in serious_violations(page)]
        if sideways_scroll(page) > 0:
            problems.append(f"{path}: sideways scroll at {viewport['width']}px")
    assert not problems, "\n".join(problems)
