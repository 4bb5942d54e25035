"""The review loop closed: the office is told a report waits, the unit is told how it came back."""

import re
import socket

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from partrack.org.models import Membership, Role, Unit
from partrack.plans.models import ReportingPeriod
from partrack.reporting import services
from partrack.reporting.models import Notification, OutgoingEmail, UnitReport
from partrack.reporting.outbox import deliver
from tests.conftest import demo_client, make_person, post_form

pytestmark = pytest.mark.django_db


def unit(short):
    return Unit.objects.get(agency__short_name="SKHCN", short_name=short)


def person(login):
    return get_user_model().objects.get(username=login)


def report_url(period, short, action=""):
    url = f"/ky-bao-cao/{period.pk}/don-vi/{unit(short).pk}/"
    return url + (action + "/" if action else "")


def todo(login):
    """[(title, detail and comment)] of the person's "Cần làm", top first."""
    html = demo_client(login).get("/can-lam/").content.decode()
    block = html.split('id="todo"')[1].split("</ul>")[0]
    items = block.split('<li class="list-group-item')[1:]
    return [
        (
            re.search(r'<a href="[^"]+">([^<]+)</a>', item)[1],
            " ".join(re.sub(r"<[^>]+>", " ", item.split("</a>", 1)[1]).split()),
        )
        for item in items
    ]


def notifications(login):
    return list(
        Notification.objects.filter(user__username=login)
        .order_by("created_at", "pk")
        .values_list("kind", "title", "body")
    )


def submit(login, period, short):
    client = demo_client(login)
    post_form(client, report_url(period, short, "bat-dau"), {})
    return post_form(client, report_url(period, short, "gui"), {})


def review(period, short, decision, comment=""):
    return post_form(
        demo_client("vanphong"),
        report_url(period, short, "xem-xet"),
        {"decision": decision, "comment": comment},
    )


@pytest.fixture
def q1(demo):
    return ReportingPeriod.objects.get(plan=demo, kind="q1")


def test_the_office_sees_reports_waiting_for_review_oldest_first(q1):
    with time_machine.travel("2026-03-06 09:00 +07:00"):
        submit("phongkhtc", q1, "KHTC")
    with time_machine.travel("2026-03-09 09:00 +07:00"):
        submit("phongcds", q1, "CĐS")
    with time_machine.travel("2026-03-12 09:00 +07:00"):
        waiting = [(title, detail) for title, detail in todo("vanphong") if "Xem xét" in title]
        assert [title for title, _detail in waiting] == [
            "Xem xét báo cáo Quý I của Phòng Kế hoạch Tài chính",
            "Xem xét báo cáo Quý I của Phòng Chuyển đổi số",
        ]
        assert "Đơn vị gửi ngày 06/03/2026, chờ Văn phòng chấp nhận" in waiting[0][1]
        assert "Đơn vị gửi ngày 09/03/2026, chờ Văn phòng chấp nhận" in waiting[1][1]
        review(q1, "KHTC", "accept")
        titles = [title for title, _detail in todo("vanphong")]
        assert "Xem xét báo cáo Quý I của Phòng Kế hoạch Tài chính" not in titles
        assert "Xem xét báo cáo Quý I của Phòng Chuyển đổi số" in titles
        # Members review nothing.
        assert not any("Xem xét" in title for title, _detail in todo("phongcds"))


