"""An agency's office links its tasks to the province task they carry out; the province reads the
roll-up."""

import re

import pytest
import time_machine

from partrack.cascade.services import rollup
from partrack.plans.models import ProgressUpdate, State, Status, Task
from tests.cascade.conftest import day, set_state
from tests.conftest import post_form

pytestmark = pytest.mark.django_db


def link_url(task):
    return f"/nhiem-vu/{task.pk}/gan-ke-hoach-tinh/"


def rollup_url(task):
    return f"/tinh/nhiem-vu/{task.pk}/"


@pytest.fixture
def linked(province):
    """The province plan, and the plans of SKHCN and STP (issued) and of a commune (draft)."""
    plan, _unmatched = province.import_province_plan()
    province.targets = {task.number: task for task in plan.tasks.all()}
    province.plans = {
        "SKHCN": province.agency_plan("SKHCN"),
        "STP": province.agency_plan("STP"),
        "XHC": province.agency_plan("XHC", status="draft"),
    }
    return province


def task_of(world, short, number):
    return world.plans[short].tasks.get(number=number)


def test_the_office_links_a_task_and_its_history_says_so(linked):
    task = task_of(linked, "SKHCN", 4)
    client = linked.client(linked.offices["SKHCN"])
    page = client.get(task.get_absolute_url()).content.decode()
    assert f'href="{link_url(task)}"' in page

    form = client.get(link_url(task)).content.decode()
    # Only the issued province plan's tasks of the same year are offered.
    assert form.count("của Kế hoạch 1/KH-UBND") == 4
    response = post_form(client, link_url(task), {"province_task": linked.targets[3].pk})
    assert response.status_code == 302

    task.refresh_from_db()
    assert task.carries_out == linked.targets[3]
    entry = task.updates.get(kind=ProgressUpdate.Kind.REVISION)
    assert "Nhiệm vụ 3 (VII) của Kế hoạch 1/KH-UBND" in entry.narrative
    # The task page names it; a second choice replaces the first (one province task at most).
    assert "Nghị quyết chuyển đổi số" in client.get(task.get_absolute_url()).content.decode()
    post_form(client, link_url(task), {"province_task": linked.targets[1].pk})
    task.refresh_from_db()
    assert task.carries_out == linked.targets[1]
    post_form(client, link_url(task), {"province_task": ""})
    task.refresh_from_db()
    assert task.carries_out is None


def test_only_the_province_plan_of_the_same_year_issued_can_be_chosen(linked):
    client = linked.client(linked.offices["SKHCN"])
    task = task_of(linked, "SKHCN", 1)
    later = linked.agency_plan("STP", year=2027).tasks.get(number=1)
    other_province_plan = linked.agency_plan("SKHCN", year=2026)  # its own task: not a target
    draft_target = linked.plans["XHC"].tasks.get(number=1)
    for refused in (later, other_province_plan.tasks.get(number=2), draft_target):
        response = post_form(client, link_url(task), {"province_task": refused.pk})
        assert response.status_code == 400
    # A draft province plan offers nothing.
    linked.targets[1].plan.status = "draft"
    linked.targets[1].plan.save()
    page = client.get(link_url(task)).content.decode()
    assert 'id="no-province-plan"' in page
    assert (
        post_form(client, link_url(task), {"province_task": linked.targets[1].pk}).status_code
        == 400
    )
    task.refresh_from_db()
    assert task.carries_out is None


def test_who_may_link(linked):
    task = task_of(linked, "SKHCN", 1)
    target = {"province_task": linked.targets[1].pk}
    # A unit's member of the agency: forbidden; the page does not offer it.
    member = linked.client(linked.members["SKHCN"])
    assert 'id="task-link"' not in member.get(task.get_absolute_url()).content.decode()
    assert post_form(member, link_url(task), target).status_code == 403
    # Another agency, the other province: the task does not exist for them.
    for outsider in (linked.offices["STP"], linked.other_office, linked.other_sonoivu):
        assert post_form(linked.client(outsider), link_url(task), target).status_code == 404
    # The province's desk reads the task but is not the agency's office.
    assert post_form(linked.client(linked.sonoivu), link_url(task), target).status_code == 403
    assert linked.client().get(link_url(task)).status_code == 302
    task.refresh_from_db()
    assert task.carries_out is None


def link(world, short, number, target):
    task = task_of(world, short, number)
    Task.objects.filter(pk=task.pk).update(carries_out=world.targets[target])
    return Task.objects.get(pk=task.pk)


def independent_rollup(target, today):
    """Counted in Python, from every task in the database, without the roll-up's queries."""
    counts = {}
    for task in Task.objects.select_related("plan__agency"):
        plan = task.plan
        if task.carries_out_id != target.pk or plan.status == "draft" or plan.archived_at:
            continue
        row = counts.setdefault(plan.agency.short_name, [0, 0, 0, 0])
        state = task.state(today)
        row[0] += 1
        row[1] += task.status == Status.DONE
        row[2] += state == State.DONE_ON_TIME
        row[3] += state == State.OVERDUE
    return counts


