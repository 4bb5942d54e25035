"""The leaders' overview: figures that match the tasks, link to them, and twin every chart."""

import json
import re
from collections import Counter
from datetime import date, datetime, time
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partrack.plans.models import Area, ReportingPeriod, State, Status, Task
from partrack.reporting.models import UnitReport
from tests.conftest import demo_client
from tests.plans.test_query_counts import grow_to

pytestmark = pytest.mark.django_db
TODAY = "2026-11-26 10:00 +07:00"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def overview_url(plan):
    return f"/ke-hoach/{plan.pk}/tong-quan/"


def add_mixed_tasks(world):
    """A second area and tasks in most states, led by three units (one task by two)."""
    second = Area.objects.create(plan=world.plan, order=2, numeral="II", title="Thể chế")
    add = world.add_task
    add(
        number=2,
        content="Xong sớm",
        deadline_text="Tháng 02/2026",
        status=Status.DONE,
        done_on=date(2026, 2, 3),
    )
    add(
        number=3,
        content="Xong muộn",
        deadline_text="Tháng 03/2026",
        status=Status.DONE,
        done_on=date(2026, 4, 9),
        lead=world.helping_unit,
        area=second,
    )
    add(number=4, content="Sắp đến hạn", deadline_text="Trước ngày 05/12/2026", area=second)
    add(
        number=5,
        content="Đang làm",
        deadline_text="Năm 2026",
        status=Status.IN_PROGRESS,
        lead=world.office,
    )
    add(number=6, content="Thường xuyên", deadline_text="Thường xuyên", lead=world.office)
    add(number=7, content="Khi có chỉ đạo", deadline_text="Theo chỉ đạo của UBND tỉnh")
    add(
        number=8,
        content="Không làm được",
        deadline_text="Quý II/2026",
        status=Status.CANNOT_DO,
        area=second,
    )
    two_leads = add(number=9, content="Hai đơn vị", deadline_text="Tháng 6/2026", area=second)
    two_leads.lead_units.add(world.helping_unit)


def expected_counts(tasks, today):
    return Counter(task.state(today) for task in tasks)


def table(html, table_id):
    return html.split(f'id="{table_id}"')[1].split("</table>")[0]


def row_counts(row_html):
    """{data-count: number} of one table row, links or not."""
    cells = re.findall(r'data-count="(\w+)">(?:<a [^>]*>)?(\d+)%?<', row_html)
    return {key: int(value) for key, value in cells}


def body_rows(table_html):
    return table_html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]


@time_machine.travel(TODAY)
def test_state_area_and_unit_figures_equal_counts_the_test_makes_from_the_tasks(world):
    add_mixed_tasks(world)
    today = date(2026, 11, 26)
    html = world.client(world.leader).get(overview_url(world.plan)).content.decode()
    tasks = list(Task.objects.filter(plan=world.plan).prefetch_related("lead_units"))

    everything = expected_counts(tasks, today)
    for state in State:
        card = html.split(f'data-state="{state.value}"')[1]
        shown = re.search(r'fs-4 fw-semibold">(\d+)<', card).group(1)
        assert int(shown) == everything[state], state

    areas = body_rows(table(html, "area-counts"))
    assert [re.search(r">([IV]+\. [^<]+)</a></th>", row).group(1) for row in areas] == [
        "I. Chỉ đạo",
        "II. Thể chế",
    ]
    for row, area in zip(areas, Area.objects.filter(plan=world.plan), strict=True):
        mine = expected_counts([t for t in tasks if t.area_id == area.pk], today)
        figures = row_counts(row)
        assert figures["total"] == sum(mine.values())
        assert {s: figures[s.value] for s in State} == {s: mine[s] for s in State}
        done = mine[State.DONE_ON_TIME] + mine[State.DONE_LATE]
        assert figures["percent"] == round(100 * done / sum(mine.values()))

    units = {
        unescape(re.search(r"<a [^>]*>([^<]+)</a></th>", row).group(1)): row_counts(row)
        for row in body_rows(table(html, "unit-counts"))
    }
    for unit in [world.lead_unit, world.helping_unit, world.office]:
        mine = expected_counts([t for t in tasks if unit in t.lead_units.all()], today)
        assert units[unit.name]["total"] == sum(mine.values()), unit
        assert {s: units[unit.name][s.value] for s in State} == {s: mine[s] for s in State}
    assert world.bystander_unit.name not in units  # it leads nothing


