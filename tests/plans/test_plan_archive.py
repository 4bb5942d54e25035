"""A plan made by mistake is archived: out of every list, reminder, digest, calendar and ranking,
still readable, and restored as it was. Nothing is deleted."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model

from partrack.org.models import Membership
from partrack.plans import services
from partrack.plans.models import Plan, PlanEvent, Task
from partrack.reporting.calendar import feed_periods, feed_tasks
from partrack.reporting.reminders import agency_digest, reminders_due
from partrack.reporting.todo import todo_for
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db

# A day with Quý I tasks due within a week and the Quý I unit reports due: reminders to send.
BUSY_DAY = date(2026, 3, 5)


def member(login):
    return Membership.objects.select_related("unit").get(user__username=login)


def archive(plan, reason="Tạo nhầm khi thử nhập"):
    office = get_user_model().objects.get(username="vanphong")
    return services.archive_plan(plan=plan, by=office, reason=reason)


def what_chases(plan):
    """Everything that would chase or list the plan's work on the busy day."""
    office, unit_member = member("vanphong"), member("phongcds")
    # The demo's other agency has a plan of its own: only this agency's people count here.
    people = set(Membership.objects.filter(agency=plan.agency).values_list("user_id", flat=True))
    return {
        "reminders": [r for r in reminders_due(BUSY_DAY) if r.user_id in people],
        "calendar": list(feed_tasks(office)) + list(feed_tasks(unit_member)),
        "calendar_periods": list(feed_periods(office)),
        "todo": todo_for(office, BUSY_DAY) + todo_for(unit_member, BUSY_DAY),
        "digest": agency_digest(plan.agency_id, BUSY_DAY),
    }


def test_an_archived_plans_tasks_get_no_reminder_digest_calendar_or_todo(demo):
    before = what_chases(demo)
    assert before["reminders"] and before["calendar"] and before["calendar_periods"]
    assert before["todo"] and before["digest"] is not None

    archive(demo)

    after = what_chases(demo)
    assert after == {
        "reminders": [],
        "calendar": [],
        "calendar_periods": [],
        "todo": [],
        "digest": None,
    }


def test_restoring_brings_every_reminder_and_calendar_entry_back(demo):
    before = what_chases(demo)
    archive(demo)
    office = get_user_model().objects.get(username="vanphong")
    services.restore_plan(plan=demo, by=office)
    assert what_chases(demo) == before


def test_archiving_deletes_nothing_and_keeps_the_plan_readable_in_the_archive_list(demo):
    tasks, updates = demo.tasks.count(), demo.tasks.filter(updates__isnull=False).count()
    office = demo_client("vanphong")

    response = post_form(office, f"/ke-hoach/{demo.pk}/luu-tru/", {"reason": "Tạo nhầm"})

    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.is_archived
    assert (demo.tasks.count(), demo.tasks.filter(updates__isnull=False).count()) == (
        tasks,
        updates,
    )
    archive_list = office.get("/ke-hoach/luu-tru/").content.decode()
    assert demo.title in archive_list and "lưu trữ ngày" in archive_list
    page = office.get(f"/ke-hoach/{demo.pk}/").content.decode()
    assert "Kế hoạch này đã được lưu trữ ngày" in page
    assert office.get(f"/ke-hoach/{demo.pk}/thong-tin/").status_code == 200
    event = demo.events.get(kind=PlanEvent.Kind.ARCHIVED)
    assert event.narrative == "Tạo nhầm" and event.author.username == "vanphong"


def test_an_archived_plan_leaves_the_plan_list_and_the_units_work(demo):
    archive(demo)
    home = demo_client("lanhdao").get("/")
    assert home.status_code == 200  # no plan left to go straight to
    assert demo.title not in home.content.decode()
    my_unit = demo_client("phongcds").get("/don-vi-cua-toi/").content.decode()
    assert not any(task.content[:40] in my_unit for task in demo.tasks.all()[:5])


def test_an_archived_plan_has_no_ranking(demo):
    archive(demo)
    response = demo_client("lanhdao").get(f"/ke-hoach/{demo.pk}/xep-hang/")
    assert response.status_code == 302
    assert response["Location"] == f"/ke-hoach/{demo.pk}/thong-tin/"


