"""The full demo holds UBND tỉnh's illustrative plan, led by its agencies, with some of Sở KH&CN's
and Sở Tư pháp's tasks linked to it."""

import pytest

from partrack.plans.demo import load_demo
from partrack.plans.models import Plan, Task

pytestmark = pytest.mark.django_db


def test_the_demo_province_plan_is_led_by_agencies_and_carried_out_by_them():
    load_demo(office_work=True, extensions=True)
    plan = Plan.objects.get(agency__short_name="UBND", year=2026)
    assert "minh họa" in plan.title and plan.symbol == "12418/KH-UBND"
    assert plan.tasks.count() == 9
    assert all("Minh họa" in task.note for task in plan.tasks.all())
    digital = plan.tasks.get(number=8)
    assert [a.short_name for a in digital.lead_agencies.all()] == ["SKHCN"]
    law = plan.tasks.get(number=3)
    assert [a.short_name for a in law.lead_agencies.all()] == ["STP"]
    assert {"SKHCN", "STP"} <= {a.short_name for a in plan.tasks.get(number=1).lead_agencies.all()}
    linked = Task.objects.filter(carries_out__plan=plan)
    assert linked.filter(plan__agency__short_name="SKHCN").count() == 6
    assert linked.filter(plan__agency__short_name="STP").count() == 2
    # Its events name Sở Nội vụ's desk when the demo has one.
    assert plan.events.count() == 1
