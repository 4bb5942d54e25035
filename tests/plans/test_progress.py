"""Recording progress: the rules, the messages, and no update ever lost."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from partrack.plans import services
from partrack.plans.models import ProgressUpdate, Status
from tests.conftest import post_form

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def record(world, **changes):
    fields = {
        "task": world.task,
        "by": world.lead_member,
        "unit": world.lead_unit,
        "status": Status.IN_PROGRESS,
        "percent": 30,
        "narrative": "",
        "done_on": None,
        "expected_version": world.task.version,
    }
    return services.record_progress(**{**fields, **changes})


def test_each_update_keeps_before_and_after_in_the_history(world):
    record(world, percent=30)
    record(
        world,
        status=Status.DONE,
        done_on=date(2026, 3, 1),
        narrative="Đã trình",
        no_evidence_reason="Văn bản mật, không đính kèm",
    )
    first, second = ProgressUpdate.objects.order_by("pk")
    assert (first.previous_status, first.status, first.previous_percent, first.percent) == (
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        0,
        30,
    )
    assert (second.previous_status, second.status, second.percent) == (
        Status.IN_PROGRESS,
        Status.DONE,
        100,
    )
    world.task.refresh_from_db()
    assert (world.task.status, world.task.done_on, world.task.version) == (
        Status.DONE,
        date(2026, 3, 1),
        3,
    )


def test_done_needs_a_done_date(world):
    with pytest.raises(ValidationError) as error:
        record(world, status=Status.DONE)
    assert "ngày hoàn thành" in str(error.value)
    assert not ProgressUpdate.objects.exists()


@time_machine.travel(date(2026, 5, 1))
def test_done_date_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError):
        record(world, status=Status.DONE, done_on=date(2026, 5, 2))


def test_cannot_do_needs_a_reason(world):
    with pytest.raises(ValidationError):
        record(world, status=Status.CANNOT_DO, narrative="  ")


def test_a_stale_version_is_refused_and_changes_nothing(world):
    record(world, percent=30)
    with pytest.raises(services.StaleTask):
        record(world, percent=90, expected_version=1)
    world.task.refresh_from_db()
    assert world.task.percent == 30
    assert ProgressUpdate.objects.count() == 1


def test_double_submit_of_one_form_saves_once_and_explains_the_second(world):
    client = world.client(world.lead_member)
    form = {
        "status": "in_progress",
        "percent": "50",
        "narrative": "Đã họp",
        "done_on": "",
        "version": "1",
    }
    url = f"/nhiem-vu/{world.task.pk}/tien-do/"
    assert post_form(client, url, form).status_code == 302
    second = post_form(client, url, form)
    assert second.status_code == 409
    page = second.content.decode()
    assert "vừa được người khác cập nhật" in page
    assert "Đã họp" in page  # what the person typed is still in the form
    assert ProgressUpdate.objects.count() == 1


def test_a_wrong_date_gets_a_vietnamese_message_and_saves_nothing(world):
    response = post_form(
        world.client(world.lead_member),
        f"/nhiem-vu/{world.task.pk}/tien-do/",
        {
            "status": "done",
            "percent": "100",
            "narrative": "x",
            "done_on": "31/02/2026",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_done_without_date_through_the_form_shows_the_rule(world):
    response = post_form(
        world.client(world.lead_member),
        f"/nhiem-vu/{world.task.pk}/tien-do/",
        {"status": "done", "percent": "100", "narrative": "x", "done_on": "", "version": "1"},
    )
    assert response.status_code == 400
    assert "cần có ngày hoàn thành" in response.content.decode()


def test_done_date_is_read_as_day_month_year(world):
    response = post_form(
        world.client(world.lead_member),
        f"/nhiem-vu/{world.task.pk}/tien-do/",
        {
            "status": "done",
            "percent": "100",
            "narrative": "",
            "done_on": "05/03/2026",
            "evidence_number": "12/BC-CĐS",
            "version": "1",
        },
    )
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert world.task.done_on == date(2026, 3, 5)
    page = world.client(world.lead_member).get(world.task.get_absolute_url()).content.decode()
    assert "05/03/2026" in page


def test_percent_out_of_range_is_refused(world):
    response = post_form(
        world.client(world.lead_member),
        f"/nhiem-vu/{world.task.pk}/tien-do/",
        {"status": "in_progress", "percent": "140", "narrative": "", "done_on": "", "version": "1"},
    )
    assert response.status_code == 400
    assert "Tiến độ từ 0 đến 100." in response.content.decode()


def test_empty_contribution_is_refused(world):
    response = post_form(
        world.client(world.helping_member),
        f"/nhiem-vu/{world.task.pk}/phoi-hop/",
        {"narrative": ""},
    )
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()


def test_history_shows_who_did_what(world):
    record(world, percent=30, narrative="Đã gửi dự thảo")
    services.add_contribution(
        task=world.task,
        by=world.helping_member,
        unit=world.helping_unit,
        narrative="Góp ý kinh phí",
    )
    page = world.client(world.leader).get(world.task.get_absolute_url()).content.decode()
    assert "Đã gửi dự thảo" in page
    assert "Góp ý kinh phí" in page
    assert "Phòng Kế hoạch Tài chính" in page
    assert "Chưa thực hiện → " in page


def progress_form(world, **changes):
    return {
        "status": "done",
        "percent": "100",
        "narrative": "Đã ban hành",
        "done_on": "05/03/2026",
        "evidence_number": "12/BC-CĐS",
        "version": str(world.task.version),
        **changes,
    }


@time_machine.travel("2026-05-01 09:00 +07:00")
def test_a_completion_date_before_the_plan_starts_or_in_the_future_is_refused_in_vietnamese(
    world,
):
    url = f"/nhiem-vu/{world.task.pk}/tien-do/"
    client = world.client(world.lead_member)
    for typed, message in [
        ("14/12/2025", "Ngày hoàn thành không thể trước khi Kế hoạch bắt đầu (15/12/2025)."),
        ("01/01/2019", "Ngày hoàn thành không thể trước khi Kế hoạch bắt đầu (15/12/2025)."),
        ("02/05/2026", "Ngày hoàn thành không thể sau hôm nay."),
        ("14/03/2099", "Ngày hoàn thành không thể sau hôm nay."),
    ]:
        response = post_form(client, url, progress_form(world, done_on=typed))
        assert response.status_code == 400, typed
        page = response.content.decode()
        assert message in page, typed
        assert "Đã ban hành" in page  # nothing typed is lost
    assert not ProgressUpdate.objects.exists()
    # The first day of the plan's first data window (581/BNV) is accepted.
    assert post_form(client, url, progress_form(world, done_on="15/12/2025")).status_code == 302


def test_a_plan_issued_before_its_first_window_starts_on_its_issue_date(world):
    world.plan.issued_on = date(2025, 11, 20)
    world.plan.save()
    assert services.plan_start(world.plan) == date(2025, 11, 20)
    with time_machine.travel("2026-05-01 09:00 +07:00"):
        record(world, status=Status.DONE, done_on=date(2025, 11, 25), no_evidence_reason="Mật")
        with pytest.raises(ValidationError):
            record(world, status=Status.DONE, done_on=date(2025, 11, 19), no_evidence_reason="x")


def accept_q1_report(world, day="2026-03-09 10:00 +07:00"):
    from partrack.plans.models import ReportingPeriod
    from partrack.reporting import services as reporting

    period = ReportingPeriod.objects.get(plan=world.plan, kind="q1")
    with time_machine.travel(day):
        report = reporting.start_unit_report(period=period, unit=world.lead_unit)
        reporting.submit_unit_report(report=report, by=world.lead_member)
        reporting.accept_unit_report(report=report, by=world.coordinator)
    return report


def test_a_change_after_the_periods_report_was_accepted_is_allowed_but_marked(world):
    with time_machine.travel("2026-03-02 09:00 +07:00"):
        record(world, percent=40)
    report = accept_q1_report(world)
    with time_machine.travel("2026-03-12 09:00 +07:00"):
        world.task.refresh_from_db()
        update = record(world, percent=70, expected_version=world.task.version)
    update.refresh_from_db()
    assert update.after_acceptance_of == report.period
    history = world.client(world.leader).get(world.task.get_absolute_url()).content.decode()
    assert "Thay đổi sau khi báo cáo Quý I 2026 được chấp nhận" in history
    page = world.client(world.coordinator).get(report.get_absolute_url()).content.decode()
    entry = page.split(f'id="entry-{report.entries.get(task=world.task).pk}"')[1]
    assert "thay đổi sau khi báo cáo được chấp nhận" in entry.split("</li>")[0]


def test_the_next_periods_news_is_not_a_change_to_the_accepted_report(world):
    report = accept_q1_report(world)
    with time_machine.travel("2026-04-20 09:00 +07:00"):
        update = record(world, percent=80)
        world.task.refresh_from_db()
        # … but a completion dated back inside the accepted window is.
        backdated = record(
            world,
            status=Status.DONE,
            done_on=date(2026, 3, 1),
            no_evidence_reason="Văn bản mật",
            expected_version=world.task.version,
        )
    update.refresh_from_db()
    backdated.refresh_from_db()
    assert update.after_acceptance_of is None
    assert backdated.after_acceptance_of == report.period
    page = world.client(world.lead_member).get(report.get_absolute_url()).content.decode()
    assert page.count("changed-after-acceptance") == 1
