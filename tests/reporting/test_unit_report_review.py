"""The reporting cycle end to end: evidence, a unit report, its return, resubmission, acceptance."""

import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from partrack.org.models import Unit
from partrack.plans.models import Evidence, ReportingPeriod, Task
from partrack.reporting.models import ReportSubmission, UnitReport
from tests.conftest import client_as, demo_client, post_form
from tests.files import PDF

pytestmark = pytest.mark.django_db


def unit(short):
    return Unit.objects.get(agency__short_name="SKHCN", short_name=short)


def report_url(period, short, action=""):
    url = f"/ky-bao-cao/{period.pk}/don-vi/{unit(short).pk}/"
    return url + (action + "/" if action else "")


def board_state(client, period, short):
    html = client.get(f"/ky-bao-cao/{period.pk}/").content.decode()
    row = html.split(f'data-unit="{unit(short).pk}"')[1].split("</li>")[0]
    return re.findall(r'class="badge [^"]*report-([a-z_-]+)"[^>]*>([^<]*)<', row)


def test_the_quarter_one_report_goes_round_the_whole_cycle(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    cds = demo_client("phongcds")
    office = demo_client("vanphong")
    task_33 = Task.objects.get(plan=demo, number=33)

    with time_machine.travel("2026-03-05 09:00 +07:00"):
        response = post_form(
            cds,
            f"/nhiem-vu/{task_33.pk}/tien-do/",
            {
                "status": "in_progress",
                "percent": "80",
                "narrative": "Đã trình Ban Thường vụ dự thảo Nghị quyết",
                "done_on": "",
                "version": task_33.version,
                "evidence_number": "112/TTr-SKHCN",
                "evidence_date": "04/03/2026",
                "evidence_summary": "Tờ trình dự thảo Nghị quyết",
                "evidence_file": SimpleUploadedFile("to-trinh.pdf", PDF),
            },
        )
        assert response.status_code == 302
        assert board_state(office, period, "CĐS") == [("not_started", "Chưa bắt đầu")]

        assert post_form(cds, report_url(period, "CĐS", "bat-dau"), {}).status_code == 302
        report = UnitReport.objects.get(period=period, unit=unit("CĐS"))
        entry = report.entries.get(task=task_33)
        assert entry.role == "lead"
        assert [e.number_symbol for e in entry.evidence.all()] == ["112/TTr-SKHCN"]
        assert "Đã trình Ban Thường vụ" in entry.text
        assert set(report.entries.filter(role="lead").values_list("task__number", flat=True)) == {
            33,
            34,
            35,
        }
        assert board_state(office, period, "CĐS") == [("draft", "Đang soạn")]

    with time_machine.travel("2026-03-12 15:00 +07:00"):
        response = post_form(
            cds,
            report_url(period, "CĐS", "luu"),
            {
                "results": "Hoàn thành dự thảo Nghị quyết",
                "difficulties": "",
                "proposals": "",
                f"entry-{entry.pk}": "Đã trình dự thảo",
                "lock_version": report.lock_version,
                "submit": "",
            },
        )
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == "submitted" and report.days_late() == 2
        assert board_state(office, period, "CĐS") == [
            ("submitted", "Đã gửi — chờ xem xét"),
            ("late", "Gửi chậm 2 ngày (12/03/2026)"),
        ]

        # Locked: the unit cannot change what it sent.
        response = post_form(
            cds,
            report_url(period, "CĐS", "luu"),
            {
                "results": "Sửa sau khi gửi",
                "difficulties": "",
                "proposals": "",
                "lock_version": report.lock_version,
            },
        )
        report.refresh_from_db()
        assert report.results == "Hoàn thành dự thảo Nghị quyết"

        response = post_form(
            office, report_url(period, "CĐS", "xem-xet"), {"decision": "return", "comment": ""}
        )
        assert response.status_code == 400
        assert "Hãy ghi rõ cần sửa gì" in response.content.decode()
        post_form(
            office,
            report_url(period, "CĐS", "xem-xet"),
            {"decision": "return", "comment": "Bổ sung số liệu nhiệm vụ 35"},
        )
        report.refresh_from_db()
        assert report.status == "returned"
        assert board_state(office, period, "CĐS") == [
            ("returned", "Bị trả lại — chờ gửi lại"),
            ("late", "Gửi chậm 2 ngày (12/03/2026)"),
        ]
        page = cds.get(report_url(period, "CĐS")).content.decode()
        assert "Bổ sung số liệu nhiệm vụ 35" in page

    with time_machine.travel("2026-03-13 09:00 +07:00"):
        entry_35 = report.entries.get(task__number=35)
        post_form(
            cds,
            report_url(period, "CĐS", "luu"),
            {
                "results": "Hoàn thành dự thảo Nghị quyết",
                "difficulties": "",
                "proposals": "",
                f"entry-{entry_35.pk}": "Đã nâng cấp phần mềm quản lý văn bản cho 12 đơn vị",
                "lock_version": report.lock_version,
                "submit": "",
            },
        )
        report.refresh_from_db()
        assert report.status == "submitted"
        post_form(office, report_url(period, "CĐS", "xem-xet"), {"decision": "accept"})
        report.refresh_from_db()
        assert report.status == "accepted"
        # Lateness counts from the first submission, not from the fix.
        assert board_state(office, period, "CĐS") == [
            ("accepted", "Đã chấp nhận"),
            ("late", "Gửi chậm 2 ngày (12/03/2026)"),
        ]

    versions = list(ReportSubmission.objects.filter(report=report).order_by("number"))
    assert [(v.number, v.outcome) for v in versions] == [(1, "returned"), (2, "accepted")]
    assert versions[0].comment == "Bổ sung số liệu nhiệm vụ 35"
    texts = {e["task"]: e["text"] for e in versions[1].content["entries"]}
    assert texts[35] == "Đã nâng cấp phần mềm quản lý văn bản cho 12 đơn vị"
    assert Evidence.objects.get(number_symbol="112/TTr-SKHCN").file_type == "pdf"


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_a_report_sent_before_the_deadline_is_on_time(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    client = demo_client("phongkhtc")
    post_form(client, report_url(period, "KHTC", "bat-dau"), {})
    post_form(client, report_url(period, "KHTC", "gui"), {})
    assert board_state(demo_client("lanhdao"), period, "KHTC") == [
        ("submitted", "Đã gửi — chờ xem xét"),
        ("on-time", "Gửi đúng hạn (09/03/2026)"),
    ]


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_nobody_but_the_unit_writes_and_nobody_but_the_office_reviews(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    for login in ("phongkhtc", "lanhdao", "admin"):
        response = post_form(demo_client(login), report_url(period, "CĐS", "bat-dau"), {})
        assert response.status_code == 403, login
    assert not UnitReport.objects.exists()
    cds = demo_client("phongcds")
    post_form(cds, report_url(period, "CĐS", "bat-dau"), {})
    post_form(cds, report_url(period, "CĐS", "gui"), {})
    for login in ("phongcds", "phongkhtc", "lanhdao"):
        response = post_form(
            demo_client(login), report_url(period, "CĐS", "xem-xet"), {"decision": "accept"}
        )
        assert response.status_code == 403, login
    other = demo_client("sotuphap")
    assert other.get(f"/ky-bao-cao/{period.pk}/").status_code == 404
    assert other.get(report_url(period, "CĐS")).status_code == 404
    assert (
        post_form(other, report_url(period, "CĐS", "xem-xet"), {"decision": "accept"}).status_code
        == 404
    )
    anonymous = client_as()
    assert anonymous.get(report_url(period, "CĐS")).status_code == 302
    assert UnitReport.objects.get().status == "submitted"


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_two_people_saving_one_report_get_a_conflict_not_a_lost_update(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    cds = demo_client("phongcds")
    post_form(cds, report_url(period, "CĐS", "bat-dau"), {})
    report = UnitReport.objects.get()
    form = {
        "results": "A",
        "difficulties": "",
        "proposals": "",
        "lock_version": report.lock_version,
    }
    assert post_form(cds, report_url(period, "CĐS", "luu"), form).status_code == 302
    second = post_form(cds, report_url(period, "CĐS", "luu"), {**form, "results": "B"})
    assert second.status_code == 409
    assert "vừa được người khác lưu" in second.content.decode()
    report.refresh_from_db()
    assert report.results == "A"


@time_machine.travel("2026-03-09 09:00 +07:00")
def test_sending_twice_keeps_one_version(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    cds = demo_client("phongcds")
    post_form(cds, report_url(period, "CĐS", "bat-dau"), {})
    post_form(cds, report_url(period, "CĐS", "gui"), {})
    response = post_form(cds, report_url(period, "CĐS", "gui"), {})
    assert response.status_code == 302
    assert ReportSubmission.objects.count() == 1


def test_periods_follow_the_guidance_and_the_office_may_move_them(demo):
    periods = {p.kind: p for p in ReportingPeriod.objects.filter(plan=demo)}
    assert [
        (
            k,
            p.starts_on.isoformat(),
            p.ends_on.isoformat(),
            p.unit_due.isoformat(),
            p.agency_due,
        )
        for k, p in periods.items()
    ] == [
        # Sở Nội vụ sets the agency's deadline each period: none until the office enters it.
        ("q1", "2025-12-15", "2026-03-14", "2026-03-10", None),
        ("h1", "2025-12-15", "2026-06-14", "2026-06-10", None),
        ("q3", "2026-06-15", "2026-09-14", "2026-09-10", None),
        ("year", "2025-12-15", "2026-12-14", "2026-12-10", None),
    ]
    url = f"/ky-bao-cao/{periods['q1'].pk}/sua/"
    assert post_form(demo_client("phongcds"), url, {}).status_code == 403
    bad = post_form(
        demo_client("vanphong"),
        url,
        {
            "starts_on": "15/12/2025",
            "ends_on": "14/03/2026",
            "unit_due": "25/03/2026",
            "agency_due": "20/03/2026",
        },
    )
    assert bad.status_code == 400
    assert "Hạn gửi Sở Nội vụ phải sau hạn đơn vị gửi báo cáo." in bad.content.decode()
    ok = post_form(
        demo_client("vanphong"),
        url,
        {
            "starts_on": "15/12/2025",
            "ends_on": "14/03/2026",
            "unit_due": "12/03/2026",
            "agency_due": "20/03/2026",
        },
    )
    assert ok.status_code == 302
    periods["q1"].refresh_from_db()
    assert periods["q1"].unit_due.isoformat() == "2026-03-12"


def test_a_periods_dates_stay_inside_its_plan_year_and_absurd_dates_are_refused(demo):
    q1 = ReportingPeriod.objects.get(plan=demo, kind="q1")
    url = f"/ky-bao-cao/{q1.pk}/sua/"
    good = {
        "starts_on": "15/12/2025",
        "ends_on": "14/03/2026",
        "unit_due": "10/03/2026",
        "agency_due": "20/03/2026",
    }
    office = demo_client("vanphong")
    for field, typed, message in [
        ("ends_on", "14/03/2099", "Ngày 14/03/2099 nằm ngoài năm kế hoạch"),
        ("starts_on", "14/12/2025", "Ngày 14/12/2025 nằm ngoài năm kế hoạch"),
        ("unit_due", "10/01/2027", "chọn từ 15/12/2025 đến 31/12/2026"),
        ("agency_due", "20/03/2099", "Ngày 20/03/2099 nằm ngoài năm kế hoạch"),
        ("unit_due", "31/02/2026", "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
    ]:
        response = post_form(office, url, {**good, field: typed})
        assert response.status_code == 400, typed
        page = response.content.decode()
        assert message in page, typed
        assert typed in page  # what was typed stays in the form
    q1.refresh_from_db()
    assert (q1.ends_on.isoformat(), q1.unit_due.isoformat()) == ("2026-03-14", "2026-03-10")
    assert post_form(office, url, good).status_code == 302