@time_machine.travel("2026-07-15 10:00 +07:00")
def test_the_rollup_counts_each_agency_as_an_independent_count_does(linked):
    on_time = link(linked, "SKHCN", 1, 1)  # due 31/03
    set_state(on_time, Status.DONE, day(3, 20), 100)
    late = link(linked, "SKHCN", 4, 1)  # due 31/03
    set_state(late, Status.DONE, day(4, 5), 100)
    link(linked, "SKHCN", 2, 1)  # due 30/06, open: overdue
    link(linked, "SKHCN", 6, 1)  # due 30/09: not yet
    set_state(link(linked, "STP", 1, 1), Status.DONE, day(2, 1), 100)
    link(linked, "STP", 5, 1)  # overdue
    link(linked, "XHC", 1, 1)  # a draft plan: the province does not count it
    link(linked, "STP", 3, 3)  # another province task

    target = linked.targets[1]
    rows, total = rollup(target, day(7, 15))
    got = {row.agency_id: row for row in rows}
    expected = independent_rollup(target, day(7, 15))
    assert expected == {"SKHCN": [4, 2, 1, 1], "STP": [2, 1, 1, 1]}
    for short, (n, done, on_time_n, overdue) in expected.items():
        row = got[linked.agencies[short].pk]
        assert (row.linked, row.done, row.done_on_time, row.overdue) == (
            n,
            done,
            on_time_n,
            overdue,
        )
        assert row.percent == round(100 * done / n)
    # Lead agencies with nothing linked are listed too.
    assert got[linked.agencies["XHC"].pk].linked == 0
    assert got[linked.agencies["PTM"].pk].percent is None
    assert (total.linked, total.done, total.done_on_time, total.overdue) == (6, 3, 2, 2)
    assert total.percent == 50

    page = linked.client(linked.sonoivu).get(rollup_url(target)).content.decode()
    skhcn = re.search(rf'data-agency="{linked.agencies["SKHCN"].pk}">(.*?)</tr>', page, re.S).group(
        1
    )
    cells = re.findall(r'<td class="text-end [a-z-]+">([^<]*)</td>', skhcn)
    assert cells == ["4", "2", "1", "1", "50%"]
    assert page.count('class="list-group-item linked-task"') == 6


def test_who_reads_the_rollup(linked):
    link(linked, "SKHCN", 1, 1)
    url = rollup_url(linked.targets[1])
    for person in (linked.sonoivu, linked.province_leader, linked.province_viewer):
        page = linked.client(person).get(url)
        assert page.status_code == 200
        assert "Kế hoạch CCHC của Sở" in page.content.decode()
    # An agency reads its own row only; the other province sees nothing.
    link(linked, "STP", 2, 1)
    own = linked.client(linked.members["SKHCN"]).get(url).content.decode()
    assert 'id="own-agency-only"' in own and "Kế hoạch CCHC của Sở" in own
    assert f'data-agency="{linked.agencies["SKHCN"].pk}"' in own
    assert f'data-agency="{linked.agencies["STP"].pk}"' not in own
    assert own.count('class="list-group-item linked-task"') == 1
    assert linked.client(linked.other_sonoivu).get(url).status_code == 404
    assert linked.client(linked.other_office).get(url).status_code == 404
    # A draft province plan is the province's own business.
    linked.targets[1].plan.status = "draft"
    linked.targets[1].plan.save()
    assert linked.client(linked.offices["SKHCN"]).get(url).status_code == 404
    assert linked.client().get(url).status_code == 302
    # The province task's page leads to it.
    task_page = linked.client(linked.sonoivu).get(linked.targets[1].get_absolute_url())
    assert f'href="{url}"' in task_page.content.decode()


def test_the_rollup_page_runs_a_fixed_number_of_queries(linked, django_assert_num_queries):
    client = linked.client(linked.province_viewer)
    url = rollup_url(linked.targets[1])
    link(linked, "SKHCN", 1, 1)
    with django_assert_num_queries(QUERIES) as first:
        assert client.get(url).status_code == 200
    for number in (2, 3, 4, 5, 6):
        link(linked, "SKHCN", number, 1)
        link(linked, "STP", number, 1)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).content.decode().count("linked-task") == 11


def test_the_link_page_runs_a_fixed_number_of_queries(linked, django_assert_num_queries):
    client = linked.client(linked.offices["SKHCN"])
    task = task_of(linked, "SKHCN", 1)
    with django_assert_num_queries(LINK_QUERIES):
        assert client.get(link_url(task)).status_code == 200


# The layout and session, the task with its units, its lead and coordinating agencies, the
# roll-up (lead agencies, counts) and the linked tasks: 12, however many tasks are linked.
QUERIES = 12
# Layout and session (5), the task (3), the choices (exists, then the options).
LINK_QUERIES = 10


def test_the_office_links_many_tasks_at_once_from_the_plan(linked, django_assert_num_queries):
    client = linked.client(linked.offices["SKHCN"])
    plan = linked.plans["SKHCN"]
    url = f"/ke-hoach/{plan.pk}/gan-ke-hoach-tinh/"
    assert f'href="{url}"' in client.get(f"/ke-hoach/{plan.pk}/").content.decode()
    with django_assert_num_queries(PLAN_LINKS_QUERIES):
        page = client.get(url).content.decode()
    assert page.count('class="link-row"') == 6
    tasks = {task.number: task for task in plan.tasks.all()}
    data = {
        f"task-{tasks[1].pk}": linked.targets[1].pk,
        f"task-{tasks[4].pk}": linked.targets[3].pk,
    }
    assert post_form(client, url, data).status_code == 302
    assert dict(
        plan.tasks.filter(carries_out__isnull=False).values_list("number", "carries_out")
    ) == {
        1: linked.targets[1].pk,
        4: linked.targets[3].pk,
    }
    # A task of another plan is refused, and nothing of the form is saved.
    stranger = linked.plans["STP"].tasks.get(number=2)
    post_form(client, url, {f"task-{tasks[2].pk}": stranger.pk, f"task-{tasks[1].pk}": ""})
    assert plan.tasks.filter(carries_out__isnull=False).count() == 2
    # Only the office: a member is refused, another agency does not see the plan.
    assert post_form(linked.client(linked.members["SKHCN"]), url, data).status_code == 403
    assert post_form(linked.client(linked.offices["STP"]), url, data).status_code == 404


# The layout and session, the plan, its tasks, the province's tasks.
PLAN_LINKS_QUERIES = 8
