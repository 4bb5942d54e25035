"""The notification list, marking as read, and the reminder settings page: each person's own."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partrack.org.models import Membership
from partrack.reporting.models import Notification
from partrack.reporting.notification_views import layout
from tests.conftest import client_as, post_form

pytestmark = pytest.mark.django_db


def notify(user, key, *, minutes_ago=0, read=False, url="/"):
    now = timezone.now()
    return Notification.objects.create(
        user=user,
        kind=Notification.Kind.TASK_DUE,
        key=key,
        title=f"Thông báo {key}",
        body="Nội dung",
        url=url,
        created_at=now - timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def titles(html):
    return re.findall(r"Thông báo (k\d+)", html)


def test_anonymous_visitor_is_sent_to_sign_in(world):
    for url in ("/thong-bao/", "/cai-dat/"):
        response = client_as().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")
    assert post_form(client_as(), "/thong-bao/da-doc/", {}).status_code == 302


def test_a_person_sees_their_own_notifications_unread_first_then_newest(world):
    notify(world.lead_member, "k1", minutes_ago=30)
    notify(world.lead_member, "k2", minutes_ago=20, read=True)
    notify(world.lead_member, "k3", minutes_ago=10)
    notify(world.lead_member, "k4", minutes_ago=5, read=True)
    notify(world.helping_member, "k9")
    response = client_as(world.lead_member).get("/thong-bao/")
    html = response.content.decode()
    assert titles(html) == ["k3", "k1", "k4", "k2"]
    assert response.context["unread_notifications"] == 2
    assert "2 chưa đọc" in html


def test_nobody_sees_someone_elses_notifications(world):
    notify(world.lead_member, "k1")
    html = client_as(world.helping_member).get("/thong-bao/").content.decode()
    assert titles(html) == []
    assert "Chưa có thông báo nào." in html
    html = client_as(world.coordinator).get("/thong-bao/").content.decode()
    assert titles(html) == []


def test_marking_one_notification_read(world):
    mine = notify(world.lead_member, "k1")
    other = notify(world.lead_member, "k2")
    response = post_form(client_as(world.lead_member), f"/thong-bao/{mine.pk}/da-doc/", {})
    assert response.status_code == 302
    assert response["Location"] == "/thong-bao/"
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None


def test_marking_someone_elses_notification_read_is_not_found(world):
    theirs = notify(world.lead_member, "k1")
    response = post_form(client_as(world.helping_member), f"/thong-bao/{theirs.pk}/da-doc/", {})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world):
    notification = notify(world.lead_member, "k1", url=world.task.get_absolute_url())
    client = client_as(world.lead_member)
    response = post_form(client, f"/thong-bao/{notification.pk}/da-doc/", {"open": "1"})
    assert response["Location"] == world.task.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_to_another_site(world):
    notification = notify(world.lead_member, "k1", url="https://evil.example/")
    response = post_form(
        client_as(world.lead_member), f"/thong-bao/{notification.pk}/da-doc/", {"open": "1"}
    )
    assert response["Location"] == "/thong-bao/"


def test_marking_all_read_touches_only_the_persons_own(world):
    notify(world.lead_member, "k1")
    notify(world.lead_member, "k2")
    theirs = notify(world.helping_member, "k3")
    response = post_form(client_as(world.lead_member), "/thong-bao/da-doc/", {})
    assert response.status_code == 302
    assert not Notification.objects.filter(user=world.lead_member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post_with_a_csrf_token(world):
    notification = notify(world.lead_member, "k1")
    client = client_as(world.lead_member)
    assert client.get(f"/thong-bao/{notification.pk}/da-doc/").status_code == 405
    assert client.post(f"/thong-bao/{notification.pk}/da-doc/").status_code == 403
    assert client.post("/thong-bao/da-doc/").status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_unread_count_costs_one_query_and_nothing_for_visitors(world, django_assert_num_queries):
    notify(world.lead_member, "k1")
    notify(world.lead_member, "k2", read=True)
    request = RequestFactory().get("/")
    request.user = world.lead_member
    with django_assert_num_queries(1):
        assert layout(request)["unread_notifications"] == 1
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert layout(request) == {"unread_notifications": 0, "reports_for_province": False}


def grow(user, total):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=Notification.Kind.TASK_DUE,
            key=f"bulk:{n}",
            title=f"Thông báo k{1000 + n}",
            url="/",
            created_at=now - timedelta(minutes=n),
            read_at=now if n % 3 else None,
        )
        for n in range(total)
    )


def test_list_runs_the_same_queries_with_few_and_many_notifications(
    world, settings, django_assert_max_num_queries
):
    settings.PARTRACK_PAGE_SIZE = 50
    client = client_as(world.lead_member)
    grow(world.lead_member, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/thong-bao/").status_code == 200
    Notification.objects.all().delete()
    grow(world.lead_member, 400)
    with django_assert_max_num_queries(8):
        response = client.get("/thong-bao/", {"page": 2})
    assert len(titles(response.content.decode())) == 50
    assert "Trang 2/8" in response.content.decode()
    with CaptureQueriesContext(connection) as many:
        client.get("/thong-bao/")
    assert len(many) == len(few)


def test_turning_email_reminders_off_and_on(world):
    client = client_as(world.lead_member)
    html = client.get("/cai-dat/").content.decode()
    assert 'name="email_reminders"' in html and " checked" in html
    response = post_form(client, "/cai-dat/", {})
    assert response.status_code == 302
    assert not Membership.objects.get(user=world.lead_member).email_reminders
    html = client.get("/cai-dat/").content.decode()
    assert "Đã tắt nhắc việc qua thư điện tử." in html
    assert " checked" not in html
    post_form(client, "/cai-dat/", {"email_reminders": "on"})
    assert Membership.objects.get(user=world.lead_member).email_reminders


def test_settings_page_shows_the_persons_own_absolute_calendar_link(world):
    token = Membership.objects.get(user=world.lead_member).calendar_token
    html = client_as(world.lead_member).get("/cai-dat/").content.decode()
    assert f"http://testserver/lich/{token}.ics" in html
    assert f"webcal://testserver/lich/{token}.ics" in html
    other = Membership.objects.get(user=world.helping_member).calendar_token
    assert other not in html


def test_resetting_the_calendar_link_changes_only_the_persons_own(world):
    before = {m.user_id: m.calendar_token for m in Membership.objects.all()}
    client = client_as(world.lead_member)
    assert client.get("/cai-dat/lich-moi/").status_code == 405
    response = post_form(client, "/cai-dat/lich-moi/", {})
    assert response["Location"] == "/cai-dat/"
    after = {m.user_id: m.calendar_token for m in Membership.objects.all()}
    assert after[world.lead_member.pk] != before[world.lead_member.pk]
    changed = {user_id for user_id in before if before[user_id] != after[user_id]}
    assert changed == {world.lead_member.pk}


def test_an_account_outside_any_agency_has_no_settings_page(world):
    loner = get_user_model().objects.create_user("loner", password="secret-pass-123")
    assert client_as(loner).get("/cai-dat/").status_code == 404
    assert client_as(loner).get("/thong-bao/").status_code == 200
