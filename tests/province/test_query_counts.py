"""The cross-agency list and the home page run the same queries at 216 tasks as at 7,200.

The data comes from the generator (bulk inserts), so the large size takes seconds; the national
size (150,000 tasks) is measured by bench/pages.py.
"""

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.org.models import Agency
from partrack.plans.models import Task
from partrack.province.generate import generate
from tests.conftest import client_as

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def grow_to(agencies):
    have = Agency.objects.filter(is_generated=True, parent__isnull=False).count()
    generate(agencies=agencies - have, tasks_per_plan=36, updates_per_task=0, year=2026)
    # One province reads them all, as Sở Nội vụ does.
    first = Agency.objects.filter(is_generated=True, parent__isnull=True).order_by("pk").first()
    Agency.objects.filter(is_generated=True, parent__isnull=False).update(parent=first)


def queries_per_page():
    User = get_user_model()
    province = User.objects.get(username="gen-tinh-001")
    superuser = User.objects.get(username="gen-g00001")
    superuser.is_superuser = True
    superuser.save()
    agency = Agency.objects.get(short_name="G00002")
    unit = agency.units.order_by("order")[2]
    pages = {
        "home (province)": "/ke-hoach/",
        "home (all years)": "/ke-hoach/?nam=all&page=2",
        "tasks": "/nhiem-vu-cac-co-quan/",
        "tasks filtered": "/nhiem-vu-cac-co-quan/?q=luong xanh&state=overdue&area=III&year=2026",
        "tasks of a unit": f"/nhiem-vu-cac-co-quan/?agency={agency.pk}&unit={unit.pk}&sort=-due",
        "tasks by dates": "/nhiem-vu-cac-co-quan/?due_from=01/06/2026&due_to=30/11/2026&page=3",
    }
    counts = {}
    for person in (province, superuser):
        client = client_as(person)
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            # An empty page skips its row queries: every page here shows rows at both sizes.
            assert b"task-row" in response.content or name.startswith("home"), name
            counts[f"{name} as {person.username}"] = len(queries)
    return counts


@time_machine.travel("2026-11-26 10:00 +07:00")
def test_the_cross_agency_pages_run_a_fixed_number_of_queries_at_216_and_7200_tasks(db):
    grow_to(6)
    assert Task.objects.count() == 216
    small = queries_per_page()
    grow_to(200)
    assert Task.objects.count() == 7200
    large = queries_per_page()
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
