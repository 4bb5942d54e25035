"""The reporting pages run the same number of queries for a small and a large plan."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.plans.models import Evidence, ReportingPeriod, Task
from partrack.reporting import services
from tests.plans.test_query_counts import grow_to

pytestmark = pytest.mark.django_db
MAX_QUERIES = 16


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
