"""A person changes their password, or resets it by e-mail; both in Vietnamese."""

import logging
import re
import socket

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import post_form

OLD = "secret-pass-123"  # tests/conftest.py's make_person
NEW = "Cải-cách-2026-mới"


def sign_in(username, password):
    """A fresh browser signs in through the login page; the response of its POST."""
    client = Client(enforce_csrf_checks=True)
    return client, post_form(client, "/dang-nhap/", {"username": username, "password": password})


def test_a_person_changes_their_password_and_the_old_one_stops_working(world):
    client = world.client(world.lead_member)

    response = post_form(
        client,
        "/doi-mat-khau/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert response["Location"] == "/doi-mat-khau/xong/"
    assert "Đã đổi mật khẩu" in client.get("/doi-mat-khau/xong/").content.decode()
    # The person stays signed in on the browser where they changed it.
    assert client.get("/doi-mat-khau/").status_code == 200
    assert sign_in("lead", OLD)[1].status_code == 200  # the sign-in page again, with its error
    assert sign_in("lead", NEW)[1]["Location"] == "/"


def test_a_wrong_current_password_changes_nothing_and_says_so_in_vietnamese(world):
    client = world.client(world.lead_member)

    response = post_form(
        client,
        "/doi-mat-khau/",
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    world.lead_member.refresh_from_db()
    assert world.lead_member.check_password(OLD)


def test_a_too_short_new_password_is_refused_in_vietnamese(world):
    client = world.client(world.lead_member)

    response = post_form(
        client,
        "/doi-mat-khau/",
        {"old_password": OLD, "new_password1": "abc", "new_password2": "abc"},
    )

    assert response.status_code == 200
    assert "ít nhất 8 ký tự" in response.content.decode()


def test_the_anonymous_visitor_is_sent_to_sign_in_before_changing_a_password(db):
    response = Client().get("/doi-mat-khau/")

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/doi-mat-khau/"


def test_every_page_offers_password_change_in_the_user_menu(world):
    page = world.client(world.leader).get("/thong-bao/").content.decode()

    assert 'href="/doi-mat-khau/"' in page
    assert "Đổi mật khẩu" in page


def test_the_sign_in_page_offers_a_password_reset(db):
    assert 'href="/quen-mat-khau/"' in Client().get("/dang-nhap/").content.decode()


def request_reset(email):
    client = Client(enforce_csrf_checks=True)
    return post_form(client, "/quen-mat-khau/", {"email": email})


def test_a_reset_email_in_vietnamese_carries_a_link_that_sets_a_new_password_once(world):
    world.lead_member.email = "cds@skhcn.example.gov.vn"
    world.lead_member.first_name, world.lead_member.last_name = "Minh", "Trần Văn"
    world.lead_member.save()

    response = request_reset("cds@skhcn.example.gov.vn")

    assert response["Location"] == "/quen-mat-khau/da-gui/"
    [message] = mail.outbox
    assert message.to == ["cds@skhcn.example.gov.vn"]
    assert message.subject == "Đặt lại mật khẩu PARtrack"
    assert "Kính gửi Trần Văn Minh," in message.body
    assert "Tên đăng nhập của bạn: lead" in message.body
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", message.body).group(1)

    browser = Client(enforce_csrf_checks=True)
    form_page = browser.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = post_form(browser, set_password_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/dat-lai-mat-khau/xong/"

    assert sign_in("lead", NEW)[1]["Location"] == "/"
    assert sign_in("lead", OLD)[1].status_code == 200
    again = Client().get(link, follow=True).content.decode()
    assert "Đường dẫn không còn dùng được" in again
    assert "new_password1" not in again


def test_a_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(world):
    response = request_reset("nobody@example.gov.vn")

    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert mail.outbox == []


@pytest.fixture
def closed_port():
    """A port on this machine where no mail server listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_when_the_mail_server_is_down_the_reset_page_answers_the_same_and_logs_it(
    world, settings, closed_port, caplog
):
    world.lead_member.email = "cds@skhcn.example.gov.vn"
    world.lead_member.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 5

    with caplog.at_level(logging.ERROR, logger="django.contrib.auth"):
        response = request_reset("cds@skhcn.example.gov.vn")

    # The page cannot say more without telling strangers which addresses have accounts; the
    # failure is in the log for the administrator, and the password is as it was.
    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert "Failed to send password reset email" in caplog.text
    world.lead_member.refresh_from_db()
    assert world.lead_member.check_password(OLD)


def test_the_reset_done_page_tells_what_to_do_when_no_mail_comes(db):
    page = Client().get("/quen-mat-khau/da-gui/").content.decode()

    assert "Văn phòng Sở" in page


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/doi-mat-khau/", 5), ("/quen-mat-khau/", 0), ("/dang-nhap/", 0)],
)
def test_the_account_pages_take_a_fixed_number_of_queries(
    world, django_assert_num_queries, url, queries
):
    client = world.client(world.lead_member) if url == "/doi-mat-khau/" else Client()

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
