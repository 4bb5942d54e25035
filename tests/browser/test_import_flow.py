"""Importing an issued plan in a real browser: upload, review and fix a row, confirm once."""

import pytest

from partrack.plans.models import Plan
from tests.browser.conftest import PHONE, screenshot, sideways_scroll
from tests.documents.reading_support import seed_path

pytestmark = pytest.mark.browser


def test_the_office_uploads_the_plan_fixes_a_row_and_confirms_it(sign_in, demo_site):
    before = Plan.objects.count()
    page = sign_in("vanphong")
    page.goto(f"{demo_site}/nhap-ke-hoach/")
    page.set_input_files("input[type=file]", str(seed_path("docx")))
    page.get_by_role("button", name="Tải lên và đọc").click()
    assert "/nhap-ke-hoach/" in page.url
    assert (
        page.locator("textarea[name='t-0-content']")
        .input_value()
        .startswith("Ban hành Kế hoạch CCHC năm 2026")
    )
    screenshot(page, "import-review")

    page.fill("textarea[name='t-0-content']", "Ban hành Kế hoạch CCHC năm 2026 của Sở")
    # An impatient double click sends the form twice: it still makes one plan.
    page.get_by_role("button", name="Xác nhận nhập 36 nhiệm vụ").dblclick()
    page.wait_for_url("**/ke-hoach/*/")
    plan = Plan.objects.order_by("-pk").first()
    assert Plan.objects.count() == before + 1
    assert page.url.endswith(plan.get_absolute_url())
    assert plan.tasks.count() == 36
    assert plan.tasks.get(number=1).content == "Ban hành Kế hoạch CCHC năm 2026 của Sở"


def test_a_file_that_is_not_a_plan_is_refused_with_a_message(sign_in, demo_site, tmp_path):
    page = sign_in("vanphong", viewport=PHONE)
    page.goto(f"{demo_site}/nhap-ke-hoach/")
    bad = tmp_path / "ke-hoach.docx"
    bad.write_bytes(b"not a document at all")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Tải lên và đọc").click()
    assert "DOCX" in page.inner_text("main")
    assert sideways_scroll(page) == 0
