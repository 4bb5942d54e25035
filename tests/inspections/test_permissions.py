"""Who sees and does what: the office runs, the team writes minutes, a unit sees its own part,
leaders read everything, another agency sees nothing, nobody anonymous gets in."""

import pytest
import time_machine

from partrack.inspections import services
from partrack.inspections.models import InspectionFile
from tests.conftest import client_as, post_form
from tests.inspections.conftest import DURING

pytestmark = pytest.mark.django_db

PERSONAS = ["office", "leader", "lead", "other unit", "other agency", "province", "anonymous"]


def people(world):
    return {
        "office": world.coordinator,
        "leader": world.leader,  # the team's leader here
        "lead": world.lead_member,  # a member of the inspected unit
        "other unit": world.helping_member,  # inspects itself
        "other agency": world.outsider,
        "province": world.province_viewer,
        "anonymous": None,
    }


def statuses(world, method, url, data=None):
    found = {}
    for name, user in people(world).items():
        client = client_as(user)
        response = client.get(url) if method == "get" else post_form(client, url, data or {})
        status = response.status_code
        if status == 302 and "/dang-nhap/" in response["Location"]:
            status = "login"
        found[name] = status
    return found


def expect(*codes):
    return dict(zip(PERSONAS, codes, strict=True))


@pytest.fixture
def ready(iw):
    with time_machine.travel(DURING):
        iw.write_minutes()
        services.sign_minutes(inspected=iw.inspected, by=iw.world.leader)
        iw.inspected.refresh_from_db()
        services.start_unit_submission(
            inspection=iw.inspection, unit=iw.world.lead_unit, by=iw.world.lead_member
        )
        services.store_file(
            inspection=iw.inspection,
            kind=InspectionFile.Kind.MINUTES,
            content=b"PK-minutes",
            by=iw.world.coordinator,
            inspected=iw.inspected,
        )
        services.store_file(
            inspection=iw.inspection,
            kind=InspectionFile.Kind.RESULTS,
            content=b"PK-results",
            by=iw.world.coordinator,
        )
    return iw


def test_reading_the_inspection_and_the_inspected_units_part(ready):
    w, lead = ready.world, ready.world.lead_unit.pk
    assert statuses(w, "get", ready.url()) == expect(200, 200, 200, 200, 404, 200, "login")
    assert statuses(w, "get", ready.url(f"don-vi/{lead}/")) == expect(
        200, 200, 200, 404, 404, 200, "login"
    )
    assert statuses(w, "get", ready.url(f"bao-cao/{lead}/")) == expect(
        200, 200, 200, 404, 404, 200, "login"
    )
    assert statuses(w, "get", f"/ke-hoach/{w.plan.pk}/kiem-tra/") == expect(
        302, 302, 302, 302, 404, 302, "login"
    )


def test_another_unit_sees_its_own_part_and_not_the_inspected_units(ready):
    w = ready.world
    page = client_as(w.helping_member).get(ready.url()).content.decode()
    assert f"/kiem-tra/{ready.inspection.pk}/don-vi/{w.lead_unit.pk}/" not in page
    assert f"/kiem-tra/{ready.inspection.pk}/bao-cao/{w.helping_unit.pk}/" in page
    assert f"/kiem-tra/{ready.inspection.pk}/bao-cao/{w.bystander_unit.pk}/" not in page
    own = client_as(w.lead_member).get(ready.url()).content.decode()
    assert f"/kiem-tra/{ready.inspection.pk}/don-vi/{w.lead_unit.pk}/" in own


def test_downloading_the_documents(ready):
    w = ready.world
    minutes = ready.inspection.files.get(kind="minutes").get_absolute_url()
    results = ready.inspection.files.get(kind="results").get_absolute_url()
    assert statuses(w, "get", minutes) == expect(200, 200, 200, 404, 404, 200, "login")
    assert statuses(w, "get", results) == expect(200, 200, 404, 404, 404, 200, "login")


