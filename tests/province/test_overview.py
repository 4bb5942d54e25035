"""The province overview: each agency's plan, tasks on time, overdue and report, for Sở Nội vụ."""

from datetime import date, datetime, time
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from partrack.org.models import Agency, Role
from partrack.plans.models import Area, Plan, Status, Task
from partrack.reporting.consolidation import store_report_files
from partrack.reporting.models import ConsolidatedReport
from tests.conftest import client_as, make_person, make_province_desk

pytestmark = pytest.mark.django_db

URL = "/tong-quan-tinh/"
NOW = "2026-04-20 10:00 +07:00"  # Quý I (data to 14/3) is over


def at(day):
    """Ten in the morning of `day`, Vietnam time: when the office pressed "Gửi"."""
    return timezone.make_aware(datetime.combine(day, time(10)))


def add_task(plan, number, deadline, status=Status.NOT_STARTED, done_on=None):
    area = plan.areas.first() or Area.objects.create(plan=plan, order=1, title="Chỉ đạo")
    task = Task(plan=plan, area=area, number=number, order=number, content=f"Việc {number}")
    task.set_deadline(deadline, plan.year)
    task.status, task.done_on = status, done_on
    task.percent = 100 if status == Status.DONE else 0
    task.save()
    return task


@pytest.fixture
def province(world):
    """World's two agencies, a commune without a plan, a department with a draft plan, and a
    second province with an agency of its own."""
    w = world
    plan = w.plan
    # Judged in Quý I (due by 14/3): one done on time, one done late, two overdue.
    add_task(plan, 2, "Trước ngày 10/3/2026", Status.DONE, date(2026, 3, 5))
    add_task(plan, 3, "Trước ngày 10/3/2026", Status.DONE, date(2026, 3, 12))
    add_task(plan, 4, "Trước ngày 28/2/2026", Status.IN_PROGRESS)
    add_task(plan, 5, "Trước ngày 01/3/2026")
    add_task(plan, 6, "Trước ngày 30/6/2026")  # Quý I does not judge it
    q1 = plan.periods.get(kind="q1")
    q1.agency_due = date(2026, 3, 20)
    q1.save()
    report = ConsolidatedReport.objects.create(
        period=q1,
        created_by=w.coordinator,
        symbol="05/BC-SKHCN",
        issued_on=date(2026, 3, 25),
        status=ConsolidatedReport.Status.SENT,
        sent_at=at(date(2026, 3, 25)),
    )
    store_report_files(report=report, by=w.coordinator, contents={"csv": b"a\n"})
    report.files.update(issued=True)
    w.other_plan.ensure_periods()
    w.commune = Agency.objects.create(
        name="Ủy ban nhân dân xã Hy Cương",
        short_name="XHC",
        parent=w.province,
        kind=Agency.Kind.COMMUNE,
    )
    w.drafting = Agency.objects.create(name="Sở Y tế", short_name="SYT", parent=w.province)
    w.draft_plan = Plan.objects.create(
        agency=w.drafting, year=2026, title="Dự thảo kế hoạch bí mật của Sở Y tế"
    )
    w.draft_plan.ensure_periods()
    add_task(w.draft_plan, 1, "Trước ngày 10/3/2026", Status.DONE, date(2026, 3, 1))
    _desk, w.province_coordinator, w.province_leader = make_province_desk(
        w.province, coordinator="snv", leader="snv-lead"
    )
    w.province_admin = make_person("quantritinh", w.province, Role.ADMINISTRATOR)
    w.second_province = Agency.objects.create(
        name="UBND tỉnh Tuyên Quang", short_name="UBNDTQ", kind=Agency.Kind.PROVINCE
    )
    w.second_agency = Agency.objects.create(
        name="Sở Tài chính Tuyên Quang", short_name="STCTQ", parent=w.second_province
    )
    w.second_viewer = make_person("tq", w.second_province, Role.VIEWER)
    return w


def rows_of(response):
    return {row.agency.short_name: row for row in response.context["page"].object_list}


@time_machine.travel(NOW)
def test_each_agency_row_matches_a_count_made_by_hand(province):
    response = client_as(province.province_viewer).get(URL)
    assert response.status_code == 200
    assert response.context["kind"] == "h1"  # the period reported on in April
    rows = rows_of(client_as(province.province_viewer).get(URL + "?nam=2026&ky=q1"))
    assert set(rows) == {"SKHCN", "STP", "XHC", "SYT"}
    skhcn = rows["SKHCN"]
    # Tasks 2–5 are due by 14/3; 2 was done on time, 3 late, 4 and 5 are open past their date.
    assert (skhcn.judged, skhcn.done_on_time, skhcn.share, skhcn.overdue) == (4, 1, 25.0, 2)
    # Deadline 20/3, issued 25/3: five days late.
    assert (skhcn.report.code, skhcn.report.days) == ("late", 5)
    assert rows["STP"].share is None and rows["STP"].report.code == "no_deadline"
    assert rows["XHC"].plan is None and rows["XHC"].report.code == "no_period"
    # A draft plan shows as a draft, and nothing of it counts or links.
    assert rows["SYT"].plan_label == "Dự thảo" and rows["SYT"].judged == 0
    assert rows["SYT"].readable_plan is None


