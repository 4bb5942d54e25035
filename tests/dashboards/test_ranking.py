"""Units ranked by points: a hand-built plan whose ranking we know, with a tie and a fraction."""

import re
from datetime import date, datetime, time
from fractions import Fraction
from io import BytesIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from partrack.dashboards.models import RankingWeights
from partrack.dashboards.ranking import Scope, UnitResult, rank, ranking_for
from partrack.org.models import Unit
from partrack.plans.models import ReportingPeriod, Status
from partrack.reporting.models import UnitReport
from tests.conftest import post_form

pytestmark = pytest.mark.django_db
TODAY = "2026-11-26 10:00 +07:00"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day):
    # 23:30 in Hà Nội is already the next day in UTC: the date that counts is the local one.
    return datetime.combine(day, time(23, 30), tzinfo=HANOI)


def build_known_plan(world):
    """Tasks and reports whose points are worked out by hand in each test below.

    Year, as of 26/11/2026 (Quý I, 6 tháng and Quý III are due; the year's report is not):
      unit (on time, late, overdue, reports on time)   points
      Phòng Chuyển đổi số      (2, 1, 1, 3/3)         10·2 + 5·1 − 5·1 + 10·1 = 30
      Phòng Kế hoạch Tài chính (2, 0, 0, 3/3)         10·2 + 10·1             = 30
      Chi cục TĐC              (1, 1, 0, 0/3)         10·1 + 5·1              = 15
      Văn phòng Sở             (0, 0, 2, 2/3)         −5·2 + 10·2/3           = −3⅓
    """
    cds, khtc, tdc, office = (
        world.lead_unit,
        world.helping_unit,
        world.bystander_unit,
        world.office,
    )
    # world.task: "Quý I/2026", led by Phòng Chuyển đổi số, not started: overdue since 01/04.
    done = Status.DONE
    add = world.add_task
    add(
        number=2,
        content="CĐS đúng hạn Q1",
        deadline_text="Trước ngày 28/02/2026",
        lead=cds,
        status=done,
        done_on=date(2026, 2, 20),
    )
    add(
        number=3,
        content="CĐS đúng hạn",
        deadline_text="Tháng 6/2026",
        lead=cds,
        status=done,
        done_on=date(2026, 6, 15),
    )
    add(
        number=4,
        content="CĐS trễ hạn",
        deadline_text="Trước ngày 10/03/2026",
        lead=cds,
        status=done,
        done_on=date(2026, 3, 20),
    )
    add(
        number=5,
        content="KHTC đúng hạn Q1",
        deadline_text="Tháng 02/2026",
        lead=khtc,
        status=done,
        done_on=date(2026, 2, 1),
    )
    add(
        number=6,
        content="KHTC đúng hạn",
        deadline_text="Năm 2026",
        lead=khtc,
        status=done,
        done_on=date(2026, 11, 1),
    )
    add(
        number=7,
        content="TĐC trễ hạn",
        deadline_text="Quý III/2026",
        lead=tdc,
        status=done,
        done_on=date(2026, 10, 1),
    )
    add(
        number=8,
        content="TĐC đúng hạn",
        deadline_text="Tháng 10/2026",
        lead=tdc,
        status=done,
        done_on=date(2026, 10, 31),
    )
    add(number=9, content="TĐC thường xuyên", deadline_text="Thường xuyên", lead=tdc)
    add(number=10, content="VP quá hạn Q1", deadline_text="Trước ngày 05/03/2026", lead=office)
    add(
        number=11,
        content="VP quá hạn",
        deadline_text="Tháng 9/2026",
        lead=office,
        status=Status.IN_PROGRESS,
    )

    periods = {p.kind: p for p in ReportingPeriod.objects.filter(plan=world.plan)}
    # Units send by the 10th of the period's last month: 10/03, 10/06, 10/09.
    sent = {
        cds: [date(2026, 3, 10), date(2026, 6, 9), date(2026, 9, 1)],
        khtc: [date(2026, 3, 1), date(2026, 6, 10), date(2026, 9, 10)],
        tdc: [date(2026, 3, 11), None, date(2026, 9, 30)],
        office: [date(2026, 3, 5), date(2026, 6, 5), date(2026, 9, 11)],
    }
    for unit, days in sent.items():
        for kind, day in zip(["q1", "h1", "q3"], days, strict=True):
            if day is not None:
                UnitReport.objects.create(
                    period=periods[kind], unit=unit, status="accepted", first_submitted_at=at(day)
                )
    # A draft never sent is not a report on time.
    UnitReport.objects.create(period=periods["h1"], unit=tdc, status="draft")
    return periods


def figures(ranking):
    return [
        (
            r.rank,
            r.unit.name,
            r.done_on_time,
            r.done_late,
            r.overdue,
            r.reports_on_time,
            r.reports_due,
            r.score,
        )
        for r in ranking.results
    ]