@time_machine.travel(DURING)
def test_only_the_office_plans_and_runs_the_inspection(ready):
    w, lead = ready.world, ready.world.lead_unit.pk
    edit = {
        "period_text": "Quý III",
        "starts_on": "01/07/2026",
        "ends_on": "31/12/2026",
        "contents": "Một",
        "required_share": "25",
    }
    assert statuses(w, "post", ready.url("sua/"), edit) == expect(
        302, 403, 403, 403, 404, 403, "login"
    )
    assert statuses(w, "get", ready.url("chon-don-vi/")) == expect(
        200, 403, 403, 403, 404, 403, "login"
    )
    assert statuses(w, "get", ready.url("doan/")) == expect(200, 403, 403, 403, 404, 403, "login")
    conclusion = {"findings": "Đạt"}
    assert statuses(w, "post", ready.url(f"don-vi/{lead}/ket-luan/"), conclusion) == expect(
        302, 403, 403, 404, 404, 403, "login"
    )
    assert statuses(w, "post", ready.url("tep/"), {"kind": "plan"}) == expect(
        302, 403, 403, 403, 404, 403, "login"
    )
    assert ready.inspection.files.filter(kind="plan").count() == 1


@time_machine.travel(DURING)
def test_team_members_write_the_minutes_of_their_units_and_the_leader_signs(iw):
    w, lead = iw.world, iw.world.lead_unit.pk
    assert statuses(w, "get", iw.url(f"don-vi/{lead}/bien-ban/")) == expect(
        200, 200, 403, 404, 404, 403, "login"
    )
    iw.write_minutes()
    assert statuses(w, "post", iw.url(f"don-vi/{lead}/ky/")) == expect(
        403, 302, 403, 404, 404, 403, "login"
    )


@time_machine.travel(DURING)
def test_only_the_unit_writes_its_report_and_only_the_office_reviews_it(iw):
    w, lead = iw.world, iw.world.lead_unit.pk
    assert statuses(w, "post", iw.url(f"bao-cao/{lead}/")) == expect(
        403, 403, 302, 404, 404, 403, "login"
    )
    submission = iw.inspection.unit_submissions.get()
    services.submit_unit_submission(submission=submission, by=w.lead_member)
    review = {"decision": "return", "comment": "Bổ sung"}
    assert statuses(w, "post", iw.url(f"bao-cao/{lead}/xem-xet/"), review) == expect(
        302, 403, 403, 404, 404, 403, "login"
    )


def test_every_write_is_in_the_history(ready):
    actions = list(ready.inspection.events.order_by("pk").values_list("action", flat=True))
    assert actions[:3] == [
        "Lập kế hoạch kiểm tra",
        "Chọn đơn vị được kiểm tra: Phòng Chuyển đổi số",
        "Thành lập đoàn kiểm tra: leader, office",
    ]
    assert any(a.startswith("Trưởng đoàn ký biên bản") for a in actions)
    assert any(a.startswith("Tạo tệp Biên bản kiểm tra phiên bản 1") for a in actions)
    page = client_as(ready.world.coordinator).get(ready.url()).content.decode()
    assert "Biên bản kiểm tra · Phòng Chuyển đổi số · phiên bản 1" in page


def test_the_province_reads_a_units_inspection_report_once_sent_never_its_draft(iw):
    """docs/domain.md, "Roles at the province": a draft stays the agency's own."""
    from partrack.inspections.models import Rating
    from partrack.inspections.services import (
        save_unit_submission,
        start_unit_submission,
        submit_unit_submission,
    )

    w = iw.world
    with time_machine.travel(DURING):
        own = start_unit_submission(
            inspection=iw.inspection, unit=w.helping_unit, by=w.helping_member
        )
        save_unit_submission(
            submission=own,
            by=w.helping_member,
            texts={0: "Bản nháp riêng của phòng"},
            ratings={n: Rating.PASSED for n in range(6)},
            expected_version=own.lock_version,
        )
        url = iw.url(f"bao-cao/{w.helping_unit.pk}/")
        province = w.client(w.province_viewer)
        assert "Bản nháp riêng của phòng" in w.client(w.coordinator).get(url).content.decode()
        assert "Bản nháp riêng của phòng" not in province.get(url).content.decode()
        own.refresh_from_db()
        submit_unit_submission(submission=own, by=w.helping_member)
        assert "Bản nháp riêng của phòng" in province.get(url).content.decode()