@time_machine.travel(TODAY)
def test_year_progress_counts_tasks_due_and_done_in_each_month(world):
    add_mixed_tasks(world)
    html = world.client(world.leader).get(overview_url(world.plan)).content.decode()
    months = {
        re.search(r'data-month="([\d-]+)"', row).group(1): row_counts(row)
        for row in body_rows(table(html, "month-counts"))
    }
    assert list(months) == [f"2026-{m:02}" for m in range(1, 13)]
    tasks = Task.objects.filter(plan=world.plan)
    for key, figures in months.items():
        month = int(key[-2:])
        due = [t for t in tasks if t.due_date and t.due_date.month == month and not t.is_continuous]
        done = [t for t in tasks if t.status == Status.DONE and t.done_on.month == month]
        assert (figures["due"], figures["done"]) == (len(due), len(done)), key
    assert months["2026-03"] == {"due": 2, "done": 0}  # Quý I/2026 and Tháng 03/2026
    assert months["2026-04"] == {"due": 0, "done": 1}  # done late on 09/04
    assert months["2026-12"]["due"] == 2  # 05/12 and Năm 2026; never "Thường xuyên"


@time_machine.travel(TODAY)
def test_every_figure_links_to_a_task_list_of_that_many_tasks(world):
    add_mixed_tasks(world)
    client = world.client(world.leader)
    html = client.get(overview_url(world.plan)).content.decode()
    plan_url = world.plan.get_absolute_url()
    figures = ["area-counts", "unit-counts", "month-counts"]
    links = [
        (unescape(href), int(number))
        for table_id in figures
        for href, number in re.findall(r'<a href="([^"]+)">(\d+)</a>', table(html, table_id))
    ]
    assert len(links) > 25
    assert {href.split("?")[0] for href, _n in links} == {plan_url}
    for href, number in links:
        listing = client.get(href).content.decode()
        shown = re.search(r'id="result-count">(\d+) nhiệm vụ', listing).group(1)
        assert int(shown) == number, href
    # Numbers that no filter gives are shown without a link, never with a wrong one.
    assert "?state=&" not in html


@time_machine.travel(TODAY)
def test_plan_page_filters_tasks_due_or_done_in_a_month(world):
    add_mixed_tasks(world)
    client = world.client(world.coordinator)
    url = world.plan.get_absolute_url()

    def numbers(query):
        html = client.get(url, query).content.decode()
        return sorted(int(n) for n in re.findall(r'class="fw-semibold">(\d+)\.</span>', html))

    assert numbers({"due_month": "2026-03"}) == [1, 3]
    assert numbers({"due_month": "2026-12"}) == [4, 5]  # not the continuous task 6
    assert numbers({"done_month": "2026-04"}) == [3]
    assert numbers({"done_month": "2026-04", "area": world.area.pk}) == []
    assert len(numbers({"due_month": "tháng ba"})) == 9  # a bad value is dropped, not fatal


@time_machine.travel(TODAY)
def test_each_chart_is_a_figure_with_caption_and_labelled_canvas_and_its_table_twin(world):
    add_mixed_tasks(world)
    html = world.client(world.leader).get(overview_url(world.plan)).content.decode()
    figures = re.findall(r"<figure[^>]*>(.*?)</figure>(.*?)</table>", html, re.S)
    assert len(figures) == 3
    twins = []
    for inside, after in figures:
        assert re.search(r"<figcaption[^>]*>[^<]{20,}</figcaption>", inside)
        assert re.search(r'<canvas id="[\w-]+" role="img" aria-label="[^"]{30,}">', inside)
        # The table comes right after the figure, before any other section content.
        assert "<section" not in after and "<h2" not in after
        twins.append(re.search(r'<table [^>]*id="([\w-]+)"', after).group(1))
    assert twins == ["area-counts", "unit-counts", "month-counts"]


