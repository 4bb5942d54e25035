""" "Cần làm": each person's list of what their unit must update or report now."""

import re

import pytest
import time_machine

from partrack.plans.models import ReportingPeriod, Task
from partrack.reporting import services
from partrack.reporting.models import UnitReport
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db


def todo_titles(login):
    html = demo_client(login).get("/can-lam/").content.decode()
    block = html.split('id="todo"')[1].split("</ul>")[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', block)


@time_machine.travel("2026-03-03 09:00 +07:00")
def test_a_unit_member_sees_its_report_and_its_tasks_most_urgent_first(demo):
    titles = todo_titles("phongcds")
    assert titles[0] == "Lập báo cáo Quý I"  # due 10/03, before task 33's 31/03
    assert any(t.startswith("34.") for t in titles)  # not updated since the period began
    # Tasks of other units are not on this list.
    assert not any(t.startswith("31.") for t in titles)


@time_machine.travel("2026-03-03 09:00 +07:00")
def test_a_returned_report_asks_to_be_fixed_and_a_submitted_one_leaves_the_list(demo):
    period = ReportingPeriod.objects.get(plan=demo, kind="q1")
    cds = demo_client("phongcds")
    unit_id = Task.objects.get(plan=demo, number=33).lead_units.get().pk
    post_form(cds, f"/ky-bao-cao/{period.pk}/don-vi/{unit_id}/bat-dau/", {})
    post_form(cds, f"/ky-bao-cao/{period.pk}/don-vi/{unit_id}/gui/", {})
    assert "Lập báo cáo Quý I" not in todo_titles("phongcds")
    assert "Xem xét báo cáo Quý I của Phòng Chuyển đổi số" in todo_titles("vanphong")
    report = UnitReport.objects.get()
    office = report.period.plan.agency.memberships.get(role="coordinator").user
    services.return_unit_report(report=report, by=office, comment="Thiếu minh chứng")
    assert todo_titles("phongcds")[0] == "Sửa và gửi lại báo cáo Quý I"


@time_machine.travel("2026-11-26 09:00 +07:00")
def test_a_leader_without_a_unit_has_nothing_to_do_here(demo):
    assert todo_titles("lanhdao") == []


@time_machine.travel("2026-11-26 09:00 +07:00")
def test_plan_page_says_whether_each_open_task_was_updated_this_period(demo):
    html = demo_client("vanphong").get(demo.get_absolute_url()).content.decode()
    # 26/11: the current period is the year's; news counts after Quý III's data (14/09).
    assert "Chưa cập nhật kỳ Năm" in html
    item_12 = html.split('">12.</span>')[1].split("</li>")[0]
    assert "reported-no" in item_12  # its last update was on 05/09
    assert "state-done_on_time" in html.split('">1.</span>')[1].split("</li>")[0]
    assert "reported-" not in html.split('">1.</span>')[1].split("</li>")[0]


def test_todo_needs_a_sign_in(demo):
    from tests.conftest import client_as

    assert client_as().get("/can-lam/").status_code == 302
