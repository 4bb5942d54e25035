"""The inspection plan: the share of units and its rounding, the proposal, the team, issuing."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from partrack.inspections import services
from partrack.inspections.models import (
    DEFAULT_CONTENTS,
    Inspection,
    InspectionFile,
    coverage_rule,
    units_needed,
)
from partrack.org.models import Unit
from partrack.plans.demo import UNITS
from partrack.plans.models import Area, Plan, Status
from tests.conftest import demo_client, post_form
from tests.inspections.conftest import DURING

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("share", "eligible", "needed", "text"),
    [
        (25, 9, 3, "25% của 9 đơn vị = 2,25 → 3 đơn vị (làm tròn lên)"),
        (25, 5, 2, "25% của 5 đơn vị = 1,25 → 2 đơn vị (làm tròn lên)"),
        (25, 4, 1, "25% của 4 đơn vị = 1 → 1 đơn vị"),
        (20, 3, 1, "20% của 3 đơn vị = 0,6 → 1 đơn vị (làm tròn lên)"),
        (25, 0, 0, "25% của 0 đơn vị = 0 → 0 đơn vị"),
    ],
)
def test_the_share_of_units_is_rounded_up_and_the_rounding_is_written_out(
    share, eligible, needed, text
):
    assert units_needed(share, eligible) == needed
    assert coverage_rule(share, eligible) == text


def test_the_demo_inspects_25_percent_of_its_units_other_than_the_office(inspection_demo):
    # Counted from the demo's own list of units, not through the code under test.
    eligible = [name for name, _short, _kind, _aliases, office in UNITS if not office]
    assert len(eligible) == 5
    assert inspection_demo.required_share == 25
    assert inspection_demo.inspected_units.count() == 2  # 5 × 25% = 1,25 → 2
    page = demo_client("vanphong").get(inspection_demo.get_absolute_url()).content.decode()
    assert "2/5 đơn vị (không tính Văn phòng)" in page
    assert "25% của 5 đơn vị = 1,25 → 2 đơn vị (làm tròn lên)" in page


def test_a_new_inspection_defaults_to_quarters_three_and_four_and_the_six_contents(world):
    inspection = services.start_inspection(plan=world.plan, by=world.coordinator)
    assert inspection.period_text == "Quý III, IV năm 2026"
    assert (inspection.starts_on, inspection.ends_on) == (date(2026, 7, 1), date(2026, 12, 31))
    assert inspection.contents == DEFAULT_CONTENTS and len(DEFAULT_CONTENTS) == 6
    assert services.start_inspection(plan=world.plan, by=world.coordinator) == inspection


def test_the_office_edits_the_contents_and_the_share_and_bad_input_is_kept(world):
    inspection = services.start_inspection(plan=world.plan, by=world.coordinator)
    office = world.client(world.coordinator)
    url = f"/kiem-tra/{inspection.pk}/sua/"
    data = {
        "period_text": "Quý III năm 2026",
        "starts_on": "01/07/2026",
        "ends_on": "30/09/2026",
        "contents": "Nội dung một\n\nNội dung hai",
        "required_share": "30",
        "task": world.task.pk,
        "self_inspection_due": "31/10/2026",
    }
    bad = post_form(office, url, {**data, "required_share": "0", "ends_on": "3/13/2026"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Tỷ lệ từ 1 đến 100%." in page and "dd/mm/yyyy" in page
    assert "Nội dung một" in page  # what was typed is still there
    assert post_form(office, url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.contents == ["Nội dung một", "Nội dung hai"]
    assert (inspection.required_share, inspection.task) == (30, world.task)
    assert inspection.self_inspection_due == date(2026, 10, 31)
    assert inspection.events.first().action == (
        "Sửa kế hoạch kiểm tra: thời gian kiểm tra, đến ngày, nội dung kiểm tra, "
        "tỷ lệ đơn vị được kiểm tra (%), nhiệm vụ ban hành kế hoạch kiểm tra, "
        "hạn gửi báo cáo tự kiểm tra"
    )


def test_units_not_inspected_in_the_previous_two_years_are_proposed_first(world):
    w = world
    third = Unit.objects.create(agency=w.agency, name="Trung tâm Ứng dụng", order=9)
    # 2024: the bystander unit; 2025: the lead unit. 2023 is older than two years.
    for year, unit in ((2023, third), (2024, w.bystander_unit), (2025, w.lead_unit)):
        plan = Plan.objects.create(agency=w.agency, year=year, title=f"KH {year}")
        earlier = services.start_inspection(plan=plan, by=w.coordinator)
        services.select_units(inspection=earlier, by=w.coordinator, units=[unit])
    inspection = services.start_inspection(plan=w.plan, by=w.coordinator)
    proposals = services.propose_units(inspection)
    assert [p.unit for p in proposals] == [w.helping_unit, third, w.bystander_unit, w.lead_unit]
    assert [p.last_inspected for p in proposals] == [None, 2023, 2024, 2025]
    # 25% of 4 units is 1: only the first is proposed; the office is never listed.
    assert [p.proposed for p in proposals] == [True, False, False, False]
    assert w.office not in [p.unit for p in proposals]
    page = w.client(w.coordinator).get(f"/kiem-tra/{inspection.pk}/chon-don-vi/")
    html = page.content.decode()
    assert html.index("Phòng Kế hoạch Tài chính") < html.index("Phòng Chuyển đổi số")
    assert "kiểm tra lần gần nhất năm 2025" in html


def test_the_office_cannot_be_selected_for_inspection(world):
    inspection = services.start_inspection(plan=world.plan, by=world.coordinator)
    response = post_form(
        world.client(world.coordinator),
        f"/kiem-tra/{inspection.pk}/chon-don-vi/",
        {"units": [world.office.pk, world.lead_unit.pk]},
    )
    assert response.status_code == 400
    assert not inspection.inspected_units.exists()


def test_the_team_needs_a_leader_among_its_members(world):
    inspection = services.start_inspection(plan=world.plan, by=world.coordinator)
    with pytest.raises(ValidationError):
        services.set_team(
            inspection=inspection,
            by=world.coordinator,
            members=[world.coordinator],
            leader=world.leader,
        )
    with pytest.raises(ValidationError):
        services.set_team(
            inspection=inspection,
            by=world.coordinator,
            members=[world.outsider],
            leader=world.outsider,
        )
    response = post_form(
        world.client(world.coordinator),
        f"/kiem-tra/{inspection.pk}/doan/",
        {"members": [world.leader.pk, world.coordinator.pk], "leader": world.leader.pk},
    )
    assert response.status_code == 302
    assert [(s.user, s.is_leader) for s in inspection.team.all()][0] == (world.leader, True)


def test_a_visit_outside_the_inspection_period_is_refused(iw):
    with pytest.raises(ValidationError) as error:
        services.schedule_unit(
            inspected=iw.inspected,
            by=iw.world.coordinator,
            visit_on=date(2026, 3, 1),
            place="",
            assignees=[],
        )
    assert "Quý III, IV năm 2026" in " ".join(error.value.messages)


@time_machine.travel(DURING)
def test_issuing_the_plan_marks_its_task_done_with_the_document_as_evidence(iw):
    w = iw.world
    inspection = iw.inspection
    services.update_inspection(inspection=inspection, by=w.coordinator, task=w.task)
    office = w.client(w.coordinator)
    refused = post_form(
        office, iw.url("ban-hanh/"), {"symbol": "/KH-SKHCN", "issued_on": "05/08/2026"}
    )
    assert refused.status_code == 302
    assert not Inspection.objects.get(pk=inspection.pk).is_issued
    response = post_form(
        office, iw.url("ban-hanh/"), {"symbol": "98/KH-SKHCN", "issued_on": "05/08/2026"}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.is_issued and inspection.symbol == "98/KH-SKHCN"
    w.task.refresh_from_db()
    assert (w.task.status, w.task.done_on) == (Status.DONE, date(2026, 8, 5))
    evidence = w.task.evidence.get()
    assert evidence.number_symbol == "98/KH-SKHCN" and evidence.file_type == "docx"
    kept = inspection.files.get(kind=InspectionFile.Kind.PLAN)
    assert evidence.file.read() == kept.file.read()
    assert inspection.events.filter(action__startswith="Ban hành").exists()


def test_a_plan_without_units_or_a_team_leader_is_not_issued(world):
    inspection = services.start_inspection(plan=world.plan, by=world.coordinator)
    with pytest.raises(ValidationError) as error:
        services.issue_plan(
            inspection=inspection,
            by=world.coordinator,
            symbol="1/KH-SKHCN",
            issued_on=date(2026, 1, 2),
            document=b"",
        )
    assert "Chưa chọn đơn vị được kiểm tra." in error.value.messages[0]
    assert not Area.objects.filter(title="Khắc phục sau kiểm tra").exists()


@time_machine.travel(DURING)
def test_a_disk_failure_while_issuing_leaves_the_plan_unissued_and_the_task_open(iw, monkeypatch):
    from partrack import files as media

    w = iw.world
    services.update_inspection(inspection=iw.inspection, by=w.coordinator, task=w.task)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    # Files are staged by partrack/files.py; the disk fills as one is flushed.
    monkeypatch.setattr(media.os, "fsync", full_disk)
    office = w.client(w.coordinator)
    response = post_form(
        office, iw.url("ban-hanh/"), {"symbol": "98/KH-SKHCN", "issued_on": "05/08/2026"}
    )
    assert response.status_code == 302
    page = office.get(iw.url()).content.decode()
    assert "Không ghi được tệp lên máy chủ" in page
    iw.inspection.refresh_from_db()
    w.task.refresh_from_db()
    assert not iw.inspection.is_issued and w.task.status == Status.NOT_STARTED
    assert not InspectionFile.objects.exists() and not w.task.evidence.exists()
    assert post_form(office, iw.url("tep/"), {"kind": "plan"}).status_code == 302
    assert not InspectionFile.objects.exists()


@time_machine.travel("2026-11-20 10:00 +07:00")
def test_partrack_demo_loads_the_2026_inspection_with_every_page_filled(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", stdout=out)
    assert "chicuctdc" in out.getvalue()
    inspection = Inspection.objects.get(plan__agency__short_name="SKHCN")
    assert inspection.is_issued and inspection.task.number == 4
    assert [u.unit.short_name for u in inspection.inspected_units.order_by("visit_on")] == [
        "KHTC",
        "CĐS",
    ]
    assert all(u.visit_on.month in (7, 8, 9) for u in inspection.inspected_units.all())
    assert inspection.inspected_units.filter(minutes_signed_at__isnull=False).count() == 2
    concluded = inspection.inspected_units.get(concluded_at__isnull=False)
    assert concluded.recommendations.filter(task__area__title="Khắc phục sau kiểm tra").count() == 2
    sent = inspection.unit_submissions.filter(kind="self", first_submitted_at__isnull=False)
    assert sent.count() == 2  # of three: the one-stop shop has not sent its own
    for login in ("vanphong", "lanhdao", "phongkhtc", "chicuctdc"):
        client = demo_client(login)
        assert client.get(inspection.get_absolute_url()).status_code == 200
    khtc = demo_client("phongkhtc").get("/can-lam/").content.decode()
    assert "Triển khai ký số chứng từ kế toán trên phần mềm kế toán" in khtc


def test_the_share_comes_from_the_plan_when_the_importer_read_one(world, monkeypatch):
    if hasattr(Plan, "rules"):
        world.plan.rules = {"inspection": {"share_of_units": 0.3}}
        world.plan.save()
    else:  # before Plan kept its rules: stand in for the property
        monkeypatch.setattr(Plan, "inspection_share", 0.3, raising=False)
    inspection = services.start_inspection(plan=world.plan, by=world.coordinator)
    assert inspection.required_share == 30
    page = world.client(world.coordinator).get(inspection.get_absolute_url()).content.decode()
    assert "30% của 3 đơn vị = 0,9 → 1 đơn vị (làm tròn lên)" in page
    assert "kế hoạch CCHC ghi 30%" in page


@time_machine.travel(DURING)
def test_a_task_updated_meanwhile_leaves_the_plan_unissued(iw, monkeypatch):
    from partrack.plans import services as plan_services

    w = iw.world
    services.update_inspection(inspection=iw.inspection, by=w.coordinator, task=w.task)

    def stale(**kwargs):
        raise plan_services.StaleTask

    monkeypatch.setattr(plan_services, "record_progress", stale)
    office = w.client(w.coordinator)
    post_form(office, iw.url("ban-hanh/"), {"symbol": "98/KH-SKHCN", "issued_on": "05/08/2026"})
    assert "vừa được người khác cập nhật" in office.get(iw.url()).content.decode()
    iw.inspection.refresh_from_db()
    assert not iw.inspection.is_issued and not InspectionFile.objects.exists()
