"""Tasks as offices use them (issue 14): added tasks, sub-items, extensions and confirmed
completions, each rule through its service."""

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from partrack.plans import services
from partrack.plans.models import (
    Completion,
    ExtensionRequest,
    ProgressUpdate,
    State,
    Status,
    Task,
)

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day):
    return datetime(day.year, day.month, day.day, 9, tzinfo=HCM)


def record(task, by, status, *, done_on=None, percent=0, reason="", now=None, **kw):
    task.refresh_from_db()
    return services.record_progress(
        task=task,
        by=by,
        unit=by.membership.unit,
        status=status,
        percent=percent,
        narrative=kw.pop("narrative", ""),
        done_on=done_on,
        expected_version=task.version,
        no_evidence_reason="Không có văn bản" if status == Status.DONE else "",
        status_reason=reason,
        now=now,
        **kw,
    )


def sql_state(task, today):
    return Task.objects.with_state(today).get(pk=task.pk).state_code


def assert_same_state(task, today, expected):
    task.refresh_from_db()
    assert task.state(today) == expected
    assert sql_state(task, today) == expected


# Added tasks.


def test_the_office_adds_a_task_numbered_after_the_last_and_marked_as_added(world):
    task = services.add_task(
        plan=world.plan,
        by=world.coordinator,
        area=world.area,
        content="Tuyên truyền CCHC trên trang thông tin điện tử",
        reason="Nêu tại Mục III của Kế hoạch",
        lead_units=[world.lead_unit],
        deadline_text="Quý III/2026",
        now=at(date(2026, 2, 5)),
    )
    assert task.number == 2 and task.is_added and task.added_by == world.coordinator
    assert task.due_date == date(2026, 9, 30)
    assert list(task.lead_units.all()) == [world.lead_unit]
    entry = task.updates.get()
    assert entry.kind == ProgressUpdate.Kind.ADDED
    assert entry.narrative == "Nêu tại Mục III của Kế hoạch"
    # Tracked like the others: it is in the unit's list and has a state.
    assert task in Task.objects.led_by(world.lead_unit)
    assert_same_state(task, date(2026, 10, 1), State.OVERDUE)


def test_an_added_task_needs_a_reason_a_lead_unit_and_a_deadline(world):
    with pytest.raises(ValidationError) as error:
        services.add_task(
            plan=world.plan,
            by=world.coordinator,
            area=world.area,
            content="Việc phát sinh",
            reason=" ",
            lead_units=[],
        )
    assert set(error.value.message_dict) == {"reason", "lead_units", "deadline_text"}
    assert Task.objects.filter(plan=world.plan).count() == 1


def test_a_revision_import_keeps_the_office_added_task_and_its_history(demo_at_work):
    demo = demo_at_work
    office = demo.agency.memberships.get(role="coordinator").user
    before = copy.deepcopy(demo.as_data())
    added = Task.objects.get(plan=demo, added_at__isnull=False)
    data = copy.deepcopy(before)
    # The revised document: the seed's rows only (it never names the office's task), one
    # reworded and one dropped.
    for section in data["sections"]:
        section["tasks"] = [r for r in section["tasks"] if r["content"] != added.content]
    rows = {r["no"]: r for s in data["sections"] for r in s["tasks"]}
    rows[31]["content"] = "Xây dựng dự toán ngân sách năm 2027 và kế hoạch tài chính 3 năm"
    data["sections"][6]["tasks"] = [r for r in data["sections"][6]["tasks"] if r["no"] != 36]

    changes = services.plan_changes(demo, data)
    assert [c.task.number for c in changes.removed] == [36]
    assert changes.kept == [added]
    services.revise_plan(plan=demo, data=data, by=office)

    kept = Task.objects.get(pk=added.pk)
    assert kept.is_added and kept.content == added.content and kept.area_id == added.area_id
    assert kept.updates.filter(kind=ProgressUpdate.Kind.ADDED).exists()
    assert not Task.objects.filter(plan=demo, number=36).exists()
    # It comes after the document's tasks of the plan.
    assert kept.order > Task.objects.filter(plan=demo, added_at__isnull=True).count()
    # The plan's own export, imported again, names it: still one task, not two.
    again = services.plan_changes(demo, demo.as_data())
    assert not again.added and not again.removed and again.kept == []


