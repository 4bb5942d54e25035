"""The API: a person makes a token from the user menu and reads the API's docs under the policy."""

import re

import pytest
from playwright.sync_api import expect

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
