"""UBND tỉnh's plan names agencies as its lead and coordinating bodies; an agency's plan is
unchanged."""

import pytest

from partrack.documents.models import ImportDraft
from partrack.plans.models import Task
from tests.cascade.conftest import PROVINCE_PLAN

pytestmark = pytest.mark.django_db


def names(agencies):
    return sorted(agency.short_name for agency in agencies)


def test_a_province_plan_names_its_agencies_matched_by_folded_name(province):
    plan, unmatched = province.import_province_plan()
    tasks = {task.number: task for task in plan.tasks.all()}

    # "Sở Khoa học và Công nghệ" is the agency "Sở Khoa học và Công nghệ tỉnh Phú Thọ".
    assert names(tasks[3].lead_agencies.all()) == ["SKHCN"]
    assert names(tasks[3].coordinating_agencies.all()) == ["STP"]
    # "Các sở, ban, ngành" are the departments; "UBND các xã, phường" the communes.
    assert names(tasks[1].lead_agencies.all()) == ["PTM", "SKHCN", "STP", "XHC"]
    assert names(tasks[2].coordinating_agencies.all()) == ["SKHCN", "STP"]
    # Sở Nội vụ is the province's own desk (a unit of UBND tỉnh), not an agency under it.
    assert [unit.name for unit in tasks[2].lead_units.all()] == ["Sở Nội vụ"]
    assert not tasks[2].lead_agencies.exists()
    # A body that is not in PARtrack stays as written and is reported, never guessed.
    assert unmatched == ["Sở Tài chính"]
    assert tasks[4].lead_names == ["Sở Tài chính"] and not tasks[4].lead_agencies.exists()
    assert tasks[3].outside_bodies == ["Văn phòng UBND tỉnh"]
    # The second province's department of the same name is never taken.
    assert not province.other_agency.led_province_tasks.exists()


def test_an_agency_plan_still_names_units_and_no_agency(province):
    plan = province.agency_plan("SKHCN")
    task = plan.tasks.get(number=1)
    assert [unit.name for unit in task.lead_units.all()] == ["Văn phòng Sở"]
    assert not Task.lead_agencies.through.objects.exists()


def test_the_import_review_flags_an_unmatched_agency_only(province):
    draft = ImportDraft.objects.create(
        agency=province.province,
        uploaded_by=province.sonoivu,
        filename="kh-tinh.docx",
        sha256="0" * 64,
        data={**PROVINCE_PLAN, "warnings": [], "unrecognised_columns": []},
    )
    page = province.client(province.sonoivu).get(draft.get_absolute_url()).content.decode()
    assert "không khớp cơ quan nào của tỉnh (sẽ giữ nguyên như văn bản): Sở Tài chính" in page
    assert page.count("không khớp cơ quan nào của tỉnh") == 1
    assert "không khớp đơn vị nào của Sở" not in page


def test_a_revision_of_the_province_plan_matches_agencies_again(province):
    from partrack.plans.services import revise_plan

    plan, _unmatched = province.import_province_plan()
    data = {**PROVINCE_PLAN, "sections": [dict(s) for s in PROVINCE_PLAN["sections"]]}
    data["sections"][1] = {
        **data["sections"][1],
        "tasks": [
            {**PROVINCE_PLAN["sections"][1]["tasks"][0], "lead": ["Sở Tư pháp"]},
            PROVINCE_PLAN["sections"][1]["tasks"][1],
        ],
    }
    revise_plan(plan=plan, data=data, by=province.sonoivu)
    assert names(plan.tasks.get(number=3).lead_agencies.all()) == ["STP"]