@time_machine.travel(TODAY)
def test_charts_draw_the_same_figures_as_the_tables_and_stay_hidden_without_javascript(world):
    add_mixed_tasks(world)
    html = world.client(world.leader).get(overview_url(world.plan)).content.decode()
    assert len(re.findall(r'<figure class="chart-figure" hidden>', html)) == 3
    data = json.loads(
        re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', html).group(
            1
        )
    )
    area_rows = body_rows(table(html, "area-counts"))
    for index, row in enumerate(area_rows):
        figures = row_counts(row)
        for state, counts in data["areas"]["counts"].items():
            assert counts[index] == figures[state]
    month_rows = body_rows(table(html, "month-counts"))
    assert data["months"]["due"] == [row_counts(r)["due"] for r in month_rows]
    assert data["months"]["done"] == [row_counts(r)["done"] for r in month_rows]
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in html
    assert "cdn" not in html.lower()


def submitted(day):
    return datetime.combine(day, time(9, 0), tzinfo=HANOI)


@time_machine.travel(TODAY)
def test_overview_shows_who_has_and_has_not_reported_in_the_current_period(world):
    period = ReportingPeriod.objects.get(plan=world.plan, kind="year")  # units due 10/12/2026
    late_period = ReportingPeriod.objects.get(plan=world.plan, kind="q3")
    period.unit_due = date(2026, 11, 20)
    period.save()
    UnitReport.objects.create(
        period=period,
        unit=world.lead_unit,
        status="accepted",
        first_submitted_at=submitted(date(2026, 11, 18)),
    )
    UnitReport.objects.create(
        period=period,
        unit=world.helping_unit,
        status="returned",
        first_submitted_at=submitted(date(2026, 11, 23)),
    )
    UnitReport.objects.create(period=period, unit=world.office, status="draft")
    # Another period's report does not count for this one.
    UnitReport.objects.create(
        period=late_period,
        unit=world.bystander_unit,
        status="submitted",
        first_submitted_at=submitted(date(2026, 9, 1)),
    )
    html = world.client(world.leader).get(overview_url(world.plan)).content.decode()
    assert "Báo cáo kỳ Năm 2026" in html
    assert f'href="/ky-bao-cao/{period.pk}/"' in html
    rows = {
        int(unit): (report, body)
        for unit, report, body in re.findall(
            r'<tr data-unit="(\d+)" data-report="(\w+)">(.*?)</tr>',
            table(html, "report-status"),
            re.S,
        )
    }
    assert rows[world.lead_unit.pk][0] == "accepted" and "đúng hạn" in rows[world.lead_unit.pk][1]
    assert rows[world.helping_unit.pk][0] == "returned"
    assert "Đã gửi chậm 3 ngày" in rows[world.helping_unit.pk][1]
    # A draft never sent, and a report never started, are late once the deadline passed.
    assert rows[world.office.pk][0] == "draft"
    assert "Chưa gửi — quá hạn 6 ngày" in rows[world.office.pk][1]
    assert "report-on-time" not in rows[world.office.pk][1]
    assert rows[world.bystander_unit.pk][0] == "not_started"
    assert "Chưa gửi — quá hạn 6 ngày" in rows[world.bystander_unit.pk][1]
    assert f'href="/ky-bao-cao/{period.pk}/don-vi/{world.lead_unit.pk}/"' in html
    summary = re.sub(r"\s+", " ", html.split('id="report-summary">')[1].split("</p>")[0])
    assert summary.strip() == (
        "Đã gửi: 2/4 đơn vị (1 đúng hạn, 1 chậm) · Chưa gửi: 2 (2 đã quá hạn)"
    )
    assert "Chưa đặt hạn gửi Sở Nội vụ." in html


@time_machine.travel("2026-12-05 10:00 +07:00")
def test_due_list_pages_in_place_and_overdue_list_links_to_all(world):
    grow_to(world, 120)
    client = world.client(world.leader)
    html = client.get(overview_url(world.plan)).content.decode()
    due = table_free_list(html, "due-list")
    assert len(due) == 20
    assert "due_page=2" in html
    second = table_free_list(client.get(overview_url(world.plan), {"due_page": 2}).text, "due-list")
    assert second and not set(second) & set(due)
    overdue = table_free_list(html, "overdue-list")
    assert len(overdue) == 20
    assert f'href="{world.plan.get_absolute_url()}?state=overdue" id="overdue-all"' in html


