"""Importing an issued plan in a real browser: upload, review and fix a row, confirm once."""

import pytest
from playwright.sync_api import expect

from partrack.plans.models import Plan
from tests.browser.conftest import PHONE, screenshot, sideways_scroll
from tests.documents.large_plan import large_plan_docx
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
    # The demo follows a 2026 plan already: a second one is an explicit choice, with a reason.
    assert "Sở đã có kế hoạch năm 2026 đang theo dõi" in page.inner_text("#same-year-plan")
    page.get_by_label("Vẫn tạo kế hoạch thứ hai cho năm này").check()
    page.get_by_label("Lý do cần kế hoạch thứ hai").fill("Kế hoạch riêng của khối đơn vị")
    # An impatient double click sends the form twice: it still makes one plan.
    page.get_by_role("button", name="Xác nhận nhập 36 nhiệm vụ").dblclick()
    page.wait_for_url("**/ke-hoach/*/")
    plan = Plan.objects.order_by("-pk").first()
    assert Plan.objects.count() == before + 1
    assert page.url.endswith(plan.get_absolute_url())
    assert plan.tasks.count() == 36
    assert plan.tasks.get(number=1).content == "Ban hành Kế hoạch CCHC năm 2026 của Sở"
    assert "Kế hoạch riêng của khối đơn vị" in plan.events.get().narrative


def test_a_plan_of_2000_tasks_is_reviewed_page_by_page_and_confirmed(sign_in, demo_site, tmp_path):
    large = tmp_path / "ke-hoach-2027.docx"
    large.write_bytes(large_plan_docx(2000))
    page = sign_in("vanphong")
    page.goto(f"{demo_site}/nhap-ke-hoach/")
    page.set_input_files("input[type=file]", str(large))
    page.get_by_role("button", name="Tải lên và đọc").click()
    assert "Đọc được 2000 nhiệm vụ trong 7 lĩnh vực." in page.inner_text("#summary")
    # The review page of 2,000 rows arrives in pieces: wait for the whole of its first page.
    page.wait_for_load_state("load")
    expect(page.locator(".import-row")).to_have_count(100)

    # An edit on page 1 is kept when moving to page 2, where another row is edited.
    page.fill("textarea[name='t-5-content']", "Dòng 6 sửa trên trang 1")
    page.locator("#row-pages").get_by_role("button", name="2", exact=True).click()
    page.wait_for_url("**?page=2")
    assert page.locator("textarea[name='t-0-content']").input_value().startswith("Nhiệm vụ số 101:")
    page.fill("textarea[name='t-0-content']", "Dòng 101 sửa trên trang 2")
    page.get_by_role("button", name="Xác nhận nhập 2000 nhiệm vụ").click()
    page.wait_for_url("**/ke-hoach/*/", timeout=120_000)

    plan = Plan.objects.get(year=2027)
    assert page.url.endswith(plan.get_absolute_url())
    assert "Đã nhập kế hoạch với 2000 nhiệm vụ." in page.inner_text("main")
    assert plan.tasks.count() == 2000
    assert plan.tasks.get(number=6).content == "Dòng 6 sửa trên trang 1"
    assert plan.tasks.get(number=101).content == "Dòng 101 sửa trên trang 2"


def test_a_file_that_is_not_a_plan_is_refused_with_a_message(sign_in, demo_site, tmp_path):
    page = sign_in("vanphong", viewport=PHONE)
    page.goto(f"{demo_site}/nhap-ke-hoach/")
    bad = tmp_path / "ke-hoach.docx"
    bad.write_bytes(b"not a document at all")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Tải lên và đọc").click()
    assert "DOCX" in page.inner_text("main")
    assert sideways_scroll(page) == 0


def test_the_office_splits_a_row_holding_two_tasks_and_enter_only_checks_again(sign_in, demo_site):
    page = sign_in("vanphong")
    page.goto(f"{demo_site}/nhap-ke-hoach/")
    page.set_input_files("input[type=file]", str(seed_path("docx")))
    page.get_by_role("button", name="Tải lên và đọc").click()
    page.fill("textarea[name='t-0-content']", "1. Ban hành kế hoạch.\n2. Công bố kế hoạch.")
    page.locator("#row-t-0").get_by_role("button", name="Tách dòng").click()
    page.wait_for_selector("text=Đã tách thành hai dòng")
    assert page.locator("textarea[name='t-0-content']").input_value() == "1. Ban hành kế hoạch."
    assert page.locator("textarea[name='t-1-content']").input_value() == "2. Công bố kế hoạch."
    rows = page.locator(".import-row").count()
    # Enter in a field checks again: it splits no row.
    page.locator("input[name='plan-symbol']").press("Enter")
    page.wait_for_selector("text=Đã lưu các sửa đổi và kiểm tra lại")
    assert page.locator(".import-row").count() == rows