@time_machine.travel(TODAY)
def test_year_ranking_of_the_hand_built_plan_is_known_with_a_tie_shared_at_rank_one(world):
    build_known_plan(world)
    scope = Scope.year(world.plan, list(world.plan.periods.all()), date(2026, 11, 26))
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    assert figures(ranking) == [
        (1, "Phòng Chuyển đổi số", 2, 1, 1, 3, 3, 30),
        (1, "Phòng Kế hoạch Tài chính", 2, 0, 0, 3, 3, 30),
        (3, "Chi cục TĐC", 1, 1, 0, 0, 3, 15),
        (4, "Văn phòng Sở", 0, 0, 2, 2, 3, Fraction(-10) + Fraction(20, 3)),
    ]
    [(tie_rank, tie_score, members)] = ranking.ties
    assert (tie_rank, tie_score) == (1, 30)
    assert [m.unit.name for m in members] == ["Phòng Chuyển đổi số", "Phòng Kế hoạch Tài chính"]


@time_machine.travel(TODAY)
def test_quarter_ranking_counts_only_tasks_due_in_the_quarter_window_as_of_its_last_day(world):
    periods = build_known_plan(world)
    scope = Scope.of_period(periods["q1"], date(2026, 11, 26))
    assert (scope.due_from, scope.due_to, scope.as_of) == (
        date(2025, 12, 15),
        date(2026, 3, 14),
        date(2026, 3, 14),
    )
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    # CĐS: task 2 on time, task 4 done late (10/03 → 20/03), report on time: 10 + 5 + 10.
    # KHTC: task 5 on time, report on time. VP: task 10 overdue on 14/03, report on time.
    # TĐC: nothing due in the window, report a day late.
    assert figures(ranking) == [
        (1, "Phòng Chuyển đổi số", 1, 1, 0, 1, 1, 25),
        (2, "Phòng Kế hoạch Tài chính", 1, 0, 0, 1, 1, 20),
        (3, "Văn phòng Sở", 0, 0, 1, 1, 1, 5),
        (4, "Chi cục TĐC", 0, 0, 0, 0, 1, 0),
    ]
    assert ranking.ties == []


@time_machine.travel(TODAY)
def test_other_weights_give_another_ranking(world):
    build_known_plan(world)
    weights = RankingWeights(
        agency=world.agency, done_on_time=10, done_late=5, overdue=-20, reported_on_time=0
    )
    scope = Scope.year(world.plan, list(world.plan.periods.all()), date(2026, 11, 26))
    ranking = ranking_for(world.plan, scope, weights)
    assert [(r.rank, r.unit.name, r.score) for r in ranking.results] == [
        (1, "Phòng Kế hoạch Tài chính", 20),
        (2, "Chi cục TĐC", 15),
        (3, "Phòng Chuyển đổi số", 5),
        (4, "Văn phòng Sở", -40),
    ]


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    weights = SimpleNamespace(done_on_time=1, done_late=0, overdue=0, reported_on_time=0)
    results = [
        UnitResult(Unit(pk=pk, name=name), done_on_time=n)
        for pk, name, n in [(1, "Đội B", 5), (2, "Ban A", 7), (3, "An C", 5), (4, "Tổ D", 1)]
    ]
    ranked = rank(results, weights)
    assert [(r.rank, r.unit.name) for r in ranked] == [
        (1, "Ban A"),
        (2, "An C"),
        (2, "Đội B"),
        (4, "Tổ D"),
    ]
    assert [u.name for u in ranked[1].tied_with] == ["Đội B"]


@time_machine.travel(TODAY)
def test_ranking_page_shows_the_formula_each_units_sum_and_which_units_tie(world):
    build_known_plan(world)
    html = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xep-hang/").content.decode()
    assert (
        "Điểm = 10 × số nhiệm vụ hoàn thành đúng hạn + 5 × số nhiệm vụ hoàn thành quá hạn"
        " − 5 × số nhiệm vụ quá hạn + 10 × báo cáo đúng hạn" in html
    )
    assert "10 × 2 + 5 × 1 − 5 × 1 + 10 × 1 = 30" in html
    assert "10 × 0 + 5 × 0 − 5 × 2 + 10 × 2/3 = −3,33" in html
    assert "Đồng hạng 1 (30 điểm): Phòng Chuyển đổi số, Phòng Kế hoạch Tài chính" in html
    assert "Không áp dụng tiêu chí phụ nào để phân định" in html
    ranks = [int(n) for n in re.findall(r'data-rank="(\d+)"', html)]
    assert ranks == [1, 1, 3, 4]


@time_machine.travel(TODAY)
def test_ranking_page_for_a_period_is_chosen_with_ky(world):
    periods = build_known_plan(world)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/?ky={periods['q1'].pk}"
    html = world.client(world.lead_member).get(url).content.decode()
    assert "Xếp hạng đơn vị: Quý I 2026" in html
    assert "10 × 1 + 5 × 1 − 5 × 0 + 10 × 1 = 25" in html