def test_the_office_restores_an_archived_plan_and_it_is_listed_again(demo):
    archive(demo)
    office = demo_client("vanphong")

    response = post_form(office, f"/ke-hoach/{demo.pk}/khoi-phuc/", {})

    assert response.status_code == 302
    demo.refresh_from_db()
    assert not demo.is_archived
    assert office.get("/").status_code == 302  # the agency's one plan again
    assert demo.events.filter(kind=PlanEvent.Kind.RESTORED).count() == 1
    assert demo.title not in office.get("/ke-hoach/luu-tru/").content.decode()


def test_archiving_without_a_reason_is_refused_with_a_message(demo):
    office = demo_client("vanphong")
    response = post_form(office, f"/ke-hoach/{demo.pk}/luu-tru/", {"reason": "  "})
    assert response.status_code == 302
    assert not Plan.objects.get(pk=demo.pk).is_archived
    assert "Hãy ghi lý do lưu trữ kế hoạch." in office.get(response["Location"]).content.decode()


@pytest.mark.parametrize("persona", ["leader", "lead_member", "viewer", "province_viewer"])
def test_only_the_office_archives_or_restores(world, persona):
    client = world.client(getattr(world, persona))
    assert post_form(
        client, f"/ke-hoach/{world.plan.pk}/luu-tru/", {"reason": "x"}
    ).status_code in (403,)
    services.archive_plan(plan=world.plan, by=world.coordinator, reason="Tạo nhầm")
    assert post_form(client, f"/ke-hoach/{world.plan.pk}/khoi-phuc/", {}).status_code == 403
    assert Plan.objects.get(pk=world.plan.pk).is_archived


def test_the_office_of_another_agency_gets_404_and_anonymous_is_sent_to_sign_in(world):
    outsider = world.client(world.outsider)
    for url in ("luu-tru/", "khoi-phuc/", "thong-tin/"):
        assert (
            post_form(outsider, f"/ke-hoach/{world.plan.pk}/{url}", {"reason": "x"}).status_code
            == 404
        )
        response = world.client().post(f"/ke-hoach/{world.plan.pk}/{url}")
        assert response.status_code in (302, 403)
    anonymous = world.client()
    response = anonymous.get("/ke-hoach/luu-tru/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    services.archive_plan(plan=world.plan, by=world.coordinator, reason="Tạo nhầm")
    assert world.plan.title not in outsider.get("/ke-hoach/luu-tru/").content.decode()


def test_an_archived_plan_no_longer_counts_as_the_years_plan_on_import(world):
    from partrack.documents.services import same_year_plan

    assert same_year_plan(agency=world.agency, year=2026) == world.plan
    services.archive_plan(plan=world.plan, by=world.coordinator, reason="Tạo nhầm")
    assert same_year_plan(agency=world.agency, year=2026) is None


@time_machine.travel("2026-03-05 09:00 +0700", tick=False)
def test_the_archive_list_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    for year in (2024, 2025):
        plan = Plan.objects.create(agency=world.agency, year=year, title=f"KH {year}")
        services.archive_plan(plan=plan, by=world.coordinator, reason="Tạo nhầm")
    client = world.client(world.leader)
    # The layout (5), then the archived plans with their agency and who archived them.
    with django_assert_num_queries(6):
        assert client.get("/ke-hoach/luu-tru/").status_code == 200
    services.archive_plan(plan=world.plan, by=world.coordinator, reason="Tạo nhầm")
    with django_assert_num_queries(6):
        assert client.get("/ke-hoach/luu-tru/").status_code == 200
    assert Task.objects.filter(plan=world.plan).exists()


def test_a_plan_is_not_restored_beside_another_plan_of_its_year(world):
    services.archive_plan(plan=world.plan, by=world.coordinator, reason="Tạo nhầm")
    newer = Plan.objects.create(agency=world.agency, year=2026, title="Kế hoạch nhập lại")
    client = world.client(world.coordinator)

    response = post_form(client, f"/ke-hoach/{world.plan.pk}/khoi-phuc/", {})

    assert Plan.objects.get(pk=world.plan.pk).is_archived
    page = client.get(response["Location"]).content.decode()
    assert "Sở đang theo dõi một kế hoạch khác của năm 2026" in page
    services.archive_plan(plan=newer, by=world.coordinator, reason="Bản thử")
    post_form(client, f"/ke-hoach/{world.plan.pk}/khoi-phuc/", {})
    assert not Plan.objects.get(pk=world.plan.pk).is_archived
