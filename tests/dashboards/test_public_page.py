"""A plan's public page: off until the office turns it on; progress only, nothing about people."""

import re

import pytest
import time_machine

from partrack.dashboards.models import PublicPlan
from partrack.plans.models import Evidence, Task
from tests.conftest import client_as, demo_client, post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-11-26 10:00 +07:00"


def switch(client, plan, enabled):
    data = {"enabled": "on"} if enabled else {}
    return post_form(client, f"/ke-hoach/{plan.pk}/cong-khai/", data)


def test_a_plan_is_not_public_until_the_coordinator_turns_it_on(world):
    assert not PublicPlan.objects.exists()
    assert client_as().get("/cong-khai/anything/").status_code == 404
    html = world.client(world.coordinator).get(f"/ke-hoach/{world.plan.pk}/tong-quan/")
    assert "Bật trang công khai" in html.content.decode()
    assert "Bật trang công khai" not in (
        world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/tong-quan/").content.decode()
    )


@time_machine.travel(TODAY, tick=False)
def test_coordinator_turns_the_public_page_on_and_anyone_with_the_link_sees_it(world):
    response = switch(world.client(world.coordinator), world.plan, True)
    assert response.status_code == 302
    page = PublicPlan.objects.get(plan=world.plan)
    assert page.enabled and page.enabled_by == world.coordinator
    assert page.enabled_at.isoformat() == "2026-11-26T03:00:00+00:00"
    response = client_as().get(f"/cong-khai/{page.token}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert "Kế hoạch CCHC năm 2026" in html and "Sở KH&amp;CN" in html
    assert "Tham mưu dự thảo Nghị quyết về chuyển đổi số" in html
    assert "Phòng Chuyển đổi số" in html and "Quý I/2026" in html
    assert "state-overdue" in html  # the task's state, as of today
    assert 'id="public-area-counts"' in html
    # The office sees the address it can hand out.
    overview = world.client(world.coordinator).get(f"/ke-hoach/{world.plan.pk}/tong-quan/")
    assert f"/cong-khai/{page.token}/" in overview.content.decode()


def test_turning_the_page_off_hides_it_and_turning_it_on_again_keeps_its_address(world):
    client = world.client(world.coordinator)
    switch(client, world.plan, True)
    token = PublicPlan.objects.get().token
    switch(client, world.plan, False)
    assert client_as().get(f"/cong-khai/{token}/").status_code == 404
    switch(client, world.plan, True)
    assert PublicPlan.objects.get().token == token
    assert client_as().get(f"/cong-khai/{token}/").status_code == 200


def test_only_the_agency_coordinator_may_turn_the_public_page_on(world):
    for person in [world.leader, world.lead_member, world.viewer, world.province_viewer]:
        assert switch(world.client(person), world.plan, True).status_code == 403, person
    assert switch(world.client(world.outsider), world.plan, True).status_code == 404
    assert switch(client_as(), world.plan, True).status_code == 302  # to the sign-in page
    assert not PublicPlan.objects.exists()
    url = f"/ke-hoach/{world.plan.pk}/cong-khai/"
    assert world.client(world.coordinator).get(url).status_code == 405


def test_public_page_shows_no_notes_no_narratives_and_no_files(world):
    task = world.task
    task.note = "Ghi chú nội bộ: chờ ý kiến Giám đốc"
    task.deliverable = "Tờ trình kèm dự thảo"
    task.save()
    update = task.updates.create(
        author=world.lead_member,
        unit=world.lead_unit,
        status="in_progress",
        narrative="Đã xin ý kiến các sở lần thứ hai",
    )
    Evidence.objects.create(
        task=task,
        update=update,
        added_by=world.lead_member,
        number_symbol="77/TTr-CĐS",
        summary="Tờ trình số 77",
        url="https://example.invalid/to-trinh-77.pdf",
    )
    switch(world.client(world.coordinator), world.plan, True)
    html = client_as().get(PublicPlan.objects.get().get_absolute_url()).content.decode()
    for hidden in [
        "Ghi chú nội bộ",
        "Đã xin ý kiến các sở",
        "77/TTr-CĐS",
        "Tờ trình số 77",
        "example.invalid",
        "/minh-chung/",
    ]:
        assert hidden not in html, hidden


@time_machine.travel(TODAY)
def test_public_page_of_the_demo_names_no_person_and_quotes_no_narrative(demo):
    switch(demo_client("vanphong"), demo, True)
    html = client_as().get(PublicPlan.objects.get(plan=demo).get_absolute_url()).content.decode()
    assert len(re.findall('class="list-group-item public-task"', html)) == 36
    for name in ["Trần Văn Minh", "Nguyễn Thị Hoa", "Nguyễn Duy Anh", "Lê Thị Thu"]:
        assert name not in html, name
    for words in [
        "Đã gửi dự thảo Nghị quyết lấy ý kiến các sở, ngành.",
        "Đã rà soát 14 văn bản QPPL",
        "đã góp ý phần kinh phí",  # a coordinating unit's contribution
        "15/KH-SKHCN",  # evidence
        "vanphong",
        "phongcds",
    ]:
        assert words not in html, words
    assert "Phòng Chuyển đổi số" in html  # units are not people
    done = Task.objects.filter(plan=demo, status="done").count()
    cells = html.split('id="public-area-counts"')[1].split("</table>")[0]
    areas, whole_plan = cells.split("<tfoot>")
    for rows in (areas, whole_plan):
        on_time = re.findall(r'data-count="done_on_time">(\d+)<', rows)
        late = re.findall(r'data-count="done_late">(\d+)<', rows)
        assert sum(map(int, on_time + late)) == done
    assert "<a " not in cells  # figures link to pages a visitor cannot open


def test_public_page_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    from tests.plans.test_query_counts import grow_to

    switch(world.client(world.coordinator), world.plan, True)
    url = PublicPlan.objects.get().get_absolute_url()
    grow_to(world, 36)
    with django_assert_num_queries(5) as small:
        assert client_as().get(url).status_code == 200
    grow_to(world, 3600)
    with django_assert_num_queries(len(small)):
        assert client_as().get(url).status_code == 200
