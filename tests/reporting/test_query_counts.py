"""The reporting pages run the same number of queries for a small and a large plan."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.plans.models import Evidence, ReportingPeriod, Task
from partrack.reporting import services
from tests.plans.test_query_counts import grow_to

pytestmark = pytest.mark.django_db
# Cần làm's hooks included: one query for the province's requests not answered yet, two for
# the consolidated report's next step and the reports come into the agency's inbox (issue 16).
MAX_QUERIES = 19


def measure(world):
    period = ReportingPeriod.objects.get(plan=world.plan, kind="q1")
    report = services.start_unit_report(period=period, unit=world.lead_unit)
    if report.entries.count() > 1 and not Evidence.objects.exists():
        for task in Task.objects.filter(plan=world.plan)[:50]:
            Evidence.objects.create(task=task, added_by=world.lead_member, number_symbol="1/BC")
    pages = {
        "periods": (f"/ke-hoach/{world.plan.pk}/ky-bao-cao/", world.coordinator),
        "board": (f"/ky-bao-cao/{period.pk}/", world.coordinator),
        "unit report (writer)": (report.get_absolute_url(), world.lead_member),
        "unit report (office)": (report.get_absolute_url(), world.coordinator),
        "todo (member)": ("/can-lam/", world.lead_member),
        "todo (office)": ("/can-lam/", world.coordinator),
    }
    counts = {}
    for name, (url, user) in pages.items():
        client = world.client(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)
    report.delete()
    return counts


@time_machine.travel("2026-03-03 10:00 +07:00")
def test_reporting_pages_run_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    grow_to(world, 36)
    small = measure(world)
    grow_to(world, 1200)
    large = measure(world)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


def add_units(world, count):
    from partrack.org.models import Role, Unit
    from tests.conftest import make_person

    have = world.agency.units.count()
    for n in range(have, have + count):
        unit = Unit.objects.create(agency=world.agency, name=f"Phòng số {n}", order=n)
        make_person(f"member-{n}", world.agency, Role.MEMBER, unit)


def send_all(world, period, day):
    from partrack.reporting.models import UnitReport

    with time_machine.travel(day):
        for unit in world.agency.units.exclude(reports__period=period):
            report = services.start_unit_report(period=period, unit=unit)
            member = unit.memberships.first()
            services.submit_unit_report(
                report=report, by=member.user if member else world.coordinator
            )
    return UnitReport.objects.filter(period=period)


def review_pages(world):
    q1 = ReportingPeriod.objects.get(plan=world.plan, kind="q1")
    h1 = ReportingPeriod.objects.get(plan=world.plan, kind="h1")
    pages = {
        "board (overdue and sent)": (f"/ky-bao-cao/{q1.pk}/", world.coordinator),
        "board of the next period": (f"/ky-bao-cao/{h1.pk}/", world.leader),
        "todo (office, reports waiting)": ("/can-lam/", world.coordinator),
        "todo (member, reports overdue)": ("/can-lam/", world.bystander),
    }
    counts = {}
    for name, (url, user) in pages.items():
        client = world.client(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_the_board_and_cần_làm_stay_fixed_with_many_units_waiting_or_overdue(world):
    from partrack.reporting.models import UnitReport

    q1 = ReportingPeriod.objects.get(plan=world.plan, kind="q1")
    send_all(world, q1, "2026-03-09 09:00 +07:00")
    UnitReport.objects.filter(unit=world.bystander_unit).delete()
    with time_machine.travel("2026-07-01 09:00 +07:00"):
        small = review_pages(world)
    add_units(world, 40)
    send_all(world, q1, "2026-03-09 09:00 +07:00")
    UnitReport.objects.filter(unit=world.bystander_unit).delete()
    with time_machine.travel("2026-07-01 09:00 +07:00"):
        large = review_pages(world)
    assert UnitReport.objects.filter(status="submitted").count() > 40
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


def test_an_accepted_report_marked_after_acceptance_runs_a_fixed_number_of_queries(world):
    q1 = ReportingPeriod.objects.get(plan=world.plan, kind="q1")

    def accepted_page():
        client = world.client(world.coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report.get_absolute_url()).status_code == 200
        return len(queries)

    grow_to(world, 36)
    with time_machine.travel("2026-03-09 09:00 +07:00"):
        report = services.start_unit_report(period=q1, unit=world.lead_unit)
        services.submit_unit_report(report=report, by=world.lead_member)
        services.accept_unit_report(report=report, by=world.coordinator)
    small = accepted_page()
    report.delete()
    grow_to(world, 1200)
    with time_machine.travel("2026-03-09 09:00 +07:00"):
        report = services.start_unit_report(period=q1, unit=world.lead_unit)
        services.submit_unit_report(report=report, by=world.lead_member)
        services.accept_unit_report(report=report, by=world.coordinator)
    assert accepted_page() == small <= MAX_QUERIES