# Sub-items.


def test_the_task_status_follows_its_sub_items(world):
    task = world.task
    for content in ("Giao dự toán", "Giao tự chủ", "Quản lý tài sản công"):
        services.add_sub_item(task=task, by=world.lead_member, content=content)
    items = list(task.sub_items.all())
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.NOT_STARTED, 0)

    services.record_sub_item(
        item=items[0],
        by=world.lead_member,
        unit=world.lead_unit,
        status=Status.DONE,
        done_on=date(2026, 1, 9),
        evidence=[services.NewEvidence(number_symbol="05/QĐ-SKHCN", summary="Giao dự toán")],
        now=at(date(2026, 1, 10)),
    )
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.IN_PROGRESS, 33)
    assert items[0].evidence.get().number_symbol == "05/QĐ-SKHCN"
    assert task.evidence.count() == 1  # the sub-item's evidence is the task's too

    services.record_sub_item(
        item=items[1], by=world.lead_member, unit=world.lead_unit, status=Status.CANNOT_DO,
        done_on=None, note="Đơn vị sự nghiệp đã sáp nhập", now=at(date(2026, 2, 1)),
    )  # fmt: skip
    services.record_sub_item(
        item=items[2], by=world.lead_member, unit=world.lead_unit, status=Status.DONE,
        done_on=date(2026, 3, 20), no_evidence_reason="Biên bản kiểm kê nội bộ",
        now=at(date(2026, 3, 21)),
    )  # fmt: skip
    task.refresh_from_db()
    # Every sub-item that can be done is done: the task is done on the last one's day.
    assert (task.status, task.percent, task.done_on) == (Status.DONE, 100, date(2026, 3, 20))
    assert_same_state(task, date(2026, 4, 1), State.DONE_ON_TIME)
    lines = [u.narrative for u in task.updates.all()]
    assert any("Quản lý tài sản công" in line and "Đã hoàn thành" in line for line in lines)


def test_a_done_sub_item_needs_a_date_and_evidence_or_a_reason(world):
    item = services.add_sub_item(task=world.task, by=world.coordinator, content="Báo cáo")
    with pytest.raises(ValidationError) as error:
        services.record_sub_item(
            item=item, by=world.coordinator, unit=world.office, status=Status.DONE,
            done_on=date(2026, 1, 9),
        )  # fmt: skip
    assert "no_evidence_reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED


def test_the_lead_sets_a_status_other_than_the_sub_items_only_with_a_reason(world):
    task = world.task
    services.add_sub_item(task=task, by=world.lead_member, content="Một")
    item = services.add_sub_item(task=task, by=world.lead_member, content="Hai")
    with pytest.raises(ValidationError) as error:
        record(task, world.lead_member, Status.IN_PROGRESS, percent=50)
    assert "status_reason" in error.value.message_dict
    record(task, world.lead_member, Status.IN_PROGRESS, percent=50, reason="Đã khởi động cả hai")
    task.refresh_from_db()
    assert task.status_set_by_hand and task.status_reason == "Đã khởi động cả hai"
    # A later sub-item change leaves the status the lead set alone.
    services.record_sub_item(
        item=item, by=world.lead_member, unit=world.lead_unit, status=Status.NOT_STARTED,
        done_on=None,
    )  # fmt: skip
    task.refresh_from_db()
    assert (task.status, task.percent) == (Status.IN_PROGRESS, 50)
    # Back to what the sub-items say: derived again, no reason needed.
    record(task, world.lead_member, Status.NOT_STARTED)
    task.refresh_from_db()
    assert not task.status_set_by_hand and task.status_reason == ""


