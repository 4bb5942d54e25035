"""Reminders before and after deadlines, and the Monday digest: each sent once, in app and mail."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from partrack.org.models import Membership, Unit
from partrack.plans.models import Plan, ReportingPeriod, Status, Task
from partrack.reporting.management.commands import send_reminders as command
from partrack.reporting.models import Notification, UnitReport
from partrack.reporting.reminders import reminder_for

pytestmark = pytest.mark.django_db


def run(now, *args):
    out = StringIO()
    call_command("send_reminders", "--now", now, *args, stdout=out)
    return out.getvalue().strip()


def person(login):
    return get_user_model().objects.get(username=login)


def keys_of(login):
    return set(Notification.objects.filter(user__username=login).values_list("key", flat=True))


def demo_task(number):
    return Task.objects.get(plan__agency__short_name="SKHCN", number=number)


def q1(plan):
    return ReportingPeriod.objects.get(plan=plan, kind=ReportingPeriod.Kind.Q1)


def unit(short_name):
    return Unit.objects.get(agency__short_name="SKHCN", short_name=short_name)


def test_sending_reminders_on_the_demo_notifies_and_emails_once(demo):
    output = run("2026-03-03T08:00")
    created = Notification.objects.count()
    assert created > 0
    assert output == f"sent {created} notifications ({len(mail.outbox)} emails)"
    assert len(mail.outbox) > 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0

    assert run("2026-03-03T08:00") == "sent 0 notifications (0 emails)"
    assert Notification.objects.count() == created
    assert run("2026-03-03T16:45") == "sent 0 notifications (0 emails)"


def test_each_person_gets_one_email_listing_all_their_new_notifications(demo):
    run("2026-03-03T08:00")
    to_cds = [message for message in mail.outbox if message.to == ["phongcds@example.invalid"]]
    assert len(to_cds) == 1
    period = q1(demo)
    assert f"report-due:{period.pk}:{unit('CĐS').pk}:7d" in keys_of("phongcds")
    assert "Hạn gửi báo cáo Quý I 2026 của Phòng Chuyển đổi số: 10/03/2026" in to_cds[0].body
    assert "Cài đặt nhắc việc" in to_cds[0].body
    assert len({tuple(message.to) for message in mail.outbox}) == len(mail.outbox)


def test_emails_link_to_the_site_when_its_address_is_set(demo, settings):
    settings.PARTRACK_SITE_URL = "https://cchc.example.vn/"
    # Sent, so that the only reminder of the day is the task's.
    UnitReport.objects.create(period=q1(demo), unit=unit("CĐS"), status="submitted")
    run("2026-03-24T08:00")
    task = demo_task(33)
    (message,) = [m for m in mail.outbox if m.to == ["phongcds@example.invalid"]]
    assert message.subject == "[PARtrack] Nhiệm vụ 33 sắp đến hạn ngày 31/03/2026 (còn 7 ngày)"
    assert f"https://cchc.example.vn/nhiem-vu/{task.pk}/" in message.body
    assert "https://cchc.example.vn/cai-dat/" in message.body


def test_person_with_email_reminders_off_gets_notifications_in_the_app_but_no_email(demo):
    Membership.objects.filter(user__username="phongcds").update(email_reminders=False)
    run("2026-03-03T08:00")
    assert keys_of("phongcds")
    assert (
        Notification.objects.filter(user__username="phongcds", emailed_at__isnull=False).count()
        == 0
    )
    recipients = {address for message in mail.outbox for address in message.to}
    assert "phongcds@example.invalid" not in recipients
    assert "phongkhtc@example.invalid" in recipients


def test_person_without_an_email_address_gets_notifications_in_the_app_only(demo):
    get_user_model().objects.filter(username="phongcds").update(email="")
    output = run("2026-03-03T08:00")
    assert keys_of("phongcds")
    assert output.endswith(f"({len(mail.outbox)} emails)")
    assert all(message.to != [""] for message in mail.outbox)


def test_seven_and_one_day_reminders_for_a_task_due_at_the_end_of_quarter_one(demo):
    task = demo_task(33)
    assert task.due_date.isoformat() == "2026-03-31"
    fired = {}
    for day in range(22, 32):
        run(f"2026-03-{day:02d}T08:00")
        fired[day] = {k for k in keys_of("phongcds") if k.startswith(f"task-due:{task.pk}:")}
    assert fired[23] == set()
    assert fired[24] == {f"task-due:{task.pk}:7d"}
    assert fired[29] == {f"task-due:{task.pk}:7d"}
    assert fired[30] == {f"task-due:{task.pk}:7d", f"task-due:{task.pk}:1d"}
    assert fired[31] == fired[30]
    seven = Notification.objects.get(user__username="phongcds", key=f"task-due:{task.pk}:7d")
    assert seven.title == "Nhiệm vụ 33 sắp đến hạn ngày 31/03/2026 (còn 7 ngày)"
    assert seven.url == task.get_absolute_url()
    assert seven.kind == Notification.Kind.TASK_DUE


def test_task_reminders_go_to_the_lead_unit_and_not_to_other_units(demo):
    run("2026-03-24T08:00")
    key = f"task-due:{demo_task(33).pk}:7d"
    assert key in keys_of("phongcds")
    assert key not in keys_of("phongkhtc")
    assert key not in keys_of("lanhdao")
    assert key not in keys_of("vanphong")


def test_tasks_the_office_leads_remind_its_coordinator(demo):
    run("2026-03-24T08:00")
    office_task = demo_task(30)  # Quý I/ 2026, in progress, led by Văn phòng Sở
    assert f"task-due:{office_task.pk}:7d" in keys_of("vanphong")
    assert f"task-due:{office_task.pk}:7d" not in keys_of("phongcds")


def test_a_run_after_missed_days_sends_only_the_nearest_reminder(demo):
    task = demo_task(33)
    run("2026-03-31T08:00")
    assert {k for k in keys_of("phongcds") if k.startswith("task-")} >= {f"task-due:{task.pk}:1d"}
    assert f"task-due:{task.pk}:7d" not in keys_of("phongcds")
    notification = Notification.objects.get(user__username="phongcds", key=f"task-due:{task.pk}:1d")
    assert "hạn cuối là hôm nay" in notification.title


def test_overdue_reminder_comes_on_the_day_after_the_due_date(demo):
    task = demo_task(33)
    run("2026-03-31T23:00")
    assert f"task-overdue:{task.pk}" not in keys_of("phongcds")
    run("2026-04-01T06:00")
    assert f"task-overdue:{task.pk}" in keys_of("phongcds")
    overdue = Notification.objects.get(user__username="phongcds", key=f"task-overdue:{task.pk}")
    assert overdue.kind == Notification.Kind.TASK_OVERDUE
    assert overdue.title == "Nhiệm vụ 33 đã quá hạn (hạn 31/03/2026)"


def test_long_overdue_tasks_are_left_to_the_digest(demo):
    run("2026-03-03T08:00")
    # Task 14 was due 31/01/2026 and is not done: a month late, too late for its own reminder.
    assert not any(k.startswith("task-overdue:") for k in keys_of("vanphong"))


def test_a_naive_now_is_vietnam_time(demo):
    task = demo_task(33)
    run("2026-03-23T23:30")
    assert f"task-due:{task.pk}:7d" not in keys_of("phongcds")
    run("2026-03-23T17:30:00+00:00")  # 00:30 on 24/3 in Hà Nội
    assert f"task-due:{task.pk}:7d" in keys_of("phongcds")


def test_no_reminders_for_done_continuous_or_undated_tasks_or_plans_not_active(world):
    world.add_task(number=2, content="Đã xong", deadline_text="Quý I/2026", status=Status.DONE)
    world.add_task(number=3, content="Thường xuyên", deadline_text="Thường xuyên")
    world.add_task(number=4, content="Theo yêu cầu", deadline_text="Theo yêu cầu của UBND tỉnh")
    draft = Plan.objects.create(agency=world.agency, year=2026, title="Dự thảo", status="draft")
    in_draft = world.add_task(number=5, content="Trong dự thảo", deadline_text="Quý I/2026")
    Task.objects.filter(pk=in_draft.pk).update(plan=draft)
    run("2026-03-31T08:00")
    assert {k for k in keys_of("lead") if k.startswith("task-")} == {f"task-due:{world.task.pk}:1d"}


def test_report_due_reminders_go_to_units_that_have_not_submitted(demo):
    period = q1(demo)
    UnitReport.objects.create(period=period, unit=unit("KHTC"), status=UnitReport.Status.SUBMITTED)
    UnitReport.objects.create(period=period, unit=unit("CĐS"), status=UnitReport.Status.RETURNED)
    run("2026-03-02T08:00")
    assert not any(k.startswith("report-") for k in keys_of("phongcds"))  # 8 days ahead: none yet
    run("2026-03-03T08:00")
    assert f"report-due:{period.pk}:{unit('CĐS').pk}:7d" in keys_of("phongcds")
    assert f"report-due:{period.pk}:{unit('VP').pk}:7d" in keys_of("vanphong")
    assert not any(k.startswith("report-") for k in keys_of("phongkhtc"))
    run("2026-03-09T08:00")
    assert f"report-due:{period.pk}:{unit('CĐS').pk}:1d" in keys_of("phongcds")
    assert not any(k.startswith("report-") for k in keys_of("phongkhtc"))
    assert not any(k.startswith("report-") for k in keys_of("lanhdao"))


def test_report_reminders_of_another_agency_stay_in_it(demo):
    run("2026-03-03T08:00")
    justice_q1 = ReportingPeriod.objects.get(plan__agency__short_name="STP", kind="q1")
    justice_office = Unit.objects.get(agency__short_name="STP", is_coordinator=True)
    assert {k for k in keys_of("sotuphap") if k.startswith("report-")} == {
        f"report-due:{justice_q1.pk}:{justice_office.pk}:7d"
    }
    assert not any(k.startswith(f"report-due:{justice_q1.pk}:") for k in keys_of("phongcds"))


def test_report_overdue_comes_the_day_after_the_unit_deadline_if_still_not_submitted(demo):
    period = q1(demo)
    UnitReport.objects.create(period=period, unit=unit("KHTC"), status=UnitReport.Status.ACCEPTED)
    UnitReport.objects.create(period=period, unit=unit("CĐS"), status=UnitReport.Status.DRAFT)
    run("2026-03-10T20:00")
    assert f"report-overdue:{period.pk}:{unit('CĐS').pk}" not in keys_of("phongcds")
    run("2026-03-11T07:00")
    assert f"report-overdue:{period.pk}:{unit('CĐS').pk}" in keys_of("phongcds")
    assert not any(k.startswith("report-overdue") for k in keys_of("phongkhtc"))


def test_a_missing_report_is_chased_every_week_until_it_comes(demo):
    period = q1(demo)
    overdue = f"report-overdue:{period.pk}:{unit('CĐS').pk}"

    def chasers():
        return sorted(k for k in keys_of("phongcds") if k.startswith(overdue))

    run("2026-03-11T07:00")
    run("2026-03-17T07:00")
    assert chasers() == [overdue]
    run("2026-03-18T07:00")
    assert chasers() == [overdue, f"{overdue}:2"]
    # Months later it is still chased, with how late it is now.
    run("2026-06-02T07:00")
    assert f"{overdue}:12" in chasers()
    latest = Notification.objects.get(user__username="phongcds", key=f"{overdue}:12")
    assert latest.title == ("Báo cáo Quý I 2026 của Phòng Chuyển đổi số: chưa gửi, quá hạn 84 ngày")
    # Once it comes, the chasing stops, even while the office has it back for a fix.
    report = UnitReport.objects.create(period=period, unit=unit("CĐS"), status="submitted")
    before = chasers()
    run("2026-06-09T07:00")
    assert chasers() == before
    UnitReport.objects.filter(pk=report.pk).update(
        status="returned", first_submitted_at=timezone.now()
    )
    run("2026-06-16T07:00")
    assert chasers() == before


def test_monday_digest_to_leaders_lists_overdue_tasks_and_units_yet_to_report(demo):
    UnitReport.objects.create(
        period=q1(demo), unit=unit("KHTC"), status=UnitReport.Status.SUBMITTED
    )
    run("2026-03-02T08:00")  # a Monday
    digest = Notification.objects.get(user__username="lanhdao", kind=Notification.Kind.DIGEST)
    assert digest.key == f"digest:{demo.agency_id}:2026-W10"
    assert "Nhiệm vụ quá hạn:" in digest.body
    for number in (14, 18, 19, 20):  # Trong tháng 01/2026, not done
        assert f"\n- {number}. " in digest.body
    assert "\n- 13. " not in digest.body  # done in January
    assert "Đơn vị chưa gửi báo cáo Quý I 2026 (hạn 10/03/2026):" in digest.body
    assert "- Phòng Chuyển đổi số" in digest.body
    assert "- Phòng Kế hoạch Tài chính" not in digest.body
    assert digest.url == f"/ke-hoach/{demo.pk}/tong-quan/"
    assert not Notification.objects.filter(user__username="phongcds", kind="digest").exists()
    assert not Notification.objects.filter(user__username="sotuphap", kind="digest").exists()
    assert any(message.to == ["lanhdao@example.invalid"] for message in mail.outbox)


def test_digest_is_weekly_on_mondays_only(demo):
    run("2026-03-03T08:00")  # Tuesday
    assert not Notification.objects.filter(kind=Notification.Kind.DIGEST).exists()
    run("2026-03-09T08:00")
    run("2026-03-09T18:00")
    assert Notification.objects.filter(user__username="lanhdao", kind="digest").count() == 1


def test_reminder_days_come_from_settings(demo, settings):
    settings.PARTRACK_REMINDER_DAYS = (3,)
    task = demo_task(33)
    run("2026-03-24T08:00")
    assert f"task-due:{task.pk}:7d" not in keys_of("phongcds")
    run("2026-03-28T08:00")
    assert f"task-due:{task.pk}:3d" in keys_of("phongcds")


def test_the_nearest_reminder_is_the_smallest_n_not_below_the_days_left():
    days = [7, 1]
    assert [reminder_for(left, days) for left in (9, 8, 7, 6, 2, 1, 0, -1)] == [
        None,
        None,
        7,
        7,
        7,
        1,
        1,
        None,
    ]


def test_inactive_people_get_no_reminders(demo):
    get_user_model().objects.filter(username="phongcds").update(is_active=False)
    run("2026-03-03T08:00")
    assert keys_of("phongcds") == set()


MISTAKES = [
    (("--now", "3/3/2026"), "--now phải là ngày giờ dạng 2026-03-03T08:00, không phải '3/3/2026'"),
    (
        ("--now", "9999-12-31T23:59"),
        "--now 9999-12-31T23:59: năm 9999 không hợp lý (chỉ nhận từ năm 2000 đến 2099)",
    ),
    (("--interval", "0"), "--interval 0: phải từ 1 đến 86400 giây (một ngày)"),
    (("--interval", "-5"), "--interval -5: phải từ 1 đến 86400 giây (một ngày)"),
    (("--loop", "--interval", "soon"), "--interval phải là một số giây, không phải 'soon'"),
]


@pytest.mark.parametrize(("args", "line"), MISTAKES)
def test_a_mistyped_argument_is_refused_in_one_line_before_anything_is_sent(args, line):
    with pytest.raises(CommandError) as refused:
        call_command("send_reminders", *args, stdout=StringIO())
    assert str(refused.value) == line
    assert refused.value.returncode == 2
    assert not Notification.objects.exists()


def test_a_mistyped_argument_exits_2_with_one_line_and_no_traceback(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "partrack", "send_reminders", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args, _line in MISTAKES
    ]
    for process, (_args, line) in zip(runs, MISTAKES, strict=True):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 2, err
        assert err == f"CommandError: {line}\n"
        assert out == ""


def test_loop_repeats_and_each_round_sends_only_what_is_new(demo, monkeypatch):
    naps = []

    def nap(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(command.time, "sleep", nap)
    # Between rounds the command drops stale connections; inside a test's transaction that would
    # close the very connection the test runs in (PostgreSQL).
    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    lines = run("2026-03-03T08:00", "--loop", "--interval", "5").splitlines()
    assert naps == [5, 5]
    assert lines[0].startswith("sent ") and lines[0] != "sent 0 notifications (0 emails)"
    assert lines[1:] == ["sent 0 notifications (0 emails)", "stopped"]
