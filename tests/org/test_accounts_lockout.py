"""Wrong passwords lock a login name (django-axes); time, an administrator or a reset unlock it."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from tests.conftest import client_as, post_form
from tests.org.test_accounts import NEW, OLD, sign_in


def guess_wrong(username, times):
    """That many wrong passwords for that name, each from a fresh browser; the last response."""
    response = None
    for _ in range(times):
        _client, response = sign_in(username, "wrong-guess")
    return response


def test_nine_wrong_passwords_still_show_the_sign_in_page(world):
    response = guess_wrong("lead", 9)

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert sign_in("lead", OLD)[1]["Location"] == "/"


def test_ten_wrong_passwords_lock_the_login_with_a_vietnamese_message(world):
    response = guess_wrong("lead", 10)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Tên đăng nhập này đang bị tạm khoá" in page
    assert "nhập sai 10 lần liên tiếp" in page
    assert "thử lại sau 30 phút" in page
    # Even the right password is refused now, with the same page.
    _client, right = sign_in("lead", OLD)
    assert right.status_code == 429
    assert "đang bị tạm khoá" in right.content.decode()
    assert "_auth_user_id" not in _client.session


def test_a_locked_name_does_not_lock_anyone_else(world):
    guess_wrong("lead", 10)

    assert sign_in("helper", OLD)[1]["Location"] == "/"


def test_a_successful_sign_in_starts_the_count_again(world):
    guess_wrong("lead", 9)
    sign_in("lead", OLD)

    assert guess_wrong("lead", 9).status_code == 200
    assert sign_in("lead", OLD)[1]["Location"] == "/"


def test_the_lock_lifts_by_itself_after_the_cool_off(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        guess_wrong("lead", 10)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert sign_in("lead", OLD)[1].status_code == 429
    # Each try while locked starts the thirty minutes again.
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        assert sign_in("lead", OLD)[1]["Location"] == "/"


def test_an_administrator_unlocks_a_name_in_the_admin(world):
    guess_wrong("lead", 10)
    superuser = get_user_model().objects.create_superuser("root", password="root-pass-123")
    admin = client_as(superuser)
    [attempt] = AccessAttempt.objects.filter(username="lead")

    listing = admin.get("/quan-tri/axes/accessattempt/?locked_out=yes").content.decode()
    assert ">lead<" in listing
    delete_url = f"/quan-tri/axes/accessattempt/{attempt.pk}/delete/"
    response = post_form(admin, delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert sign_in("lead", OLD)[1]["Location"] == "/"


def test_a_unit_member_cannot_reach_the_unlock_page(world):
    response = client_as(world.lead_member).get("/quan-tri/axes/accessattempt/")

    assert response.status_code == 302
    assert response["Location"].startswith("/quan-tri/login/")


def test_the_reset_command_unlocks_a_name(world, capsys):
    guess_wrong("lead", 10)

    call_command("axes_reset_username", "lead")

    assert "attempts removed" in capsys.readouterr().out
    assert sign_in("lead", OLD)[1]["Location"] == "/"


def test_resetting_the_password_by_email_unlocks_the_name(world):
    world.lead_member.email = "cds@skhcn.example.gov.vn"
    world.lead_member.save()
    guess_wrong("lead", 10)

    email = world.lead_member.email
    post_form(Client(enforce_csrf_checks=True), "/quen-mat-khau/", {"email": email})
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    browser = Client(enforce_csrf_checks=True)
    set_password_url = browser.get(link, follow=True).redirect_chain[-1][0]
    post_form(browser, set_password_url, {"new_password1": NEW, "new_password2": NEW})

    assert sign_in("lead", NEW)[1]["Location"] == "/"


def test_the_limit_and_a_lock_until_unlocked_come_from_settings(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = None

    response = guess_wrong("lead", 3)

    assert response.status_code == 429
    page = response.content.decode()
    assert "nhập sai 3 lần liên tiếp" in page
    assert "cho đến khi quản trị viên mở khoá" in page


def test_the_test_client_signs_in_when_given_a_request(world):
    # django-axes needs the request; tests otherwise use force_login.
    client = Client()

    assert client.login(request=HttpRequest(), username="lead", password=OLD)


@pytest.mark.parametrize(("wrong_before", "queries"), [(0, 13), (1, 15), (9, 15), (10, 7)])
def test_signing_in_takes_a_fixed_number_of_queries(
    world, django_assert_num_queries, wrong_before, queries
):
    guess_wrong("lead", wrong_before)
    client = Client()
    client.get("/dang-nhap/")

    with django_assert_num_queries(queries):
        client.post("/dang-nhap/", {"username": "lead", "password": OLD})
