"""An inspection of the World's agency, and the demo's 2026 inspection."""

from datetime import date

import pytest
import time_machine

from partrack.inspections import services
from partrack.inspections.models import Inspection, Rating

# Inside the plan year's Quý III, when the inspection runs.
DURING = "2026-08-10 10:00 +07:00"


class InspectionWorld:
    """The World's plan with an inspection of the lead unit, led by the agency's leader.

    The office sits on the team and is assigned the lead unit's minutes; the helping unit and
    the bystander unit inspect themselves.
    """

    def __init__(self, world):
        self.world = world
        w = world
        self.inspection = services.start_inspection(plan=w.plan, by=w.coordinator)
        services.select_units(inspection=self.inspection, by=w.coordinator, units=[w.lead_unit])
        services.set_team(
            inspection=self.inspection,
            by=w.coordinator,
            members=[w.leader, w.coordinator],
            leader=w.leader,
        )
        self.inspected = self.inspection.inspected_units.get(unit=w.lead_unit)
        services.schedule_unit(
            inspected=self.inspected,
            by=w.coordinator,
            visit_on=date(2026, 8, 12),
            place="Phòng họp số 2",
            assignees=[w.coordinator],
        )

    def write_minutes(self, ratings=None):
        ratings = ratings or [Rating.PASSED] * len(self.inspection.contents)
        rows = {n: (f"Hồ sơ {n}", f"Phát hiện {n}", r) for n, r in enumerate(ratings)}
        services.save_minutes(inspected=self.inspected, by=self.world.coordinator, rows=rows)

    def sign_and_conclude(self):
        services.sign_minutes(inspected=self.inspected, by=self.world.leader)
        self.inspected.refresh_from_db()
        services.conclude(
            inspected=self.inspected, by=self.world.coordinator, findings="Cơ bản đạt yêu cầu."
        )

    def url(self, suffix=""):
        return f"/kiem-tra/{self.inspection.pk}/{suffix}"


@pytest.fixture
def iw(world):
    with time_machine.travel(DURING):
        return InspectionWorld(world)


@pytest.fixture
def inspection_demo(db):
    from partrack.plans.demo import load_demo

    load_demo(extensions=True)
    return Inspection.objects.select_related("plan__agency").get(plan__agency__short_name="SKHCN")