# Extensions.


def ask(world, task, to_date, *, now=date(2026, 3, 20), reason="Chờ ý kiến của Tỉnh ủy"):
    return services.request_extension(
        task=task, by=world.lead_member, unit=world.lead_unit, to_date=to_date, reason=reason,
        now=at(now),
    )  # fmt: skip


def test_a_granted_extension_moves_the_chase_but_not_the_plans_date(world):
    task = world.task  # Quý I/2026: due 31/03/2026
    request = ask(world, task, date(2026, 6, 30))
    assert request.from_date == date(2026, 3, 31)
    # Waiting: nothing moves.
    assert_same_state(task, date(2026, 4, 1), State.OVERDUE)
    services.decide_extension(
        request=request, by=world.coordinator, grant=True, now=at(date(2026, 3, 23))
    )
    task.refresh_from_db()
    assert task.due_date == date(2026, 3, 31) and task.extended_to == date(2026, 6, 30)
    assert task.extension_text == "gia hạn từ 31/03/2026 đến 30/06/2026"
    # Past the plan's date, within the extension: open, not overdue; chased on the new date.
    assert_same_state(task, date(2026, 4, 1), State.NOT_STARTED)
    assert_same_state(task, date(2026, 6, 20), State.DUE_SOON)
    assert_same_state(task, date(2026, 7, 1), State.OVERDUE)
    # Done within the extension but after the plan's date: never on time.
    with time_machine.travel(at(date(2026, 6, 25))):
        record(task, world.lead_member, Status.DONE, done_on=date(2026, 6, 25))
    assert_same_state(task, date(2026, 7, 1), State.DONE_LATE)
    kinds = list(task.updates.values_list("kind", flat=True))
    assert kinds.count(ProgressUpdate.Kind.EXTENSION) == 2


