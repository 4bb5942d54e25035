"""The pages whose figures follow the period rule run a fixed number of queries."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.plans.models import ReportingPeriod, Status
from partrack.reporting.models import UnitReport

pytestmark = pytest.mark.django_db
TODAY = "2026-11-26 10:00 +07:00"
# 15 for the report itself, 1 for the extensions granted by its day (issue 14), 5 for the
# sections partrack.activities registers (activities by form and topic, initiatives,
# documents, indicators and their figures), 1 for the leaders the office may send it to
# for approval (issue 16).
CONSOLIDATED_PAGE_QUERIES = 22


def grow(world, count):
    units = [world.lead_unit, world.helping_unit, world.bystander_unit, world.office]
    words = ["Tháng 02/2026", "Quý I/2026", "Tháng 7/2026", "Năm 2026", "Thường xuyên"]
    start = world.plan.tasks.count() + 1
    for number in range(start, count + 1):
        world.add_task(
            number=number,
            content=f"Nhiệm vụ {number}",
            deadline_text=words[number % len(words)],
            lead=units[number % len(units)],
            status=Status.DONE if number % 3 == 0 else Status.NOT_STARTED,
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@time_machine.travel(TODAY)
def test_ranking_pages_and_file_run_the_same_queries_for_10_and_300_tasks(world):
    periods = {p.kind: p for p in ReportingPeriod.objects.filter(plan=world.plan)}
    UnitReport.objects.create(period=periods["q1"], unit=world.lead_unit, status="draft")
    base = f"/ke-hoach/{world.plan.pk}/xep-hang/"
    urls = [base, f"{base}?ky={periods['q1'].pk}", f"{base}xlsx/", f"{base}xlsx/?ky=nam"]
    client = world.client(world.leader)
    grow(world, 10)
    small = [queries(client, url) for url in urls]
    grow(world, 300)
    large = [queries(client, url) for url in urls]
    assert small == large
    assert large == [10, 10, 9, 9]


@time_machine.travel(TODAY)
def test_the_consolidated_report_page_runs_the_same_queries_for_10_and_300_tasks(world):
    period = ReportingPeriod.objects.get(plan=world.plan, kind="q1")
    url = f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/"
    client = world.client(world.coordinator)
    grow(world, 10)
    small = queries(client, url)
    grow(world, 300)
    assert queries(client, url) == small == CONSOLIDATED_PAGE_QUERIES