@time_machine.travel(TODAY, tick=False)
def test_coordinator_sets_weights_and_the_ranking_follows_and_the_change_is_recorded(world):
    build_known_plan(world)
    client = world.client(world.coordinator)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    assert client.get(url).status_code == 200
    response = post_form(
        client,
        url,
        {"done_on_time": 10, "done_late": 5, "overdue": -20, "reported_on_time": 0},
    )
    assert response.status_code == 302
    weights = RankingWeights.objects.get(agency=world.agency)
    assert (weights.overdue, weights.reported_on_time) == (-20, 0)
    assert weights.updated_by == world.coordinator
    assert weights.updated_at == datetime(2026, 11, 26, 3, 0, tzinfo=ZoneInfo("UTC"))
    html = client.get(f"/ke-hoach/{world.plan.pk}/xep-hang/").content.decode()
    assert "Điểm = 10 × số nhiệm vụ hoàn thành đúng hạn" in html and "− 20 × số" in html
    assert "Trọng số do Văn phòng Sở đặt ngày 26/11/2026 10:00 (office)." in html
    names = re.findall(r'<th scope="row" class="fw-normal row-label"><a [^>]+>([^<]+)</a>', html)
    assert names == [
        "Phòng Kế hoạch Tài chính",
        "Chi cục TĐC",
        "Phòng Chuyển đổi số",
        "Văn phòng Sở",
    ]


def test_weights_out_of_range_are_refused_with_the_reason(world):
    client = world.client(world.coordinator)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    response = post_form(
        client, url, {"done_on_time": 1000, "done_late": 5, "overdue": -5, "reported_on_time": 10}
    )
    assert response.status_code == 400
    assert "Trọng số là số nguyên từ −100 đến 100." in response.content.decode()
    assert not RankingWeights.objects.exists()


def test_only_the_agency_coordinator_may_change_weights(world):
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    data = {"done_on_time": 1, "done_late": 1, "overdue": 1, "reported_on_time": 1}
    for person in [world.leader, world.lead_member, world.viewer, world.province_viewer]:
        client = world.client(person)
        assert client.get(url).status_code == 403, person
        assert post_form(client, url, data).status_code == 403, person
    outsider = world.client(world.outsider)
    assert outsider.get(url).status_code == 404
    assert post_form(outsider, url, data).status_code == 404
    assert world.client().get(url).status_code == 302  # to the sign-in page
    assert not RankingWeights.objects.exists()
    # Only the office is offered the link.
    page = f"/ke-hoach/{world.plan.pk}/xep-hang/"
    assert 'id="weights-link"' not in world.client(world.leader).get(page).content.decode()
    assert 'id="weights-link"' in world.client(world.coordinator).get(page).content.decode()


def test_person_of_another_agency_gets_404_on_the_ranking_and_its_file(world):
    client = world.client(world.outsider)
    assert client.get(f"/ke-hoach/{world.plan.pk}/xep-hang/").status_code == 404
    assert client.get(f"/ke-hoach/{world.plan.pk}/xep-hang/xlsx/").status_code == 404


@time_machine.travel(TODAY)
def test_ranking_exports_as_xlsx_with_its_formula_ranks_and_ties(world):
    build_known_plan(world)
    response = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xep-hang/xlsx/?ky=nam")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="xep-hang-ca-nam-2026-skhcn.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("XẾP HẠNG ĐƠN VỊ")
    assert rows[3][0] == "Công thức"
    assert rows[3][1].startswith("Điểm = 10 × số nhiệm vụ hoàn thành đúng hạn")
    header = rows.index(
        [
            "Hạng",
            "Đơn vị",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Quá hạn",
            "Báo cáo đúng hạn",
            "Điểm",
            "Cách tính",
            "Đồng hạng với",
        ]
    )
    units = rows[header + 1 : header + 5]
    assert [(r[0], r[1], r[6]) for r in units] == [
        (1, "Phòng Chuyển đổi số", 30),
        (1, "Phòng Kế hoạch Tài chính", 30),
        (3, "Chi cục TĐC", 15),
        (4, "Văn phòng Sở", pytest.approx(-10 / 3)),
    ]
    assert units[0][7] == "10 × 2 + 5 × 1 − 5 × 1 + 10 × 1 = 30"
    assert units[0][8] == "Phòng Kế hoạch Tài chính"
    assert units[3][5] == "2/3"
    notes = [r[0] for r in rows[header + 5 :] if r and r[0]]
    assert notes[0] == "Đồng hạng 1 (30 điểm): Phòng Chuyển đổi số, Phòng Kế hoạch Tài chính"
    assert notes[1].startswith("Các đơn vị bằng điểm được xếp đồng hạng.")