def table_free_list(html, list_id):
    items = html.split(f'id="{list_id}"')[1].split("</ul>")[0]
    return re.findall(r'<a href="/nhiem-vu/(\d+)/">', items)


def overview_queries(world, people):
    counts = {}
    for person in people:
        client = world.client(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(overview_url(world.plan)).status_code == 200
        counts[person.username] = len(queries)
    return counts


@time_machine.travel(TODAY)
def test_overview_runs_the_same_number_of_queries_at_36_and_3600_tasks(
    world, django_assert_max_num_queries
):
    people = [world.leader, world.coordinator, world.lead_member]
    period = ReportingPeriod.objects.get(plan=world.plan, kind="year")
    UnitReport.objects.create(period=period, unit=world.lead_unit, status="draft")
    grow_to(world, 36)
    small = overview_queries(world, people)
    grow_to(world, 3600)
    assert Task.objects.filter(plan=world.plan).count() == 3600
    large = overview_queries(world, people)
    assert large == small
    # The office also reads the public page's switch; the menu names a member's unit. One
    # query counts the tasks the current period judges.
    assert large == {"leader": 16, "office": 18, "lead": 17}
    leader = world.client(world.leader)
    with django_assert_max_num_queries(16):
        leader.get(overview_url(world.plan))
    # The ranking counts in SQL too.
    for url in [
        f"/ke-hoach/{world.plan.pk}/xep-hang/",
        f"/ke-hoach/{world.plan.pk}/xep-hang/xlsx/",
    ]:
        with django_assert_max_num_queries(10):
            assert leader.get(url).status_code == 200


@time_machine.travel(TODAY)
def test_demo_overview_for_the_leader_counts_like_the_database(demo):
    html = demo_client("lanhdao").get(overview_url(demo)).content.decode()
    counts = Task.objects.filter(plan=demo).state_counts(date(2026, 11, 26))
    total = table(html, "area-counts").split("<tfoot>")[1]
    assert {s: row_counts(total)[s.value] for s in State} == counts
    assert row_counts(total)["total"] == 36


@time_machine.travel(TODAY)
def test_a_chart_names_each_unit_in_full_on_hover_and_its_table_twin_says_which_bar_is_which(
    world,
):
    world.lead_unit.short_name = "CĐS"
    world.lead_unit.save()
    add_mixed_tasks(world)
    html = world.client(world.leader).get(overview_url(world.plan)).content.decode()
    data = json.loads(
        re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', html).group(
            1
        )
    )
    units = data["units"]
    at = units["labels"].index("CĐS")
    # overview.js shows `titles` as the tooltip's title: the unit's full name.
    assert units["titles"][at] == "Phòng Chuyển đổi số"
    twin = unescape(table(html, "unit-counts"))
    assert re.search(r"Phòng Chuyển đổi số</a>\s*<span[^>]*>\(trên biểu đồ: CĐS\)</span>", twin)
    # A unit the chart already names in full gets no second name.
    assert "(trên biểu đồ: Phòng Kế hoạch Tài chính)" not in twin
    js = Path("partrack/static/dashboards/overview.js").read_text(encoding="utf-8")
    assert "return rows.titles[items[0].dataIndex];" in js


@time_machine.travel("2026-03-16 10:00 +07:00")
def test_overview_counts_the_tasks_the_current_period_judges(demo):
    html = demo_client("lanhdao").get(overview_url(demo)).content.decode()
    summary = re.sub(r"\s+", " ", unescape(html.split('id="judged-summary">')[1].split("</p>")[0]))
    # Quý I is current until 31/03 (no agency deadline set): it judges the 8 tasks due by 14/03.
    due = [
        t for t in Task.objects.filter(plan=demo) if t.due_date and t.due_date <= date(2026, 3, 14)
    ]
    assert summary.startswith(f"Nhiệm vụ đến hạn trong kỳ: {len(due)} (")
    states = Counter(t.state(date(2026, 3, 15)) for t in due)
    for state, n in states.items():
        assert f"{str(state.label).lower()} {n}" in summary
    assert "đến hết ngày 14/03/2026" in summary
