"""The office assigns a task to other units or dates it by hand; everything in the history."""

from datetime import date

import pytest
import time_machine

from partrack.plans.models import ProgressUpdate, State, Task
from tests.conftest import post_form

pytestmark = pytest.mark.django_db


def assign(world, user, **data):
    form = {"lead_units": [world.lead_unit.pk], "due_date": "", "version": world.task.version}
    return post_form(world.client(user), f"/nhiem-vu/{world.task.pk}/dieu-chinh/", {**form, **data})


@time_machine.travel("2026-05-04 09:00 +07:00")
def test_the_office_dates_a_task_on_request_and_its_state_follows(world):
    world.task.set_deadline("Theo yêu cầu của UBND tỉnh", 2026)
    world.task.save()
    assert world.task.state(date(2026, 5, 4)) == State.ON_REQUEST
    response = assign(world, world.coordinator, due_date="15/05/2026")
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert world.task.due_date == date(2026, 5, 15)
    assert world.task.deadline_text == "Theo yêu cầu của UBND tỉnh"  # the plan's words stay
    assert world.task.state(date(2026, 5, 4)) == State.DUE_SOON
    line = ProgressUpdate.objects.get(kind="revision")
    assert line.narrative == "Hạn hoàn thành: — → 15/05/2026"
    assert line.author == world.coordinator


def test_the_office_gives_the_task_to_another_unit_which_then_may_update_it(world):
    response = assign(
        world, world.coordinator, lead_units=[world.bystander_unit.pk], due_date="31/03/2026"
    )
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert list(world.task.lead_units.all()) == [world.bystander_unit]
    # The former lead unit keeps working on it, as a coordinating unit.
    assert world.lead_unit in world.task.coordinating_units.all()
    assert "Cơ quan chủ trì: Phòng Chuyển đổi số → Chi cục TĐC" in (
        ProgressUpdate.objects.get(kind="revision").narrative
    )
    page = world.client(world.bystander).get(world.task.get_absolute_url()).content.decode()
    assert "Cập nhật tiến độ" in page


def test_a_task_needs_a_lead_unit(world):
    response = assign(world, world.coordinator, lead_units=[])
    assert response.status_code == 400
    assert "Nhiệm vụ cần ít nhất một đơn vị chủ trì." in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_nothing_changed_records_nothing(world):
    response = assign(world, world.coordinator, due_date="31/03/2026")
    assert response.status_code == 302
    assert not ProgressUpdate.objects.exists()


def test_a_stale_form_changes_nothing(world):
    Task.objects.filter(pk=world.task.pk).update(version=5)
    response = assign(world, world.coordinator, due_date="30/04/2026", version=1)
    assert response.status_code == 302
    world.task.refresh_from_db()
    assert world.task.due_date == date(2026, 3, 31)
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("persona", ["lead_member", "leader", "helping_member", "viewer"])
def test_only_the_office_assigns(world, persona):
    assert assign(world, getattr(world, persona), due_date="30/04/2026").status_code == 403
    assert (
        "Điều chỉnh nhiệm vụ"
        not in world.client(getattr(world, persona))
        .get(world.task.get_absolute_url())
        .content.decode()
    )


def test_another_agency_gets_404(world):
    assert assign(world, world.outsider, due_date="30/04/2026").status_code == 404
