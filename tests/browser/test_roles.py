"""Every demo role signs in in a real browser; a person of another agency is refused."""

import pytest

from partrack.plans.models import Plan

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("login", "name"),
    [
        ("admin", "Hệ thống Quản trị"),
        ("vanphong", "Nguyễn Thị Hoa"),
        ("lanhdao", "Nguyễn Duy Anh"),
        ("phongcds", "Trần Văn Minh"),
        ("phongkhtc", "Lê Thị Thu"),
        ("sotuphap", "Phạm Văn Bình"),
    ],
)
def test_each_demo_role_signs_in_and_lands_on_its_plan(sign_in, login, name):
    page = sign_in(login)
    assert "/dang-nhap/" not in page.url
    assert name in page.inner_text("nav")
    assert page.locator("h1").count() == 1


def test_a_wrong_password_is_told_in_vietnamese(browser, demo_site):
    page = browser.new_page()
    page.goto(f"{demo_site}/dang-nhap/")
    page.fill("#id_username", "vanphong")
    page.fill("#id_password", "sai-mat-khau")
    page.click("main form button")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.inner_text("main")
    page.close()


def test_a_person_of_another_agency_is_refused_the_seed_plan(sign_in, demo_site):
    seed = Plan.objects.get(agency__short_name="SKHCN")
    page = sign_in("sotuphap")
    response = page.goto(demo_site + seed.get_absolute_url())
    assert response.status == 404
    assert "Không tìm thấy trang này" in page.inner_text("main")
