"""A revised plan document never carries the inspection's follow-up tasks: a revision keeps them."""

import copy

import pytest

from partrack.inspections.models import FOLLOW_UP_AREA, Recommendation
from partrack.plans import services
from partrack.plans.models import Task

pytestmark = pytest.mark.django_db


def test_a_revision_import_keeps_the_follow_up_tasks_in_their_own_area(inspection_demo):
    plan = inspection_demo.plan
    office = plan.agency.memberships.get(role="coordinator").user
    follow_ups = {r.task_id for r in Recommendation.objects.filter(task__plan=plan)}
    assert len(follow_ups) == 2
    # The revised document: the plan's own sections only, one task reworded.
    data = copy.deepcopy(plan.as_data())
    data["sections"] = [s for s in data["sections"] if s["title"] != FOLLOW_UP_AREA]
    data["sections"][0]["tasks"][0]["content"] += " (điều chỉnh)"

    services.revise_plan(plan=plan, data=data, by=office)

    kept = Task.objects.filter(pk__in=follow_ups).select_related("area")
    assert len(kept) == 2
    assert {task.area.title for task in kept} == {FOLLOW_UP_AREA}
    assert all(r.task_id in follow_ups for r in Recommendation.objects.filter(task__plan=plan))
