"""Missing reports are late: nothing sent never reads better than sent late."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from partrack.org.models import Unit
from partrack.plans.models import ReportingPeriod
from partrack.reporting import services
from partrack.reporting.models import UnitReport, report_state
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def board(login, period):
    """{unit id: [badge texts]} of the period board."""
    html = demo_client(login).get(f"/ky-bao-cao/{period.pk}/").content.decode()
    rows = {}
    for row in html.split('data-unit="')[1:]:
        unit_id = int(row.split('"')[0])
        cell = row.split("</li>")[0]
        rows[unit_id] = re.findall(r'class="badge [^"]*report-[a-z_-]+"[^>]*>([^<]*)<', cell)
    return rows


@pytest.fixture
def q1(demo):
    return ReportingPeriod.objects.get(plan=demo, kind="q1")


def sent(period, unit, day):
    at = datetime.combine(day, datetime.min.time(), HANOI).replace(hour=9)
    return UnitReport(
        period=period, unit=unit, status="submitted", first_submitted_at=at, submitted_at=at
    )


def test_standing_of_a_report_by_the_day(q1):
    unit = Unit.objects.get(short_name="CĐS")
    assert report_state(q1, None, date(2026, 3, 10)).label == "Chưa bắt đầu"
    missing = report_state(q1, None, date(2026, 3, 11))
    assert (missing.code, missing.label) == ("overdue", "Chưa gửi — quá hạn 1 ngày")
    draft = UnitReport(period=q1, unit=unit, status="draft")
    assert draft.state(date(2026, 3, 9)).label == "Đang soạn"
    assert draft.state(date(2026, 5, 30)).label == "Chưa gửi — quá hạn 81 ngày"
    late = sent(q1, unit, date(2026, 5, 30))
    standing = late.state(date(2026, 11, 30))
    assert (standing.label, standing.timing) == (
        "Đã gửi — chờ xem xét",
        "Gửi chậm 81 ngày (30/05/2026)",
    )
    on_time = sent(q1, unit, date(2026, 3, 10))
    assert on_time.state(date(2026, 11, 30)).timing == "Gửi đúng hạn (10/03/2026)"
    on_time.status = "returned"
    assert on_time.state(date(2026, 11, 30)).label == "Bị trả lại — chờ gửi lại"
    # Lateness is the first submission's, so a report sent late ranks below none of these.
    assert late.state(date(2026, 11, 30)).days_late == 81


@time_machine.travel("2026-03-15 09:00 +07:00")
def test_on_the_demo_every_unit_that_has_not_sent_quarter_one_is_overdue(q1):
    agency = q1.plan.agency
    units = list(agency.units.all())
    cds = Unit.objects.get(short_name="CĐS")
    UnitReport.objects.bulk_create([sent(q1, cds, date(2026, 3, 9))])
    khtc = Unit.objects.get(short_name="KHTC")
    UnitReport.objects.create(period=q1, unit=khtc, status="draft")
    rows = board("vanphong", q1)
    assert set(rows) == {unit.pk for unit in units}
    assert rows[cds.pk] == ["Đã gửi — chờ xem xét", "Gửi đúng hạn (09/03/2026)"]
    for unit in units:
        if unit != cds:
            assert rows[unit.pk] == ["Chưa gửi — quá hạn 5 ngày"], unit.name
    html = demo_client("lanhdao").get(f"/ky-bao-cao/{q1.pk}/").content.decode()
    assert "Chưa bắt đầu" not in html
    assert "đúng hạn" not in html.split(f'data-unit="{khtc.pk}"')[1].split("</li>")[0]


@time_machine.travel("2026-03-15 09:00 +07:00")
def test_the_unit_report_page_says_the_report_is_overdue(q1):
    cds = Unit.objects.get(short_name="CĐS")
    page = demo_client("phongcds").get(f"/ky-bao-cao/{q1.pk}/don-vi/{cds.pk}/")
    assert "Chưa gửi — quá hạn 5 ngày" in page.content.decode()


def todo_titles(login):
    html = demo_client(login).get("/can-lam/").content.decode()
    block = html.split('id="todo"')[1].split("</ul>")[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', block)


def test_an_overdue_report_comes_first_in_the_units_list_until_it_is_sent(q1):
    cds = Unit.objects.get(short_name="CĐS")
    with time_machine.travel("2026-05-20 09:00 +07:00"):
        titles = todo_titles("phongcds")
        # Tasks overdue since 31/03 are older, yet the missing report leads.
        assert titles[0] == "Gửi báo cáo Quý I (quá hạn)"
        assert "Lập báo cáo 6 tháng" in titles
        post_form(demo_client("phongcds"), f"/ky-bao-cao/{q1.pk}/don-vi/{cds.pk}/bat-dau/", {})
        assert todo_titles("phongcds")[0] == "Gửi báo cáo Quý I (quá hạn)"
        report = UnitReport.objects.get(period=q1, unit=cds)
        services.submit_unit_report(report=report, by=report.unit.memberships.get().user)
        assert "Gửi báo cáo Quý I (quá hạn)" not in todo_titles("phongcds")
        # Another unit still owes it.
        assert todo_titles("phongkhtc")[0] == "Gửi báo cáo Quý I (quá hạn)"


BAD_WORDING = re.compile(
    r"trả lại đúng hạn|chậm \d+ ngày gửi|Đã gửi chậm|gửi \d\d/\d\d/\d{4}", re.IGNORECASE
)


def test_a_clerk_could_sign_every_line_of_a_late_report_returned_then_accepted(demo):
    q3 = ReportingPeriod.objects.get(plan=demo, kind="q3")
    cds = Unit.objects.get(short_name="CĐS")
    url = f"/ky-bao-cao/{q3.pk}/don-vi/{cds.pk}/"
    seen = []
    with time_machine.travel("2026-11-30 09:00 +07:00"):
        # Signed in on each day: a session lasts PARTRACK_SESSION_HOURS.
        office, unit_member = demo_client("vanphong"), demo_client("phongcds")
        post_form(unit_member, url + "bat-dau/", {})
        post_form(unit_member, url + "gui/", {})
        seen += [office.get(f"/ky-bao-cao/{q3.pk}/").content.decode()]
        assert "Gửi chậm 81 ngày (30/11/2026)" in seen[-1]
        post_form(office, url + "xem-xet/", {"decision": "return", "comment": "Bổ sung số liệu"})
        seen += [office.get(f"/ky-bao-cao/{q3.pk}/").content.decode(), unit_member.get(url)]
        seen[-1] = seen[-1].content.decode()
        assert "Bị trả lại — chờ gửi lại" in seen[-1]
        assert "Gửi chậm 81 ngày (30/11/2026)" in seen[-1]
    with time_machine.travel("2026-12-01 09:00 +07:00"):
        office, unit_member = demo_client("vanphong"), demo_client("phongcds")
        post_form(unit_member, url + "gui/", {})
        post_form(office, url + "xem-xet/", {"decision": "accept"})
        seen += [office.get(url).content.decode(), unit_member.get("/thong-bao/")]
        seen[-1] = seen[-1].content.decode()
    versions = seen[-2].split('id="versions"')[1].split("</ol>")[0]
    assert "Bị trả lại: Bổ sung số liệu" in versions and "Đã chấp nhận" in versions
    assert "Báo cáo Quý III 2026 của Phòng Chuyển đổi số bị trả lại — chờ gửi lại" in seen[-1]
    for html in seen:
        assert not BAD_WORDING.search(html), BAD_WORDING.search(html)
