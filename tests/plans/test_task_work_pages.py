"""Tasks as offices use them through the pages: who may do what (CSRF enforced), what each
person sees, and what lands on "Cần làm"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from partrack.plans import services
from partrack.plans.models import Completion, ExtensionRequest, Status, SubItem, Task
from partrack.reporting.todo import todo_for
from tests.conftest import post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-03-20 10:00 +07:00"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
EVERYONE_BUT_THE_OFFICE = ["leader", "viewer", "administrator", "helping_member", "bystander"]


def extension_url(world):
    return f"/nhiem-vu/{world.task.pk}/gia-han/"


def asked(world):
    return services.request_extension(
        task=world.task,
        by=world.lead_member,
        unit=world.lead_unit,
        to_date=date(2026, 6, 30),
        reason="Chờ ý kiến",
        now=datetime(2026, 3, 19, 9, tzinfo=HCM),
    )


def claimed(world):
    services.set_done_confirmation(plan=world.plan, by=world.coordinator, required=True)
    task = Task.objects.get(pk=world.task.pk)
    services.record_progress(
        task=task,
        by=world.lead_member,
        unit=world.lead_unit,
        status=Status.DONE,
        percent=100,
        narrative="Đã trình",
        done_on=date(2026, 3, 18),
        expected_version=task.version,
        no_evidence_reason="Văn bản mật",
    )
    return task


@time_machine.travel(TODAY)
def test_the_lead_unit_asks_and_the_office_grants_through_the_pages(world):
    lead = world.client(world.lead_member)
    page = lead.get(world.task.get_absolute_url()).content.decode()
    assert "Gửi đề nghị gia hạn" in page
    response = post_form(lead, extension_url(world), {"to_date": "30/06/2026", "reason": ""})
    assert response.status_code == 400
    assert "Hãy ghi lý do đề nghị gia hạn." in response.content.decode()
    response = post_form(
        lead, extension_url(world), {"to_date": "30/06/2026", "reason": "Chờ Tỉnh ủy họp"}
    )
    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    office = world.client(world.coordinator)
    page = office.get(world.task.get_absolute_url()).content.decode()
    assert "Chấp nhận gia hạn" in page and "Chờ Tỉnh ủy họp" in page
    response = post_form(office, f"/gia-han/{request.pk}/", {"decision": "accept", "comment": ""})
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert world.task.extended_to == date(2026, 6, 30)
    page = lead.get(world.task.get_absolute_url()).content.decode()
    assert "Gia hạn từ 31/03/2026 đến 30/06/2026" in page
    assert "Nhiệm vụ đã dùng hết số lần đề nghị gia hạn." in page
    listing = lead.get(world.plan.get_absolute_url()).content.decode()
    assert "gia hạn từ 31/03/2026 đến 30/06/2026" in listing


@time_machine.travel(TODAY)
@pytest.mark.parametrize("persona", ["coordinator", *EVERYONE_BUT_THE_OFFICE, "province_viewer"])
def test_only_the_lead_unit_asks_for_an_extension(world, persona):
    response = post_form(
        world.client(getattr(world, persona)),
        extension_url(world),
        {"to_date": "30/06/2026", "reason": "Lý do"},
    )
    assert response.status_code == 403
    assert not ExtensionRequest.objects.exists()


@time_machine.travel(TODAY)
@pytest.mark.parametrize("persona", ["lead_member", *EVERYONE_BUT_THE_OFFICE, "province_viewer"])
def test_only_the_office_decides_confirms_adds_and_allows_more(world, persona):
    request = asked(world)
    client = world.client(getattr(world, persona))
    urls = [
        f"/gia-han/{request.pk}/",
        f"/nhiem-vu/{world.task.pk}/gia-han/cho-phep-them/",
        f"/nhiem-vu/{world.task.pk}/xac-nhan/",
        f"/ke-hoach/{world.plan.pk}/bo-sung-nhiem-vu/",
        f"/ke-hoach/{world.plan.pk}/xac-nhan-hoan-thanh/",
    ]
    for url in urls:
        assert post_form(client, url, {"decision": "accept", "required": "on"}).status_code == 403
    assert client.get(urls[3]).status_code == 403
    request.refresh_from_db()
    world.task.refresh_from_db()
    assert request.status == ExtensionRequest.Status.PENDING
    assert world.task.extension_requests_allowed == 1
    assert not world.plan.events.exists()


@time_machine.travel(TODAY)
def test_another_agency_sees_nothing_and_anonymous_is_sent_to_sign_in(world):
    request = asked(world)
    item = services.add_sub_item(task=world.task, by=world.coordinator, content="Một")
    urls = [
        f"/gia-han/{request.pk}/",
        extension_url(world),
        f"/nhiem-vu/{world.task.pk}/xac-nhan/",
        f"/nhiem-vu/{world.task.pk}/noi-dung-con/",
        f"/noi-dung-con/{item.pk}/",
        f"/ke-hoach/{world.plan.pk}/bo-sung-nhiem-vu/",
    ]
    outsider = world.client(world.outsider)
    for url in urls:
        assert post_form(outsider, url, {"decision": "accept"}).status_code == 404, url
        response = post_form(world.client(), url, {"decision": "accept"})
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.PENDING


@time_machine.travel(TODAY)
def test_sub_items_are_written_by_the_lead_unit_and_the_office_only(world):
    lead = world.client(world.lead_member)
    response = post_form(lead, f"/nhiem-vu/{world.task.pk}/noi-dung-con/", {"content": "Một"})
    assert response.status_code == 302
    item = SubItem.objects.get()
    response = post_form(
        lead,
        f"/noi-dung-con/{item.pk}/",
        {"status": "done", "done_on": "18/03/2026", "evidence_number": "05/QĐ-SKHCN"},
    )
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert (world.task.status, world.task.done_on) == (Status.DONE, date(2026, 3, 18))
    page = lead.get(world.task.get_absolute_url()).content.decode()
    assert "05/QĐ-SKHCN" in page and "Tình trạng nhiệm vụ tính từ các nội dung con." in page
    for persona in ("helping_member", "bystander", "leader", "viewer", "province_viewer"):
        client = world.client(getattr(world, persona))
        url = f"/nhiem-vu/{world.task.pk}/noi-dung-con/"
        assert post_form(client, url, {"content": "Hai"}).status_code == 403, persona
        response = post_form(client, f"/noi-dung-con/{item.pk}/", {"status": "not_started"})
        assert response.status_code == 403, persona
    assert SubItem.objects.count() == 1
    item.refresh_from_db()
    assert item.status == Status.DONE


@time_machine.travel(TODAY)
def test_a_bad_sub_item_entry_keeps_the_status_and_says_why(world):
    item = services.add_sub_item(task=world.task, by=world.coordinator, content="Một")
    lead = world.client(world.lead_member)
    response = post_form(lead, f"/noi-dung-con/{item.pk}/", {"status": "done", "done_on": ""})
    assert response.status_code == 302
    page = lead.get(world.task.get_absolute_url()).content.decode()
    assert "Nội dung đã hoàn thành cần có ngày hoàn thành." in page
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED


@time_machine.travel(TODAY)
def test_the_office_adds_a_task_through_the_page(world):
    office = world.client(world.coordinator)
    url = f"/ke-hoach/{world.plan.pk}/bo-sung-nhiem-vu/"
    assert office.get(url).status_code == 200
    form = {
        "area": world.area.pk,
        "content": "Tuyên truyền CCHC",
        "lead_units": [world.lead_unit.pk],
        "deadline_text": "Quý III/2026",
        "reason": "",
    }
    response = post_form(office, url, form)
    assert response.status_code == 400
    assert "Hãy ghi lý do bổ sung nhiệm vụ." in response.content.decode()
    response = post_form(office, url, {**form, "reason": "Mục III của Kế hoạch"})
    task = Task.objects.get(added_at__isnull=False)
    assert response["Location"] == task.get_absolute_url()
    page = office.get(task.get_absolute_url()).content.decode()
    assert "bổ sung" in page and "Mục III của Kế hoạch" in page
    assert "added-task" in office.get(world.plan.get_absolute_url()).content.decode()


@time_machine.travel(TODAY)
def test_the_office_confirms_or_returns_a_done_and_each_side_sees_its_turn(world):
    task = claimed(world)
    assert task.completion == Completion.PENDING
    lead_page = world.client(world.lead_member).get(task.get_absolute_url()).content.decode()
    assert "Đã báo cáo hoàn thành — chờ xác nhận" in lead_page
    assert "Xác nhận hoàn thành" not in lead_page
    office_items = todo_for(world.coordinator.membership, date(2026, 3, 20))
    assert [i.title for i in office_items if "Xác nhận" in i.title] == [
        f"Xác nhận hoàn thành nhiệm vụ {task.number}"
    ]
    office = world.client(world.coordinator)
    url = f"/nhiem-vu/{task.pk}/xac-nhan/"
    post_form(office, url, {"decision": "reject", "comment": ""})
    task.refresh_from_db()
    assert task.completion == Completion.PENDING  # a return needs a comment
    post_form(office, url, {"decision": "reject", "comment": "Thiếu minh chứng"})
    task.refresh_from_db()
    assert task.completion == Completion.RETURNED
    unit_items = todo_for(world.lead_member.membership, date(2026, 3, 20))
    assert unit_items[0].detail.startswith("Văn phòng Sở trả lại báo cáo hoàn thành")
    assert unit_items[0].comment == "Thiếu minh chứng"
    assert not [
        i
        for i in todo_for(world.coordinator.membership, date(2026, 3, 20))
        if "Xác nhận" in i.title
    ]

    task = claimed(world)
    post_form(office, url, {"decision": "accept"})
    task.refresh_from_db()
    assert (task.status, task.done_on, task.completion) == (Status.DONE, date(2026, 3, 18), "")


@time_machine.travel(TODAY)
def test_the_office_sees_extension_requests_on_cần_làm(world):
    asked(world)
    items = todo_for(world.coordinator.membership, date(2026, 3, 20))
    titles = [i.title for i in items]
    assert f"Xem xét đề nghị gia hạn nhiệm vụ {world.task.number}" in titles
    item = next(i for i in items if "gia hạn" in i.title)
    assert "từ 31/03/2026 đến 30/06/2026" in item.detail
    assert not [
        i for i in todo_for(world.lead_member.membership, date(2026, 3, 20)) if "gia hạn" in i.title
    ]


@time_machine.travel(TODAY)
def test_the_office_turns_confirmation_on_for_a_plan_and_the_history_says_so(world):
    office = world.client(world.coordinator)
    response = post_form(
        office, f"/ke-hoach/{world.plan.pk}/xac-nhan-hoan-thanh/", {"required": "on"}
    )
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.done_needs_confirmation
    page = office.get(f"/ke-hoach/{world.plan.pk}/thong-tin/").content.decode()
    assert "chỉ được tính khi Văn phòng xác nhận" in page
