"""The list of plans: one year at a time (this year by default), a page at a time."""

import re

import pytest
import time_machine

from partrack.org.models import Agency
from partrack.plans.models import Plan
from tests.conftest import client_as

pytestmark = pytest.mark.django_db


def titles(response):
    return re.findall(r'<div class="fw-semibold">([^<]+)</div>', response.content.decode())


@pytest.fixture
def years(world):
    """The province reads plans of 2025 and 2026, in both agencies, and many 2026 ones."""
    Plan.objects.create(agency=world.agency, year=2025, title="KH 2025", status="closed")
    for n in range(1, 6):
        agency = Agency.objects.create(name=f"Sở số {n}", short_name=f"S{n}", parent=world.province)
        Plan.objects.create(agency=agency, year=2026, title=f"KH 2026 số {n}", status="active")
    return world


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_plan_list_shows_this_years_plans_by_default(years):
    shown = titles(years.client(years.province_viewer).get("/ke-hoach/"))
    assert "KH 2025" not in shown
    assert len(shown) == 7  # the world's two plans and five more, all of 2026


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_year_picker_shows_another_year_or_every_year(years):
    client = years.client(years.province_viewer)
    assert titles(client.get("/ke-hoach/", {"nam": 2025})) == ["KH 2025"]
    assert len(titles(client.get("/ke-hoach/", {"nam": "all"}))) == 8
    page = client.get("/ke-hoach/").content.decode()
    assert '<option value="2025">2025</option>' in page
    assert '<option value="2026" selected>2026</option>' in page
    # A year nobody planned for falls back to the default, not to an empty page.
    assert len(titles(client.get("/ke-hoach/", {"nam": 1999}))) == 7


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_plan_list_is_paginated(years, settings):
    settings.PARTRACK_PAGE_SIZE = 3
    client = years.client(years.province_viewer)
    first = client.get("/ke-hoach/")
    assert len(titles(first)) == 3
    assert "7 kế hoạch" in first.content.decode()
    seen = [t for n in (1, 2, 3) for t in titles(client.get("/ke-hoach/", {"page": n}))]
    assert len(seen) == len(set(seen)) == 7


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_before_this_years_first_plan_the_latest_year_is_shown(world):
    Plan.objects.filter(year=2026).update(year=2025)
    shown = titles(world.client(world.province_viewer).get("/ke-hoach/"))
    assert len(shown) == 2


@time_machine.travel("2026-04-10 09:00 +07:00")
def test_the_province_home_links_to_the_tasks_across_agencies_and_an_agency_home_does_not(years):
    assert "/nhiem-vu-cac-co-quan/" in years.client(years.province_viewer).get("/").content.decode()
    assert (
        "/nhiem-vu-cac-co-quan/"
        not in years.client(years.viewer).get("/ke-hoach/").content.decode()
    )
    assert client_as().get("/ke-hoach/").status_code == 302
