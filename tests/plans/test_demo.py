"""The demo loads the seed plan as issued, with its units matched."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from partrack.org.models import Agency, Membership, Role, Unit
from partrack.plans.demo import SEED_PLAN
from partrack.plans.models import Plan, ProgressUpdate, Task

pytestmark = pytest.mark.django_db


def test_seed_plan_loads_with_its_36_tasks_7_areas_and_deadlines(demo):
    expected = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
    rows = [(s["roman"], t) for s in expected["sections"] for t in s["tasks"]]
    tasks = list(Task.objects.filter(plan=demo).select_related("area").order_by("order"))
    assert len(tasks) == 36 and demo.areas.count() == 7
    for (numeral, row), task in zip(rows, tasks, strict=True):
        assert (task.area.numeral, task.number, task.content) == (
            numeral,
            row["no"],
            row["content"],
        )
        assert task.deadline_text == row["deadline_text"]
        assert task.deadline_kind == row["deadline_kind"]
        assert (task.due_date.isoformat() if task.due_date else None) == row["due_date"]
        assert task.lead_names == row["lead"]


def test_every_lead_name_of_the_seed_matches_a_unit(demo):
    for task in Task.objects.filter(plan=demo).prefetch_related("lead_units"):
        assert task.lead_units.exists(), task.number
    one_stop = Unit.objects.get(short_name="BPMC")
    assert set(one_stop.led_tasks.values_list("number", flat=True)) == {23, 24}
    office = Unit.objects.get(short_name="VP", agency__short_name="SKHCN")
    assert office.led_tasks.filter(number__in=[12, 23]).count() == 2


def test_every_unit_of_the_agency_coordinates_except_the_lead(demo):
    task = Task.objects.get(plan=demo, number=33)
    names = set(task.coordinating_units.values_list("short_name", flat=True))
    assert names == {"VP", "KHTC", "SHTT&ATBX", "TĐC", "BPMC"}
    assert task.outside_bodies == ["Các cơ quan, đơn vị có liên quan"]


def test_second_agency_has_its_own_plan_under_the_same_province(demo):
    justice = Agency.objects.get(short_name="STP")
    assert justice.parent == demo.agency.parent
    assert Plan.objects.filter(agency=justice).count() == 1
    assert ProgressUpdate.objects.filter(task__plan=demo).count() >= 10


def test_the_demo_is_a_small_province(demo):
    province = demo.agency.parent
    assert province.kind == Agency.Kind.PROVINCE
    office = province.units.get(is_coordinator=True)
    assert office.name == "Sở Nội vụ"
    sonoivu = Membership.objects.get(user__username="sonoivu")
    assert (sonoivu.agency, sonoivu.unit, sonoivu.role) == (province, office, Role.COORDINATOR)
    admin = Membership.objects.get(user__username="quantritinh")
    assert admin.administers_province()
    communes = province.children.filter(kind=Agency.Kind.COMMUNE)
    assert communes.count() == 2
    for commune in communes:
        assert commune.name.startswith("Ủy ban nhân dân xã")
        assert commune.plans.get().tasks.count() == 3
        assert commune.units.filter(is_coordinator=True).count() == 1


def test_demo_command_loads_once_and_if_empty_leaves_a_full_database_alone(db):
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "vanphong" in out.getvalue()
    # Sở KH&CN's, Sở Tư pháp's, the two communes' (issue 16) and UBND tỉnh's
    # (partrack/cascade/demo.py).
    assert Plan.objects.count() == 5
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert Plan.objects.count() == 5
    assert "partrack-demo" in out.getvalue()
