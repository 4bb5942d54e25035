"""The outbox: each e-mail is written with its notification and sent exactly once, over SMTP."""

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partrack.org.models import Membership
from partrack.reporting.management.commands import send_reminders as command
from partrack.reporting.models import EMAIL_MAX_ATTEMPTS, Notification, OutgoingEmail
from partrack.reporting.outbox import deliver, queue_email
from partrack.reporting.reminders import Reminder, create_notifications, email_notifications
from tests.conftest import client_as, post_form
from tests.reporting.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db

TUESDAY = "2026-03-03T08:00"
T = timezone.make_aware(datetime(2026, 3, 3, 8, 0))


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def run(now):
    """(exit status, what it printed, its error line) of one send_reminders run."""
    out = StringIO()
    try:
        call_command("send_reminders", "--now", now, stdout=out, stderr=StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue().strip(), str(error)
    return 0, out.getvalue().strip(), ""


def later(minutes):
    return (T + timedelta(minutes=minutes)).isoformat()


def statuses():
    return Counter(OutgoingEmail.objects.values_list("status", flat=True))


def queued_recipients():
    return sorted(OutgoingEmail.objects.values_list("to", flat=True))


def with_address(user):
    user.email = f"{user.username}@example.invalid"
    user.save()
    return user


def reminder(user, key="task-due:1:7d", title="Nhiệm vụ 1 sắp đến hạn"):
    return Reminder(user.pk, Notification.Kind.TASK_DUE, key, title, "", "/nhiem-vu/1/")


def test_a_notification_and_its_email_are_written_together_or_not_at_all(world):
    lead = with_address(world.lead_member)
    with pytest.raises(RuntimeError), transaction.atomic():
        create_notifications(reminders=[reminder(lead)], now=T)
        assert Notification.objects.count() == OutgoingEmail.objects.count() == 1
        raise RuntimeError("the rest of the request failed")
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()

    (notification,) = create_notifications(reminders=[reminder(lead)], now=T)
    email = OutgoingEmail.objects.get()
    assert notification.email == email
    assert email.to == "lead@example.invalid"
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.subject == "[PARtrack] Nhiệm vụ 1 sắp đến hạn"
    assert "Nhiệm vụ 1 sắp đến hạn" in email.body


def test_the_same_notifications_are_never_queued_twice(world):
    lead = with_address(world.lead_member)
    created = create_notifications(
        reminders=[reminder(lead), reminder(lead, "task-due:2:7d", "Nhiệm vụ 2")], now=T
    )
    assert OutgoingEmail.objects.count() == 1
    assert email_notifications(created, now=T) == 0
    assert email_notifications(list(Notification.objects.all()), now=T) == 0
    stale = Notification.objects.get(pk=created[0].pk)
    stale.email = None  # a copy read before the e-mail was queued
    assert email_notifications([stale], now=T) == 0
    assert create_notifications(reminders=[reminder(lead)], now=T) == []
    assert OutgoingEmail.objects.count() == 1


def test_people_without_email_or_who_turned_it_off_get_no_outbox_row(world):
    lead = with_address(world.lead_member)
    helper = world.helping_member  # no address
    Membership.objects.filter(user=lead).update(email_reminders=False)
    create_notifications(reminders=[reminder(lead), reminder(helper)], now=T)
    assert Notification.objects.count() == 2
    assert not OutgoingEmail.objects.exists()


def test_mail_server_down_then_up_sends_each_email_exactly_once(demo, smtp):
    code, out, error = run(TUESDAY)
    waiting = OutgoingEmail.objects.count()
    notifications = Notification.objects.count()
    assert waiting >= 4 and notifications >= waiting
    assert code == 1
    assert error == (
        f"không gửi được thư: máy chủ 127.0.0.1:{smtp.port} từ chối — {waiting} thư đang chờ"
    )
    assert out == f"sent {notifications} notifications (0 emails)"
    assert statuses() == {"queued": waiting}
    for email in OutgoingEmail.objects.all():
        assert email.last_error.startswith("ConnectionRefusedError")
        assert email.attempts == 0
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()

    # Still down: the next run fails the same way and sends nothing twice later.
    assert run(later(15))[0] == 1

    smtp.start()
    code, out, error = run(later(30))
    assert (code, out) == (0, f"sent 0 notifications ({waiting} emails)")
    assert smtp.mailbox.recipients() == queued_recipients()
    received = Counter(smtp.mailbox.received)
    assert received == Counter(OutgoingEmail.objects.values_list("to", "subject"))
    assert statuses() == {"sent": waiting}
    assert not Notification.objects.filter(email__isnull=False, emailed_at__isnull=True).exists()

    assert run(later(45)) == (0, "sent 0 notifications (0 emails)", "")
    assert len(smtp.mailbox.received) == waiting


def test_a_connection_dropped_mid_run_loses_nothing_and_sends_nothing_twice(demo, smtp):
    smtp.mailbox.drop_at = 3
    smtp.start()
    code, _out, error = run(TUESDAY)
    total = OutgoingEmail.objects.count()
    assert code == 1
    assert error.startswith(f"không gửi được thư: máy chủ 127.0.0.1:{smtp.port} ngắt kết nối — ")
    assert error.endswith(f" — {total - 2} thư đang chờ")
    assert len(smtp.mailbox.received) == 2
    assert statuses() == {"sent": 2, "queued": total - 2}
    dropped = OutgoingEmail.objects.get(attempts=1, status="queued")
    assert dropped.last_error.startswith("SMTPServerDisconnected")
    assert dropped.next_attempt_at >= T + timedelta(minutes=5)  # its backoff

    # The next run sends the others; the dropped one waits out its backoff, then goes once.
    code, out, _error = run(later(1))
    assert (code, out) == (0, f"sent 0 notifications ({total - 3} emails), 1 e-mails waiting")
    assert run(later(10))[:2] == (0, "sent 0 notifications (1 emails)")
    assert smtp.mailbox.recipients() == queued_recipients()
    assert statuses() == {"sent": total}
    assert run(later(20))[:2] == (0, "sent 0 notifications (0 emails)")
    assert len(smtp.mailbox.received) == total


def test_a_recipient_refused_for_good_is_given_up_and_the_others_go(demo, smtp):
    smtp.mailbox.refuse["phongcds@example.invalid"] = "550 5.1.1 no such user"
    smtp.start()
    code, out, _error = run(TUESDAY)
    total = OutgoingEmail.objects.count()
    assert code == 0
    assert out.endswith(f"({total - 1} emails), 1 e-mails failed")
    failed = OutgoingEmail.objects.get(status="failed")
    assert failed.to == "phongcds@example.invalid"
    assert "550" in failed.last_error
    assert "phongcds@example.invalid" not in smtp.mailbox.recipients()
    assert len(smtp.mailbox.received) == total - 1
    assert run(later(60))[:2] == (0, "sent 0 notifications (0 emails)")


def test_a_refused_sender_address_stops_the_run_and_gives_up_no_message(demo, smtp):
    smtp.mailbox.refuse_sender = "550 5.7.1 not allowed to send"
    smtp.start()
    code, _out, error = run(TUESDAY)
    total = OutgoingEmail.objects.count()
    assert code == 1
    assert error == (
        f"không gửi được thư: máy chủ 127.0.0.1:{smtp.port} từ chối địa chỉ gửi "
        f"PARtrack <partrack@localhost> (xem DEFAULT_FROM_EMAIL) — {total} thư đang chờ"
    )
    assert statuses() == {"queued": total}
    assert smtp.mailbox.received == []


def test_a_loop_reports_the_mail_server_down_and_goes_on(demo, smtp, monkeypatch):
    naps = []

    def nap(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            smtp.start()
        if len(naps) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(command.time, "sleep", nap)
    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    out, err = StringIO(), StringIO()
    call_command("send_reminders", "--now", TUESDAY, "--loop", stdout=out, stderr=err)
    total = OutgoingEmail.objects.count()
    down = f"không gửi được thư: máy chủ 127.0.0.1:{smtp.port} từ chối — {total} thư đang chờ"
    assert err.getvalue().splitlines() == [down, down]
    assert out.getvalue().splitlines()[1:] == [
        "sent 0 notifications (0 emails)",
        f"sent 0 notifications ({total} emails)",
        "stopped",
    ]
    assert len(smtp.mailbox.received) == total


def test_a_temporary_refusal_is_retried_after_a_growing_wait(world, smtp):
    lead = with_address(world.lead_member)
    create_notifications(reminders=[reminder(lead)], now=T)
    smtp.mailbox.refuse["lead@example.invalid"] = "451 4.2.0 mailbox busy"
    smtp.start()
    assert deliver(now=T).failed == 1
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("queued", 1)
    assert T + timedelta(minutes=5) <= email.next_attempt_at < T + timedelta(minutes=6)
    assert deliver(now=T + timedelta(minutes=6)).failed == 1
    email.refresh_from_db()
    assert T + timedelta(minutes=16) <= email.next_attempt_at < T + timedelta(minutes=17)

    del smtp.mailbox.refuse["lead@example.invalid"]
    assert deliver(now=T + timedelta(minutes=10)).sent == 0  # still waiting
    assert deliver(now=T + timedelta(minutes=17)).sent == 1
    assert smtp.mailbox.recipients() == ["lead@example.invalid"]
    assert deliver(now=T + timedelta(hours=1)).sent == 0


def test_retry_waits_double_up_to_six_hours_and_a_message_is_given_up_after_the_last_try():
    minutes = [OutgoingEmail.retry_delay(n) / timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [5, 10, 20, 40, 80, 160, 320, 360, 360]
    email = queue_email(key="k", to="a@example.invalid", subject="s", body="b", now=T)
    email.attempts = EMAIL_MAX_ATTEMPTS - 1
    email.mark_failed("451 busy", T)
    email.refresh_from_db()
    assert email.status == "queued"
    email.attempts = EMAIL_MAX_ATTEMPTS
    email.mark_failed("451 busy", T)
    email.refresh_from_db()
    assert email.status == "failed"


def test_only_one_run_can_claim_a_message_and_a_dead_runs_claim_expires(smtp):
    email = queue_email(key="k", to="a@example.invalid", subject="s", body="b", now=T)
    same_row = OutgoingEmail.objects.get(pk=email.pk)
    assert email.claim(T) is True
    assert same_row.claim(T) is False  # a second run at the same moment gets nothing
    smtp.start()
    # The first run "died" after claiming: the message waits for the lease (10 minutes) to end.
    assert deliver(now=T + timedelta(minutes=9)).sent == 0
    assert smtp.mailbox.received == []
    assert deliver(now=T + timedelta(minutes=11)).sent == 1
    assert smtp.mailbox.recipients() == ["a@example.invalid"]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_message_once(smtp):
    if connection.vendor != "postgresql":
        pytest.skip("two threads writing at once need a server database (run on PostgreSQL)")
    for n in range(20):
        queue_email(key=f"k{n}", to=f"p{n}@example.invalid", subject="s", body="", now=T)
    smtp.mailbox.delay = 0.01
    smtp.start()
    results = []

    def one_run():
        try:
            results.append(deliver(now=T).sent)
        finally:
            connection.close()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    assert sum(results) == 20 and len(results) == 2
    assert smtp.mailbox.recipients() == sorted(f"p{n}@example.invalid" for n in range(20))
    assert statuses() == {"sent": 20}


def outbox_page(client, **query):
    return client.get("/quan-tri/reporting/outgoingemail/", query)


def test_the_administrator_sees_waiting_and_failed_mail_and_can_send_it_again(world):
    admin = world.administrator
    admin.is_staff = admin.is_superuser = True
    admin.save()
    failed = queue_email(key="a", to="a@example.invalid", subject="Nhắc việc A", body="", now=T)
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status="failed", attempts=12, last_error="SMTPRecipientsRefused: 550 no such user"
    )
    queue_email(key="b", to="b@example.invalid", subject="Nhắc việc B", body="", now=T)
    client = client_as(admin)

    html = outbox_page(client, status__exact="failed").content.decode()
    assert "a@example.invalid" in html and "550 no such user" in html
    assert "b@example.invalid" not in html
    assert "/quan-tri/reporting/outgoingemail/add/" not in html  # read-only: no adding
    assert outbox_page(client).status_code == 200
    detail = client.get(f"/quan-tri/reporting/outgoingemail/{failed.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()

    response = post_form(
        client,
        "/quan-tri/reporting/outgoingemail/",
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    response = outbox_page(client)
    assert "1 thư sẽ được gửi lại" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)


def test_the_outbox_page_is_for_staff_only(world):
    response = outbox_page(client_as(world.coordinator))
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_the_outbox_page_makes_the_same_queries_for_3_or_30_messages(world):
    admin = world.administrator
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_as(admin)

    def queries_with(count):
        OutgoingEmail.objects.all().delete()
        for n in range(count):
            queue_email(key=f"k{n}", to=f"p{n}@example.invalid", subject="s", body="", now=T)
        with CaptureQueriesContext(connection) as queries:
            assert outbox_page(client).status_code == 200
        return len(queries)

    assert queries_with(3) == queries_with(30)


@pytest.mark.parametrize(("debug", "backend"), [("1", "console"), ("0", "smtp")])
def test_development_prints_mail_on_the_console_and_production_talks_smtp(debug, backend):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEBUG"))}
    env.update(DEBUG=debug, SECRET_KEY="k3y-" + "x9Qz7" * 12)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "partrack",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == f"django.core.mail.backends.{backend}.EmailBackend", (
        result.stderr
    )


def test_reviewers_and_other_code_reach_people_through_the_same_outbox(world, smtp):
    office = with_address(world.coordinator)
    returned = Reminder(
        office.pk, Notification.Kind.REPORT_REVIEWED, "report-returned:1:1", "Báo cáo bị trả lại"
    )
    create_notifications(reminders=[returned], now=T)
    smtp.start()
    assert deliver(now=T).sent == 1
    assert smtp.mailbox.received == [("office@example.invalid", "[PARtrack] Báo cáo bị trả lại")]
    assert get_user_model().objects.get(pk=office.pk).notifications.get().emailed_at is not None
