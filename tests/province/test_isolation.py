"""Isolation at the province's size (issue 16, item 7): 150 agencies in two provinces.

Every page one agency's people open runs as many queries at 150 agencies as at 10, and shows
nothing of any other agency; Sở Nội vụ's pages read every agency of its province and nothing
of the second province; the second province reads none of the first.

The data is made once for the module (the generator's bulk inserts) inside a transaction that
is rolled back after it: the tests assert on what the pages answered.
"""

import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from partrack.org.models import Agency, Role
from partrack.plans.models import Plan
from partrack.province.generate import generate
from tests.conftest import client_as, make_person

pytestmark = pytest.mark.django_db

NAME = re.compile(r"Sở Mẫu số (\d+)\b")
SHORT = re.compile(r"\bG(\d{5})\b")
SECOND_PROVINCE_SIZE = 20


def agency_pages(agency):
    plan = Plan.objects.get(agency=agency)
    task = plan.tasks.order_by("number").first()
    period = plan.periods.get(kind="q3")
    unit = agency.units.order_by("order")[2]
    return {
        "home": "/ke-hoach/",
        "plan": f"/ke-hoach/{plan.pk}/",
        "overview": f"/ke-hoach/{plan.pk}/tong-quan/",
        "ranking": f"/ke-hoach/{plan.pk}/xep-hang/",
        "task": f"/nhiem-vu/{task.pk}/",
        "my unit": "/don-vi-cua-toi/",
        "todo": "/can-lam/",
        "periods": f"/ke-hoach/{plan.pk}/ky-bao-cao/",
        "board": f"/ky-bao-cao/{period.pk}/",
        "unit report": f"/ky-bao-cao/{period.pk}/don-vi/{unit.pk}/",
        "consolidated": f"/ky-bao-cao/{period.pk}/bao-cao-tong-hop/",
    }


def measure(person, pages):
    """{page: (queries, agency numbers named in it)} for one person (second read of each)."""
    client = client_as(person)
    seen = {}
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (person.username, name, response.status_code)
        html = response.content.decode()
        named = {int(n) for n in NAME.findall(html)} | {int(n) for n in SHORT.findall(html)}
        seen[name] = (len(queries), named)
    return seen


def settle(total):
    """Every generated agency under the first province but the last SECOND_PROVINCE_SIZE,
    which stay under a second one."""
    roots = Agency.objects.filter(is_generated=True, parent__isnull=True)
    roots.update(kind="province")
    first = roots.exclude(short_name="GTSEC").order_by("pk").first()
    second = roots.filter(short_name="GTSEC").first()
    if second is None:
        second = Agency.objects.create(
            name="UBND tỉnh Mẫu thứ hai", short_name="GTSEC", kind="province", is_generated=True
        )
        make_person("gen-tinh-sec", second, Role.VIEWER)
    agencies = Agency.objects.filter(is_generated=True, parent__isnull=False).order_by("pk")
    ids = list(agencies.values_list("pk", flat=True))
    Agency.objects.filter(pk__in=ids[: total - SECOND_PROVINCE_SIZE]).update(parent=first)
    Agency.objects.filter(pk__in=ids[total - SECOND_PROVINCE_SIZE :]).update(parent=second)
    return first, second


@pytest.fixture(scope="module")
def answers(django_db_setup, django_db_blocker):
    User = get_user_model()
    result = {}
    with django_db_blocker.unblock(), time_machine.travel("2026-11-26 10:00 +07:00"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            generate(agencies=30, tasks_per_plan=12, updates_per_task=1, year=2026)
            settle(30)
            agency = Agency.objects.get(short_name="G00002")
            office = User.objects.get(username="gen-g00002")
            province = User.objects.get(username="gen-tinh-001")
            pages = agency_pages(agency)
            province_pages = {
                "province home": "/ke-hoach/",
                "province overview": "/tong-quan-tinh/",
                "province tasks": "/nhiem-vu-cac-co-quan/",
                "agency plan": pages["plan"],
                "agency board": pages["board"],
            }
            result["small"] = measure(office, pages)
            result["province small"] = measure(province, province_pages)
            generate(agencies=120, tasks_per_plan=12, updates_per_task=1, year=2026)
            first, second = settle(150)
            result["agencies"] = Agency.objects.filter(parent=first).count()
            result["large"] = measure(office, pages)
            result["province large"] = measure(province, province_pages)
            second_viewer = second.memberships.get().user
            result["second"] = measure(second_viewer, {"overview": "/tong-quan-tinh/"})
            result["second numbers"] = {
                int(a.short_name[1:]) for a in Agency.objects.filter(parent=second)
            }
            client = client_as(second_viewer)
            result["second reaches"] = {
                name: client.get(url).status_code
                for name, url in pages.items()
                if name not in ("home", "my unit", "todo")
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    return result


def test_the_province_holds_150_agencies_in_two(answers):
    assert answers["agencies"] == 150 - SECOND_PROVINCE_SIZE
    assert len(answers["second numbers"]) == SECOND_PROVINCE_SIZE


def test_every_page_of_one_agency_keeps_its_query_count(answers):
    small = {name: count for name, (count, _named) in answers["small"].items()}
    large = {name: count for name, (count, _named) in answers["large"].items()}
    assert large == small


def test_no_page_of_one_agency_names_another(answers):
    for name, (_count, named) in answers["large"].items():
        assert named <= {2}, (name, sorted(named)[:10])
    assert answers["large"]["plan"][1] == {2}  # the check sees the agency's own name


def test_the_provinces_pages_keep_their_query_count_and_read_only_its_agencies(answers):
    small = {name: count for name, (count, _named) in answers["province small"].items()}
    large = {name: count for name, (count, _named) in answers["province large"].items()}
    assert large == small
    _count, named = answers["province large"]["province overview"]
    # A page of the overview: the first 50 agencies by name, none of the second province.
    assert named and not named & answers["second numbers"]


def test_the_second_province_sees_nothing_of_the_first(answers):
    _count, named = answers["second"]["overview"]
    assert named == answers["second numbers"]
    assert set(answers["second reaches"].values()) == {404}, answers["second reaches"]
