"""The pages issue 14 changed run the same number of queries at 36 and 3,600 tasks, with
extensions, sub-items, completions waiting and added tasks spread through the plan."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partrack.plans import services
from partrack.plans.models import Completion, ExtensionRequest, SubItem, Task
from tests.plans.test_query_counts import grow_to

pytestmark = pytest.mark.django_db
# A task with everything in play: its sub-items, their evidence, its requests, its claim.
MAX_QUERIES = 20


def spread_the_work(world):
    """Every 9th task extended, every 9th (offset) waiting for the office or returned, every
    12th split into two sub-items, every 18th added by the office; the page's task gets all."""
    tasks = list(Task.objects.filter(plan=world.plan).exclude(pk=world.task.pk).order_by("pk"))
    now = timezone.now()
    ExtensionRequest.objects.bulk_create(
        ExtensionRequest(
            task=t,
            requested_by=world.lead_member,
            unit=world.lead_unit,
            from_date=date(2026, 3, 31),
            to_date=date(2026, 12, 20),
            reason="Chờ",
            status="pending" if n % 2 else "granted",
        )
        for n, t in enumerate(tasks[::9])
        if not ExtensionRequest.objects.filter(task=t).exists()
    )
    Task.objects.filter(pk__in=[t.pk for t in tasks[::9]]).update(extended_to=date(2026, 12, 20))
    Task.objects.filter(pk__in=[t.pk for t in tasks[4::18]]).update(completion=Completion.PENDING)
    Task.objects.filter(pk__in=[t.pk for t in tasks[13::18]]).update(completion=Completion.RETURNED)
    Task.objects.filter(pk__in=[t.pk for t in tasks[::18]]).update(
        added_at=now, added_by=world.coordinator, added_reason="Phát sinh"
    )
    SubItem.objects.bulk_create(
        SubItem(task=t, order=k, content=f"Nội dung {k}")
        for t in tasks[::12]
        for k in (1, 2)
        if not t.sub_items.exists()
    )


def queries_per_page(world):
    pages = {
        "plan": (world.plan.get_absolute_url(), world.coordinator),
        "task (lead unit)": (world.task.get_absolute_url(), world.lead_member),
        "task (office)": (world.task.get_absolute_url(), world.coordinator),
        "task (leader)": (world.task.get_absolute_url(), world.leader),
        "my unit": ("/don-vi-cua-toi/", world.lead_member),
        "todo (office)": ("/can-lam/", world.coordinator),
        "todo (lead unit)": ("/can-lam/", world.lead_member),
    }
    counts = {}
    for name, (url, user) in pages.items():
        client = world.client(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@time_machine.travel("2026-03-20 10:00 +07:00")
def test_the_changed_pages_run_fixed_queries_at_36_and_3600_tasks_with_the_work_in_play(world):
    # The page's own task: two sub-items (one with evidence), a granted and a pending request,
    # a completion waiting for the office.
    services.add_sub_item(task=world.task, by=world.lead_member, content="Một")
    item = services.add_sub_item(task=world.task, by=world.lead_member, content="Hai")
    services.record_sub_item(
        item=item,
        by=world.lead_member,
        unit=world.lead_unit,
        status="in_progress",
        done_on=None,
        evidence=[services.NewEvidence(number_symbol="1/TB")],
    )
    request = services.request_extension(
        task=world.task, by=world.lead_member, unit=world.lead_unit,
        to_date=date(2026, 5, 31), reason="Chờ",
    )  # fmt: skip
    services.decide_extension(request=request, by=world.coordinator, grant=True)
    services.allow_another_extension(task=world.task, by=world.coordinator)
    world.task.refresh_from_db()
    services.request_extension(
        task=world.task, by=world.lead_member, unit=world.lead_unit,
        to_date=date(2026, 6, 30), reason="Chờ thêm",
    )  # fmt: skip
    Task.objects.filter(pk=world.task.pk).update(completion=Completion.PENDING)

    grow_to(world, 36)
    spread_the_work(world)
    small = queries_per_page(world)
    grow_to(world, 3600)
    spread_the_work(world)
    assert Task.objects.filter(plan=world.plan, extended_to__isnull=False).count() > 300
    large = queries_per_page(world)
    assert large == small
    for name, count in large.items():
        assert count <= MAX_QUERIES, (name, count)