def test_a_refusal_says_why_and_leaves_the_date(world):
    request = ask(world, world.task, date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.decide_extension(request=request, by=world.coordinator, grant=False)
    services.decide_extension(
        request=request, by=world.coordinator, grant=False, comment="Nhiệm vụ cấp bách"
    )
    world.task.refresh_from_db()
    assert world.task.extended_to is None
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.REFUSED
    # Decided once: a second answer (another tab) is refused.
    with pytest.raises(ValidationError):
        services.decide_extension(request=request, by=world.coordinator, grant=True)
    world.task.refresh_from_db()
    assert world.task.extended_to is None


def test_one_request_per_task_unless_the_office_allows_more(world):
    task = world.task
    with pytest.raises(ValidationError, match="sau hạn hiện tại"):
        ask(world, task, date(2026, 3, 31))
    first = ask(world, task, date(2026, 5, 31))
    with pytest.raises(ValidationError, match="đang chờ"):
        ask(world, task, date(2026, 6, 30))
    services.decide_extension(request=first, by=world.coordinator, grant=True)
    task.refresh_from_db()
    with pytest.raises(ValidationError, match="hết số lần"):
        ask(world, task, date(2026, 6, 30), now=date(2026, 5, 20))
    services.allow_another_extension(task=task, by=world.coordinator)
    second = ask(world, task, date(2026, 6, 30), now=date(2026, 5, 20))
    assert second.from_date == date(2026, 5, 31)  # from the extension in force
    assert task.extension_requests.count() == 2


def test_an_undated_continuous_or_finished_task_cannot_be_extended(world):
    continuous = world.add_task(number=2, content="Thường xuyên", deadline_text="Thường xuyên")
    on_request = world.add_task(number=3, content="Theo yêu cầu", deadline_text="Theo kế hoạch")
    for task in (continuous, on_request):
        with pytest.raises(ValidationError, match="hạn hoàn thành cụ thể"):
            ask(world, task, date(2026, 12, 31))
    with time_machine.travel(at(date(2026, 3, 1))):
        record(world.task, world.lead_member, Status.DONE, done_on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="đã kết thúc"):
        ask(world, world.task, date(2026, 6, 30))
    assert not ExtensionRequest.objects.exists()


# Confirmed completions.


def test_a_units_done_waits_for_the_office_and_counts_once_confirmed(world):
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    task = world.task
    task.plan.refresh_from_db()
    with time_machine.travel(at(date(2026, 3, 25))):
        update = record(task, world.lead_member, Status.DONE, done_on=date(2026, 3, 25))
    assert update.kind == ProgressUpdate.Kind.COMPLETION
    task.refresh_from_db()
    assert task.completion == Completion.PENDING and task.status == Status.NOT_STARTED
    assert task.get_completion_display() == "Đã báo cáo hoàn thành — chờ xác nhận"
    # Not done in any figure while it waits.
    assert_same_state(task, date(2026, 3, 26), State.DUE_SOON)
    assert_same_state(task, date(2026, 4, 2), State.OVERDUE)
    assert Task.objects.filter(pk=task.pk).finished().count() == 0

    services.confirm_completion(task=task, by=world.coordinator, now=at(date(2026, 4, 2)))
    task.refresh_from_db()
    assert (task.status, task.done_on, task.completion) == (Status.DONE, date(2026, 3, 25), "")
    # Done on the day the unit reported: on time, though the office confirmed later.
    assert_same_state(task, date(2026, 4, 2), State.DONE_ON_TIME)
    with pytest.raises(ValidationError):
        services.confirm_completion(task=task, by=world.coordinator)


def test_the_office_returns_a_done_with_a_comment_and_the_task_stays_open(world):
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    task = world.task
    task.plan.refresh_from_db()
    with time_machine.travel(at(date(2026, 3, 25))):
        record(task, world.lead_member, Status.DONE, done_on=date(2026, 3, 25))
    with pytest.raises(ValidationError):
        services.return_completion(task=task, by=world.coordinator, comment="")
    services.return_completion(task=task, by=world.coordinator, comment="Thiếu văn bản ban hành")
    task.refresh_from_db()
    assert task.completion == Completion.RETURNED and task.status == Status.NOT_STARTED
    assert task.updates.first().narrative == "Thiếu văn bản ban hành"
    # The unit updates again: the return is answered.
    record(task, world.lead_member, Status.IN_PROGRESS, percent=90)
    task.refresh_from_db()
    assert task.completion == "" and task.status == Status.IN_PROGRESS


def test_the_office_reports_done_without_confirming_itself_and_plans_without_the_setting(world):
    with time_machine.travel(at(date(2026, 3, 25))):
        record(world.task, world.lead_member, Status.DONE, done_on=date(2026, 3, 25))
    world.task.refresh_from_db()
    assert world.task.status == Status.DONE and world.task.completion == ""
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    other = world.add_task(number=2, content="Việc khác", deadline_text="Quý I/2026")
    other.plan.refresh_from_db()
    with time_machine.travel(at(date(2026, 3, 25))):
        record(other, world.coordinator, Status.DONE, done_on=date(2026, 3, 25))
    other.refresh_from_db()
    assert other.status == Status.DONE and other.completion == ""
    assert world.plan.events.get().narrative.startswith("Nhiệm vụ đơn vị báo cáo hoàn thành")


def test_sub_items_all_done_make_a_claim_on_a_plan_that_confirms(world):
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    item = services.add_sub_item(task=world.task, by=world.lead_member, content="Duy nhất")
    item.task.plan.refresh_from_db()
    services.record_sub_item(
        item=item, by=world.lead_member, unit=world.lead_unit, status=Status.DONE,
        done_on=date(2026, 3, 1), no_evidence_reason="Nội bộ", now=at(date(2026, 3, 2)),
    )  # fmt: skip
    task = Task.objects.get(pk=world.task.pk)
    assert task.completion == Completion.PENDING and task.status != Status.DONE
    services.confirm_completion(task=task, by=world.coordinator)
    task.refresh_from_db()
    assert (task.status, task.done_on) == (Status.DONE, date(2026, 3, 1))


# The state rule and its SQL twin agree with everything in play.


def test_state_in_python_and_in_sql_agree_with_extensions_claims_and_sub_items(world):
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    tasks = [world.task]
    for n, text in enumerate(["Quý I/2026", "Tháng 6/2026", "Năm 2026", "Thường xuyên"], 2):
        tasks.append(world.add_task(number=n, content=f"Việc {n}", deadline_text=text))
    for task in tasks[:3]:
        task.plan.refresh_from_db()
        request = ask(world, task, date(2026, 9, 30) if task.number != 3 else date(2026, 7, 15))
        if task.number != 2:
            services.decide_extension(request=request, by=world.coordinator, grant=True)
    with time_machine.travel(at(date(2026, 7, 10))):
        record(tasks[1], world.lead_member, Status.DONE, done_on=date(2026, 7, 10))
        record(tasks[2], world.coordinator, Status.DONE, done_on=date(2026, 7, 10))
    services.add_sub_item(task=tasks[3], by=world.lead_member, content="Một")
    for day in [date(2026, d // 100, d % 100) for d in (301, 331, 401, 630, 701, 716, 930, 1001)]:
        for task in Task.objects.filter(plan=world.plan):
            assert task.state(day) == sql_state(task, day), (task.number, day)


# The demo.


def test_the_demo_shows_an_added_task_sub_items_an_extension_and_a_completion_waiting(
    demo_at_work,
):
    from django.test import Client

    from partrack.reporting.todo import todo_for

    tasks = {t.number: t for t in Task.objects.filter(plan=demo_at_work)}
    added = [t for t in tasks.values() if t.is_added]
    assert [t.number for t in added] == [37] and added[0].added_reason
    assert [i.status for i in tasks[32].sub_items.all()] == [
        "done", "done", "in_progress", "not_started", "not_started",
    ]  # fmt: skip
    assert (tasks[32].status, tasks[32].percent) == (Status.IN_PROGRESS, 40)
    assert tasks[33].extension_text == "gia hạn từ 31/03/2026 đến 30/06/2026"
    assert tasks[35].completion == Completion.PENDING
    office = demo_at_work.agency.memberships.get(role="coordinator")
    titles = [item.title for item in todo_for(office, date(2026, 6, 20))]
    assert "Xác nhận hoàn thành nhiệm vụ 35" in titles
    client = Client()
    client.force_login(office.user)
    for number in (32, 33, 35, 37):
        assert client.get(tasks[number].get_absolute_url()).status_code == 200


def test_a_database_failure_midway_leaves_no_half_decision(world, monkeypatch):
    from django.db import DatabaseError

    request = ask(world, world.task, date(2026, 6, 30))
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    other = world.add_task(number=2, content="Việc khác", deadline_text="Quý I/2026")
    other.plan.refresh_from_db()
    with time_machine.travel(at(date(2026, 3, 25))):
        record(other, world.lead_member, Status.DONE, done_on=date(2026, 3, 25))

    def broken(*args, **kwargs):
        raise DatabaseError("the disk is full")

    # The history entry is the last write of each decision: when it fails, nothing stays.
    monkeypatch.setattr(ProgressUpdate.objects, "create", broken)
    with pytest.raises(DatabaseError):
        services.decide_extension(request=request, by=world.coordinator, grant=True)
    with pytest.raises(DatabaseError):
        services.confirm_completion(task=other, by=world.coordinator)
    request.refresh_from_db()
    world.task.refresh_from_db()
    assert request.status == ExtensionRequest.Status.PENDING and world.task.extended_to is None
    other.refresh_from_db()
    assert other.completion == Completion.PENDING and other.status == Status.NOT_STARTED