def test_a_report_sent_late_still_waits_in_the_offices_list_after_the_period(q1):
    with time_machine.travel("2026-04-02 09:00 +07:00"):
        submit("phongcds", q1, "CĐS")
        assert ("Xem xét báo cáo Quý I của Phòng Chuyển đổi số") in [
            title for title, _detail in todo("vanphong")
        ]


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_submitting_returning_and_accepting_each_tell_the_people_concerned(
    q1, django_capture_on_commit_callbacks
):
    second_member = make_person("cds2", q1.plan.agency, Role.MEMBER, unit("CĐS"))
    second_member.email = "cds2@example.invalid"
    second_member.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit("phongcds", q1, "CĐS")
    assert notifications("vanphong") == [
        (
            "report_submitted",
            "Phòng Chuyển đổi số đã gửi báo cáo Quý I 2026 — chờ xem xét",
            "Gửi đúng hạn (09/03/2026)",
        )
    ]
    # The sender is not told about their own step; other units hear nothing.
    assert notifications("phongcds") == notifications("phongkhtc") == []
    assert notifications("lanhdao") == []
    deliver(now=timezone.now())  # what the next send_reminders run does
    assert [m.to for m in mail.outbox] == [["vanphong@example.invalid"]]
    assert mail.outbox[0].subject == (
        "[PARtrack] Phòng Chuyển đổi số đã gửi báo cáo Quý I 2026 — chờ xem xét"
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review(q1, "CĐS", "return", "Bổ sung minh chứng nhiệm vụ 35")
    returned = (
        "report_returned",
        "Báo cáo Quý I 2026 của Phòng Chuyển đổi số bị trả lại — chờ gửi lại",
        "Ý kiến của Văn phòng Sở: Bổ sung minh chứng nhiệm vụ 35",
    )
    assert notifications("phongcds") == notifications("cds2") == [returned]
    deliver(now=timezone.now())
    assert sorted(m.to[0] for m in mail.outbox) == [
        "cds2@example.invalid",
        "phongcds@example.invalid",
    ]
    assert "Bổ sung minh chứng nhiệm vụ 35" in mail.outbox[0].body

    # Resubmitted: the office is told again (a new version is a new notification).
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_form(demo_client("phongcds"), report_url(q1, "CĐS", "gui"), {})
    assert [kind for kind, _t, _b in notifications("vanphong")] == [
        "report_submitted",
        "report_submitted",
    ]
    deliver(now=timezone.now())

    # A person who turned e-mail off is told in the app only.
    Membership.objects.filter(user=second_member).update(email_reminders=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review(q1, "CĐS", "accept")
    accepted = (
        "report_accepted",
        "Báo cáo Quý I 2026 của Phòng Chuyển đổi số đã được chấp nhận",
        "",
    )
    assert notifications("cds2")[-1] == accepted
    assert notifications("phongcds")[-1] == accepted
    deliver(now=timezone.now())
    assert [m.to for m in mail.outbox] == [["phongcds@example.invalid"]]


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_a_mail_server_that_is_down_loses_neither_the_step_nor_the_notification(
    q1, settings, django_capture_on_commit_callbacks
):
    # A port nothing listens on: the SMTP connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = submit("phongcds", q1, "CĐS")
    assert response.status_code == 302
    assert UnitReport.objects.get().status == "submitted"
    (notification,) = Notification.objects.filter(user__username="vanphong")
    assert notification.kind == "report_submitted"
    # Its e-mail waits in the outbox for the next send_reminders run, which retries it.
    assert OutgoingEmail.objects.get(notifications=notification).status == "queued"


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_a_step_that_fails_notifies_nobody(q1):
    report = services.start_unit_report(period=q1, unit=unit("CĐS"))
    services.submit_unit_report(report=report, by=person("phongcds"))
    services.accept_unit_report(report=report, by=person("vanphong"))
    with pytest.raises(services.StaleReport):
        services.return_unit_report(report=report, by=person("vanphong"), comment="Muộn rồi")
    assert not Notification.objects.filter(kind="report_returned").exists()


def test_a_returned_report_is_on_top_of_the_units_list_with_the_offices_comment(q1):
    with time_machine.travel("2026-03-09 09:00 +07:00"):
        submit("phongcds", q1, "CĐS")
        review(q1, "CĐS", "return", "Bổ sung số liệu nhiệm vụ 35")
    with time_machine.travel("2026-03-25 09:00 +07:00"):
        # Tasks overdue since 31/12/2025 or due soon do not push it down.
        title, detail = todo("phongcds")[0]
        assert title == "Sửa và gửi lại báo cáo Quý I"
        assert "Ý kiến của Văn phòng: Bổ sung số liệu nhiệm vụ 35" in detail
        page = demo_client("phongcds").get(report_url(q1, "CĐS")).content.decode()
        assert "Bị trả lại — chờ gửi lại" in page
        assert "Bổ sung số liệu nhiệm vụ 35" in page


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_only_the_office_reviews_and_a_refused_attempt_notifies_nobody(q1):
    from tests.conftest import client_as

    submit("phongcds", q1, "CĐS")
    url = report_url(q1, "CĐS", "xem-xet")
    attempts = {
        "phongkhtc": 403,  # another unit
        "phongcds": 403,  # the unit itself
        "lanhdao": 403,  # a leader reads, does not review
        "sotuphap": 404,  # another agency's office
    }
    for login, status in attempts.items():
        form = {"decision": "return", "comment": "x"}
        assert post_form(demo_client(login), url, form).status_code == status, login
    anonymous = post_form(client_as(), url, {"decision": "accept"})
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    assert UnitReport.objects.get().status == "submitted"
    assert not Notification.objects.exclude(kind="report_submitted").exists()
