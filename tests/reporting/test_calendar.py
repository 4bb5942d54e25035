"""The private calendar feed: a person's deadlines, reachable with the secret link alone."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from partrack.org.models import Membership
from partrack.plans.models import ReportingPeriod, Status, Task
from tests.conftest import client_as, demo_client, post_form

pytestmark = pytest.mark.django_db


def feed_url(login):
    return f"/lich/{Membership.objects.get(user__username=login).calendar_token}.ics"


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def task_summaries(response):
    return sorted(
        str(e["summary"]) for e in events(response).values() if str(e["uid"]).startswith("task-")
    )


def demo_task(number):
    return Task.objects.get(plan__agency__short_name="SKHCN", number=number)


def test_feed_for_a_unit_member_lists_the_open_dated_tasks_their_unit_leads(demo):
    response = client_as().get(feed_url("phongcds"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    task_33, task_35, task_34 = demo_task(33), demo_task(35), demo_task(34)
    assert f"task-{task_33.pk}@testserver" in found
    assert f"task-{task_35.pk}@testserver" in found
    assert f"task-{task_34.pk}@testserver" not in found  # "Theo yêu cầu": no date
    assert len([uid for uid in found if uid.startswith("task-")]) == 2

    event = found[f"task-{task_33.pk}@testserver"]
    assert str(event["summary"]).startswith("Hạn nhiệm vụ 33: Tham mưu dự thảo Nghị quyết")
    assert event.decoded("dtstart") == date(2026, 3, 31)
    assert event.decoded("dtend") == date(2026, 4, 1)
    assert str(event["url"]) == f"http://testserver/nhiem-vu/{task_33.pk}/"
    assert "Quý I/2026" in str(event["description"])


def test_feed_lists_the_unit_report_deadlines_of_the_agency(demo):
    found = events(client_as().get(feed_url("phongcds")))
    periods = ReportingPeriod.objects.filter(plan=demo).order_by("unit_due")
    report_events = [found[f"period-{period.pk}-units@testserver"] for period in periods]
    assert [e.decoded("dtstart") for e in report_events] == [
        date(2026, 3, 10),
        date(2026, 6, 10),
        date(2026, 9, 10),
        date(2026, 12, 10),
    ]
    assert str(report_events[0]["summary"]) == "Hạn đơn vị gửi báo cáo Quý I 2026"
    cds = Membership.objects.get(user__username="phongcds").unit_id
    assert str(report_events[0]["url"]).endswith(f"/ky-bao-cao/{periods[0].pk}/don-vi/{cds}/")
    # The agency's own deadline to Sở Nội vụ is the office's and the leaders' business.
    assert not any(uid.endswith("-agency@testserver") for uid in found)


def test_uids_stay_the_same_from_one_fetch_to_the_next(demo):
    client = client_as()
    first = events(client.get(feed_url("phongcds")))
    again = events(client.get(feed_url("phongcds")))
    assert set(first) == set(again)


def test_a_done_task_leaves_the_feed(demo):
    Task.objects.filter(pk=demo_task(33).pk).update(status=Status.DONE, done_on=date(2026, 3, 20))
    summaries = task_summaries(client_as().get(feed_url("phongcds")))
    assert [s.split(":")[0] for s in summaries] == ["Hạn nhiệm vụ 35"]


def test_the_office_sees_every_open_dated_task_of_the_agency(demo):
    # The agency's deadline is on the calendar once the office has set it, and only then.
    ReportingPeriod.objects.filter(plan=demo, kind="q1").update(agency_due=date(2026, 3, 20))
    found = events(client_as().get(feed_url("vanphong")))
    numbers = {
        int(str(e["summary"]).split(":")[0].split()[-1])
        for uid, e in found.items()
        if uid.startswith("task-")
    }
    assert {33, 35, 30, 14} <= numbers
    assert 1 not in numbers  # done
    assert 12 not in numbers  # continuous
    assert 34 not in numbers  # no date
    justice = Task.objects.filter(plan__agency__short_name="STP").values_list("pk", flat=True)
    assert not any(f"task-{pk}@testserver" in found for pk in justice)
    q1 = ReportingPeriod.objects.get(plan=demo, kind="q1")
    agency_due = found[f"period-{q1.pk}-agency@testserver"]
    assert agency_due.decoded("dtstart") == date(2026, 3, 20)
    assert len([uid for uid in found if uid.endswith("-agency@testserver")]) == 1


def test_a_leader_sees_the_report_deadlines_and_no_tasks(demo):
    found = events(client_as().get(feed_url("lanhdao")))
    assert not any(uid.startswith("task-") for uid in found)
    # The units' four deadlines; no agency deadline is set in the demo.
    assert len([uid for uid in found if uid.startswith("period-")]) == 4


def test_an_unknown_token_is_not_found(demo):
    assert client_as().get("/lich/khong-co-token-nay.ics").status_code == 404
    assert client_as().get("/lich/.ics").status_code == 404


def test_the_old_link_stops_working_after_a_reset(demo):
    old = feed_url("phongcds")
    client = demo_client("phongcds")
    response = post_form(client, "/cai-dat/lich-moi/", {})
    assert response.status_code == 302
    new = feed_url("phongcds")
    assert new != old
    assert client_as().get(old).status_code == 404
    assert client_as().get(new).status_code == 200


def test_an_inactive_person_has_no_feed(demo):
    get_user_model().objects.filter(username="phongcds").update(is_active=False)
    assert client_as().get(feed_url("phongcds")).status_code == 404


def grow(world, total):
    new = []
    for n in range(2, total + 1):
        task = Task(plan=world.plan, area=world.area, number=n, order=n, content=f"Nhiệm vụ {n}")
        task.set_deadline("Quý II/2026" if n % 2 else "Trước ngày 30/11/2026", 2026)
        new.append(task)
    Task.objects.bulk_create(new)
    through = Task.lead_units.through
    through.objects.bulk_create(
        [through(task_id=t.pk, unit_id=u.pk) for t in new for u in (world.lead_unit, world.office)]
    )


@pytest.mark.parametrize("login", ["lead", "office", "leader"])
def test_feed_runs_the_same_few_queries_with_few_and_many_tasks(
    world, login, django_assert_max_num_queries
):
    world.plan.ensure_periods()
    url = feed_url(login)
    client = client_as()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(world, 300)
    with django_assert_max_num_queries(4):
        response = client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    if login != "leader":
        assert len(task_summaries(response)) == 300
