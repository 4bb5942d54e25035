"""Every page runs the same number of SQL queries with 36 tasks as with 3,600."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.plans.models import Area, ProgressUpdate, Task

pytestmark = pytest.mark.django_db

# The most queries any page may run: session, user, membership, and the page's own reads
# (the task page reads its sub-items, their evidence and its extension requests: issue 14).
MAX_QUERIES = 18


def grow_to(world, total):
    """Add tasks (with lead units, coordinators and history) until the plan holds `total`."""
    have = Task.objects.filter(plan=world.plan).count()
    areas = list(Area.objects.filter(plan=world.plan)) + [
        Area.objects.create(plan=world.plan, order=n, numeral=str(n), title=f"Lĩnh vực {n}")
        for n in range(2, 8)
        if not Area.objects.filter(plan=world.plan, order=n).exists()
    ]
    deadlines = [
        "Quý I/2026",
        "Năm 2026",
        "Thường xuyên",
        "Theo chỉ đạo của UBND tỉnh",
        "Trước ngày 30/11/2026",
        "Tháng 12/2026",
    ]
    new = []
    for n in range(have + 1, total + 1):
        task = Task(
            plan=world.plan,
            area=areas[n % len(areas)],
            number=n,
            order=n,
            content=f"Nhiệm vụ số {n}",
            lead_names=["Phòng Chuyển đổi số"],
            coordinating_names=["Các phòng, đơn vị thuộc Sở"],
        )
        task.set_deadline(deadlines[n % len(deadlines)], 2026)
        task.search_text = task.build_search_text()
        new.append(task)
    Task.objects.bulk_create(new)
    lead = Task.lead_units.through
    coordinating = Task.coordinating_units.through
    lead.objects.bulk_create([lead(task_id=t.pk, unit_id=world.lead_unit.pk) for t in new])
    coordinating.objects.bulk_create(
        [
            coordinating(task_id=t.pk, unit_id=u.pk)
            for t in new
            for u in (world.helping_unit, world.office)
        ]
    )
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                task=world.task,
                author=world.lead_member,
                unit=world.lead_unit,
                status="in_progress",
                percent=n % 100,
                narrative=f"Lần {n}",
            )
            for n in range(total // 36)
        ]
    )


def queries_per_page(world):
    pages = {
        "home": ("/", world.province_viewer),
        "plan": (world.plan.get_absolute_url(), world.coordinator),
        "plan filtered": (
            f"{world.plan.get_absolute_url()}?q=nhiem vu&state=overdue",
            world.coordinator,
        ),
        "overview": (f"/ke-hoach/{world.plan.pk}/tong-quan/", world.leader),
        "task (editor)": (world.task.get_absolute_url(), world.lead_member),
        "task (contributor)": (world.task.get_absolute_url(), world.helping_member),
        "task (office)": (world.task.get_absolute_url(), world.coordinator),
        "my unit": ("/don-vi-cua-toi/", world.lead_member),
    }
    counts = {}
    for name, (url, user) in pages.items():
        client = world.client(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@time_machine.travel("2026-11-26 10:00 +07:00")
def test_each_page_runs_a_fixed_number_of_queries_at_36_and_3600_tasks(
    world, django_assert_max_num_queries
):
    grow_to(world, 36)
    small = queries_per_page(world)
    grow_to(world, 3600)
    assert Task.objects.filter(plan=world.plan).count() == 3600
    large = queries_per_page(world)
    assert large == small
    for name, count in large.items():
        assert count <= MAX_QUERIES, name
    client = world.client(world.coordinator)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(world.plan.get_absolute_url())
