"""Every page of the registers and figures runs the same queries with a handful of entries as
with 10,000 activities and thousands of register entries, figures and history lines."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.activities.models import (
    Activity,
    Change,
    Figure,
    Indicator,
    Initiative,
    LegalDocument,
)

pytestmark = pytest.mark.django_db
TODAY = "2026-07-01 10:00 +07:00"
# The pages and the queries each runs (session, user, membership, then its own reads).
EXPECTED = {
    "activities": 12,
    "activities_q1": 12,
    "initiatives": 11,
    "documents": 11,
    "history": 9,
    "indicators": 12,
    "figures": 11,
    # The task page: one query for "12 bài đăng, 3 hội nghị", two for sub-items and extensions.
    "task": 15,
    # "Cần làm": three for the figures a unit owes, one for inspections, three for extension
    # requests and completions waiting for the office or returned to the unit; one for the
    # province's requests not answered yet; two for the consolidated report's next step and
    # the reports come into the agency's inbox (issue 16).
    "todo": 19,
}


def grow(world, activities, entries, indicators):
    """Bring the plan to `activities` activities, `entries` initiatives, documents and history
    lines, and `indicators` indicators with a figure each for Quý I."""
    rng = random.Random(activities)
    units = [world.lead_unit, world.helping_unit, world.bystander_unit, world.office]
    start = date(2025, 12, 15)

    def fields(n):
        return {
            "plan": world.plan,
            "unit": units[n % len(units)],
            "task": world.task if n % 5 == 0 else None,
            "created_by": world.coordinator,
        }

    have = Activity.objects.count()
    Activity.objects.bulk_create(
        Activity(
            date=start + timedelta(days=rng.randrange(360)),
            form=rng.choice(["web_post", "conference", "training", "meeting"]),
            topic=rng.choice(["procedures", "science_law", "other"]),
            title=f"Hoạt động {n}",
            participants=rng.randrange(100),
            **fields(n),
        )
        for n in range(have, activities)
    )
    have = Initiative.objects.count()
    Initiative.objects.bulk_create(
        Initiative(
            title=f"Sáng kiến {n}",
            authors="A",
            decision_number=f"{n}/QĐ",
            date=start + timedelta(days=n % 360),
            level="agency",
            **fields(n),
        )
        for n in range(have, entries)
    )
    have = LegalDocument.objects.count()
    LegalDocument.objects.bulk_create(
        LegalDocument(
            number_symbol=f"{n}/KH",
            date=start + timedelta(days=n % 360),
            action="reviewed",
            kind="legal",
            summary=f"Văn bản {n}",
            **fields(n),
        )
        for n in range(have, entries)
    )
    have = Change.objects.count()
    Change.objects.bulk_create(
        Change(
            plan=world.plan,
            record_kind="activity",
            action="created",
            summary=f"Hoạt động {n}",
            unit=units[n % 4],
            author=world.coordinator,
        )
        for n in range(have, entries)
    )
    q1 = world.plan.periods.get(kind="q1")
    have = Indicator.objects.count()
    made = Indicator.objects.bulk_create(
        Indicator(
            plan=world.plan,
            code=f"CT-{n}",
            name=f"Chỉ tiêu {n}",
            measure="hồ sơ",
            target=Decimal(100),
            unit=units[n % len(units)],
            order=n,
        )
        for n in range(have, indicators)
    )
    Figure.objects.bulk_create(
        Figure(indicator=i, period=q1, value=Decimal(n), entered_by=world.coordinator)
        for n, i in enumerate(made)
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@time_machine.travel(TODAY)
def test_each_page_runs_the_same_queries_with_10_or_10000_activities(world):
    q1 = world.plan.periods.get(kind="q1")
    plan = world.plan.pk
    urls = {
        "activities": f"/ke-hoach/{plan}/tuyen-truyen/",
        "activities_q1": f"/ke-hoach/{plan}/tuyen-truyen/?ky={q1.pk}&don_vi={world.lead_unit.pk}",
        "initiatives": f"/ke-hoach/{plan}/sang-kien/",
        "documents": f"/ke-hoach/{plan}/van-ban/",
        "history": f"/ke-hoach/{plan}/so-theo-doi/lich-su/",
        "indicators": f"/ke-hoach/{plan}/chi-tieu/",
        "figures": f"/ky-bao-cao/{q1.pk}/so-lieu/",
        "task": f"/nhiem-vu/{world.task.pk}/",
        "todo": "/can-lam/",
    }
    client = world.client(world.coordinator)
    grow(world, 10, 10, 3)
    small = {name: queries(client, url) for name, url in urls.items()}
    grow(world, 10_000, 2_000, 60)
    large = {name: queries(client, url) for name, url in urls.items()}

    assert large == small == EXPECTED
