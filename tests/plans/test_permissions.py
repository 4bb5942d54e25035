"""Who may read and write what: every view, every role, the forbidden paths included."""

import pytest

from partrack.plans.models import ProgressUpdate, Status
from tests.conftest import post_form

pytestmark = pytest.mark.django_db

PROGRESS = {"status": "in_progress", "percent": "40", "narrative": "Đang làm", "done_on": ""}


def page_urls(world):
    return [
        "/",
        world.plan.get_absolute_url(),
        f"/ke-hoach/{world.plan.pk}/tong-quan/",
        world.task.get_absolute_url(),
        "/don-vi-cua-toi/",
    ]


def test_anonymous_visitor_is_sent_to_sign_in_from_every_page(world):
    client = world.client()
    for url in page_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dang-nhap/?next="), url


def test_anonymous_visitor_cannot_record_progress(world):
    response = post_form(
        world.client(), f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1}
    )
    assert response.status_code == 302
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator",
        "leader",
        "viewer",
        "administrator",
        "lead_member",
        "helping_member",
        "bystander",
        "province_viewer",
    ],
)
def test_everyone_of_the_agency_and_above_reads_every_page(world, persona):
    client = world.client(getattr(world, persona))
    for url in page_urls(world):
        assert client.get(url, follow=True).status_code == 200, url


def test_person_of_another_agency_gets_404_on_the_plan_its_overview_and_its_tasks(world):
    client = world.client(world.outsider)
    assert client.get(world.plan.get_absolute_url()).status_code == 404
    assert client.get(f"/ke-hoach/{world.plan.pk}/tong-quan/").status_code == 404
    assert client.get(world.task.get_absolute_url()).status_code == 404
    response = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1})
    assert response.status_code == 404
    response = post_form(client, f"/nhiem-vu/{world.task.pk}/phoi-hop/", {"narrative": "x"})
    assert response.status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_home_lists_only_the_plans_of_ones_own_agency(world):
    response = world.client(world.outsider).get("/ke-hoach/")
    assert world.other_plan.title.encode() in response.content
    assert world.plan.title.encode() not in response.content


def test_province_viewer_sees_both_agencies_but_cannot_write(world):
    client = world.client(world.province_viewer)
    response = client.get("/")
    assert world.plan.title in response.content.decode()
    assert world.other_plan.title in response.content.decode()
    response = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1})
    assert response.status_code == 403


def test_lead_unit_member_records_progress_on_its_task(world):
    client = world.client(world.lead_member)
    assert "Cập nhật tiến độ" in client.get(world.task.get_absolute_url()).content.decode()
    response = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1})
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert (world.task.status, world.task.percent) == (Status.IN_PROGRESS, 40)


def test_coordinator_records_progress_on_any_task_of_its_agency(world):
    response = post_form(
        world.client(world.coordinator),
        f"/nhiem-vu/{world.task.pk}/tien-do/",
        {**PROGRESS, "version": 1},
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().author == world.coordinator


def test_unit_member_cannot_change_status_of_task_it_only_coordinates(world):
    client = world.client(world.helping_member)
    page = client.get(world.task.get_absolute_url()).content.decode()
    assert "Cập nhật tiến độ" not in page
    assert "Đóng góp của đơn vị phối hợp" in page
    response = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1})
    assert response.status_code == 403
    world.task.refresh_from_db()
    assert world.task.status == Status.NOT_STARTED


def test_coordinating_unit_adds_a_contribution_that_leaves_the_status_alone(world):
    client = world.client(world.helping_member)
    response = post_form(
        client, f"/nhiem-vu/{world.task.pk}/phoi-hop/", {"narrative": "Đã góp ý phần kinh phí"}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.kind, update.status, update.unit) == ("contribution", "", world.helping_unit)
    world.task.refresh_from_db()
    assert world.task.status == Status.NOT_STARTED


@pytest.mark.parametrize("persona", ["leader", "viewer", "administrator", "bystander"])
def test_readers_and_unrelated_units_get_403_on_both_writes(world, persona):
    client = world.client(getattr(world, persona))
    page = client.get(world.task.get_absolute_url()).content.decode()
    assert '<form method="post" action="/nhiem-vu/' not in page
    progress = post_form(client, f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1})
    contribution = post_form(client, f"/nhiem-vu/{world.task.pk}/phoi-hop/", {"narrative": "x"})
    assert (progress.status_code, contribution.status_code) == (403, 403)
    assert not ProgressUpdate.objects.exists()


def test_lead_unit_cannot_post_a_contribution_instead_of_a_status(world):
    response = post_form(
        world.client(world.lead_member), f"/nhiem-vu/{world.task.pk}/phoi-hop/", {"narrative": "x"}
    )
    assert response.status_code == 403


def test_writes_refuse_get(world):
    client = world.client(world.coordinator)
    assert client.get(f"/nhiem-vu/{world.task.pk}/tien-do/").status_code == 405


def test_post_without_csrf_token_is_refused(world):
    client = world.client(world.coordinator)
    response = client.post(f"/nhiem-vu/{world.task.pk}/tien-do/", {**PROGRESS, "version": 1})
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_refusals_explain_themselves_in_vietnamese(world):
    client = world.client(world.outsider)
    assert "Không tìm thấy trang này" in client.get(world.plan.get_absolute_url()).content.decode()
    url = f"/nhiem-vu/{world.task.pk}/tien-do/"
    response = post_form(world.client(world.leader), url, {**PROGRESS, "version": 1})
    assert "Bạn không có quyền thực hiện việc này" in response.content.decode()
