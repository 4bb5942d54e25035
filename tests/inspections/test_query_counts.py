"""The inspection pages run the same number of queries for two units as for a dozen."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.inspections import services
from partrack.inspections.models import InspectionFile, Rating
from partrack.org.models import Role, Unit
from tests.conftest import make_person
from tests.inspections.conftest import DURING

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20


def grow(iw, start, count):
    """Add `count` units: half inspected (minutes, conclusion, two recommendations, files),
    half inspecting themselves (a sent report each)."""
    w = iw.world
    units = [
        Unit.objects.create(agency=w.agency, name=f"Đơn vị {n}", order=n)
        for n in range(start, start + count)
    ]
    chosen = units[: count // 2]
    services.select_units(
        inspection=iw.inspection,
        by=w.coordinator,
        units=[w.lead_unit, *[i.unit for i in iw.inspection.inspected_units.all()], *chosen],
    )
    for unit in chosen:
        inspected = iw.inspection.inspected_units.get(unit=unit)
        services.schedule_unit(
            inspected=inspected,
            by=w.coordinator,
            visit_on=date(2026, 8, 20),
            place="Trụ sở",
            assignees=[w.coordinator, w.leader],
        )
        rows = {n: ("Hồ sơ", "Đạt", Rating.PASSED) for n in range(6)}
        services.save_minutes(inspected=inspected, by=w.coordinator, rows=rows)
        services.sign_minutes(inspected=inspected, by=w.leader)
        inspected.refresh_from_db()
        services.conclude(inspected=inspected, by=w.coordinator, findings="Đạt")
        for n in range(2):
            services.add_recommendation(
                inspected=inspected,
                by=w.coordinator,
                text=f"Kiến nghị {n}",
                lead_unit=unit,
                due_date=date(2026, 10, 1),
            )
        services.store_file(
            inspection=iw.inspection,
            kind=InspectionFile.Kind.MINUTES,
            content=b"PK",
            by=w.coordinator,
            inspected=inspected,
        )
    for unit in units[count // 2 :]:
        person = make_person(f"p{unit.pk}", w.agency, Role.MEMBER, unit)
        own = services.start_unit_submission(inspection=iw.inspection, unit=unit, by=person)
        services.save_unit_submission(
            submission=own,
            by=person,
            texts={},
            ratings={n: Rating.PASSED for n in range(6)},
            expected_version=own.lock_version,
        )
        services.submit_unit_submission(submission=own, by=person)


def measure(iw):
    w, lead = iw.world, iw.world.lead_unit.pk
    pages = {
        "inspection (office)": (iw.url(), w.coordinator),
        "inspection (unit)": (iw.url(), w.lead_member),
        "inspected unit": (iw.url(f"don-vi/{lead}/"), w.coordinator),
        "unit report": (iw.url(f"bao-cao/{lead}/"), w.coordinator),
        "minutes": (iw.url(f"don-vi/{lead}/bien-ban/"), w.coordinator),
        "choose units": (iw.url("chon-don-vi/"), w.coordinator),
        "team": (iw.url("doan/"), w.coordinator),
        "edit": (iw.url("sua/"), w.coordinator),
        "card": (f"/ke-hoach/{w.plan.pk}/kiem-tra/tien-do/", w.lead_member),
    }
    counts = {}
    for name, (url, user) in pages.items():
        client = w.client(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)
    return counts


@time_machine.travel(DURING)
def test_inspection_pages_run_a_fixed_number_of_queries(iw):
    w = iw.world
    iw.write_minutes()
    own = services.start_unit_submission(
        inspection=iw.inspection, unit=w.lead_unit, by=w.lead_member
    )
    services.submit_unit_submission(submission=own, by=w.lead_member)
    grow(iw, 100, 2)
    small = measure(iw)
    grow(iw, 200, 12)
    large = measure(iw)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


@time_machine.travel(DURING)
def test_the_overview_fetches_the_inspection_card_which_counts_the_progress(iw):
    w = iw.world
    overview = w.client(w.leader).get(f"/ke-hoach/{w.plan.pk}/tong-quan/").content.decode()
    card_url = f"/ke-hoach/{w.plan.pk}/kiem-tra/tien-do/"
    assert f'hx-get="{card_url}"' in overview
    iw.write_minutes()
    services.sign_minutes(inspected=iw.inspected, by=w.leader)
    card = w.client(w.leader).get(card_url).content.decode()
    assert "<strong>1/3</strong>" in card  # 1 of the 3 units other than the office
    assert "Biên bản đã ký: <strong>1/1</strong>" in card
    assert "Tự kiểm tra đã gửi: <strong>0/2</strong>" in card
    leader = w.client(w.leader)
    grow(iw, 250, 2)  # one of each thing, so that every prefetch runs
    with CaptureQueriesContext(connection) as small:
        leader.get(card_url)
    grow(iw, 300, 6)
    with CaptureQueriesContext(connection) as large:
        leader.get(card_url)
    assert len(large) == len(small) <= 16
    assert w.client(w.outsider).get(card_url).status_code == 404