@time_machine.travel(NOW)
def test_the_page_shows_the_figures_links_and_chart_twin(province):
    html = client_as(province.province_coordinator).get(URL + "?ky=q1").content.decode()
    assert "25,0% <span" in html and "(1/4)" in html
    assert "Gửi chậm 5 ngày (25/03/2026)" in html
    assert "Cơ quan chưa đặt hạn gửi Sở Nội vụ" in html
    assert "Chưa nhập kế hoạch" in html
    assert f'href="/ke-hoach/{province.plan.pk}/tong-quan/"' in html
    assert f"/ke-hoach/{province.draft_plan.pk}/" not in html
    assert "bí mật" not in html
    assert 'id="province-chart-data"' in html and "province/overview.js" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")
    # Nothing of another province.
    assert "Tuyên Quang" not in html


@time_machine.travel("2026-03-18 10:00 +07:00")
def test_report_timing_on_time_not_due_and_missing(province):
    q1 = province.plan.periods.get(kind="q1")
    report = q1.consolidated_reports.get()
    report.issued_on = date(2026, 3, 17)
    report.sent_at = at(date(2026, 3, 17))
    report.save()
    rows = rows_of(client_as(province.province_viewer).get(URL + "?ky=q1"))
    assert rows["SKHCN"].report.code == "on_time"
    # Issued but not sent yet: not reported.
    report.status = ConsolidatedReport.Status.ISSUED
    report.sent_at = None
    report.save()
    rows = rows_of(client_as(province.province_viewer).get(URL + "?ky=q1"))
    assert (rows["SKHCN"].report.code, rows["SKHCN"].report.days) == ("not_due", 2)
    with time_machine.travel("2026-03-23 10:00 +07:00"):
        rows = rows_of(client_as(province.province_viewer).get(URL + "?ky=q1"))
    assert (rows["SKHCN"].report.code, rows["SKHCN"].report.days) == ("missing", 3)


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("name", "SYT"),  # "Sở KH&CN" < "Sở Tư pháp" < "Sở Y tế" < "Ủy ban…" by code point
        ("-share", "SKHCN"),
        ("overdue", "STP"),
        ("-overdue", "SKHCN"),
        ("report", "SKHCN"),  # late comes before no deadline and no period
        ("-report", "STP"),  # no deadline set; no plan to report on goes last either way
    ],
)
def test_every_column_sorts(province, sort, first):
    response = client_as(province.province_viewer).get(f"{URL}?ky=q1&sap-xep={sort}")
    names = [row.agency.short_name for row in response.context["page"].object_list]
    if sort == "name":
        assert names == sorted(names, key=lambda n: Agency.objects.get(short_name=n).name)
    else:
        assert names[0] == first, names
    if "share" in sort or "report" in sort:
        assert names[-1] in ("XHC", "SYT")  # nothing to compare: last, up or down


@time_machine.travel(NOW)
def test_the_xlsx_holds_every_agency_as_the_page_does(province):
    response = client_as(province.province_viewer).get(URL + "xuat.xlsx?ky=q1&sap-xep=-share")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "QUÝ I 2026" in rows[0][0]
    body = rows[3:]
    assert [r[0] for r in body][0] == province.agency.name
    assert body[0][3:7] == (4, 1, 25, 2)
    assert len(body) == 4


@pytest.mark.parametrize(
    "persona", ["province_viewer", "province_coordinator", "province_leader", "province_admin"]
)
@time_machine.travel(NOW)
def test_the_province_people_read_the_overview(province, persona):
    client = client_as(getattr(province, persona))
    assert client.get(URL).status_code == 200
    assert client.get(URL + "xuat.xlsx").status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "leader", "viewer", "lead_member", "outsider"])
def test_an_agency_person_is_refused(province, persona):
    client = client_as(getattr(province, persona))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "xuat.xlsx").status_code == 403


def test_anonymous_is_sent_to_sign_in(province):
    assert client_as().get(URL)["Location"].startswith("/dang-nhap/")


@time_machine.travel(NOW)
def test_a_second_province_sees_only_its_own(province):
    html = client_as(province.second_viewer).get(URL).content.decode()
    assert "Sở Tài chính Tuyên Quang" in html
    for name in ("Sở KH&amp;CN", "Sở Tư pháp", "Hy Cương", "Sở Y tế"):
        assert name not in html


def add_agencies(province, n, start):
    for i in range(start, start + n):
        agency = Agency.objects.create(
            name=f"Sở mẫu {i:03d}", short_name=f"M{i:03d}", parent=province
        )
        plan = Plan.objects.create(agency=agency, year=2026, title=f"KH {i}", status="active")
        plan.ensure_periods()
        add_task(plan, 1, "Trước ngày 10/3/2026", Status.DONE, date(2026, 3, 1))
        report = ConsolidatedReport.objects.create(
            period=plan.periods.get(kind="q1"),
            created_by=province.memberships.first().user,
            status=ConsolidatedReport.Status.SENT,
            sent_at=at(date(2026, 3, 1)),
        )
        store_report_files(report=report, by=report.created_by, contents={"csv": b"a\n"})
        report.files.update(issued=True)


@time_machine.travel(NOW)
def test_the_overview_runs_the_same_queries_at_4_and_24_agencies(province):
    def count():
        client = client_as(province.province_viewer)
        client.get(URL)  # the session's first read
        with CaptureQueriesContext(connection) as page:
            assert client.get(URL + "?ky=q1&sap-xep=-share").status_code == 200
        with CaptureQueriesContext(connection) as sheet:
            assert client.get(URL + "xuat.xlsx?ky=q1").status_code == 200
        return len(page), len(sheet)

    small = count()
    add_agencies(province.province, 20, 1)
    large = count()
    assert small == large
    # Session, person, membership, "reads several agencies", agencies, plans, periods, the
    # task figures, the reports sent; the page also counts unread notifications.
    assert large == (10, 9), large
