"""Reminders follow the extension in force, and leave a completion waiting for the office
alone (issue 14)."""

from datetime import date

import pytest

from partrack.plans.models import Completion, ExtensionRequest, Task
from partrack.reporting.reminders import task_reminders

pytestmark = pytest.mark.django_db


def reminded(world, today):
    return {(r.user_id, r.key, r.title) for r in task_reminders(today)}


def test_an_extended_task_is_reminded_of_its_new_date_under_a_new_key(world):
    task = world.task  # due 31/03/2026
    before = reminded(world, date(2026, 3, 24))
    assert (
        world.lead_member.pk,
        f"task-due:{task.pk}:7d",
        "Nhiệm vụ 1 sắp đến hạn ngày 31/03/2026 (còn 7 ngày)",
    ) in before
    ExtensionRequest.objects.create(
        task=task, requested_by=world.lead_member, from_date=date(2026, 3, 31),
        to_date=date(2026, 6, 30), reason="Chờ", status="granted",
    )  # fmt: skip
    Task.objects.filter(pk=task.pk).update(extended_to=date(2026, 6, 30))
    # Nothing about the plan's date any more: not due soon, not overdue on 1/4.
    assert reminded(world, date(2026, 3, 24)) == set()
    assert reminded(world, date(2026, 4, 1)) == set()
    assert reminded(world, date(2026, 6, 23)) == {
        (
            world.lead_member.pk,
            f"task-due:{task.pk}:7d@20260630",
            "Nhiệm vụ 1 sắp đến hạn ngày 30/06/2026 (còn 7 ngày)",
        )
    }
    assert {key for _u, key, _t in reminded(world, date(2026, 7, 1))} == {
        f"task-overdue:{task.pk}@20260630"
    }


def test_a_completion_waiting_for_the_office_is_not_chased(world):
    Task.objects.filter(pk=world.task.pk).update(completion=Completion.PENDING)
    assert reminded(world, date(2026, 3, 24)) == set()
    Task.objects.filter(pk=world.task.pk).update(completion=Completion.RETURNED)
    assert len(reminded(world, date(2026, 3, 24))) == 1
