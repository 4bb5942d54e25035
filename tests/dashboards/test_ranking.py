"""Units ranked by rates: a hand-built plan whose ranking we know, worked out by hand."""

import re
from datetime import date, datetime, time
from fractions import Fraction
from io import BytesIO
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

    Year, as of 26/11/2026 (Quý I, 6 tháng and Quý III are due; the year's report is not).
    Default weights 60, 30, −30 on the task rates and 40, 20 on the report rates:
      unit                     judged: on time, late, overdue · reports: on time, late, missing
      Phòng Chuyển đổi số      4: 2, 1, 1 · 3, 0, 0   60·2/4 + 30·1/4 − 30·1/4 + 40·3/3 = 70
      Phòng Kế hoạch Tài chính 2: 2, 0, 0 · 3, 0, 0   60·2/2 + 40·3/3                  = 100
      Chi cục TĐC              2: 1, 1, 0 · 0, 2, 1   60·1/2 + 30·1/2 + 20·2/3          = 58⅓
                               (task 9, continuous, is due 31/12: not yet judged)
      Văn phòng Sở             2: 0, 0, 2 · 2, 1, 0   −30·2/2 + 40·2/3 + 20·1/3         = 3⅓
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
            r.judged,
            r.done_on_time,
            r.done_late,
            r.overdue,
            (r.reports_on_time, r.reports_late, r.reports_missing),
            r.score,
        )
        for r in ranking.results
    ]


def weights(**values):
    return RankingWeights(agency=None, **{**RankingWeights.DEFAULTS, **values})


def periods_of(plan):
    return list(plan.periods.all())


@time_machine.travel(TODAY)
def test_year_ranking_of_the_hand_built_plan_is_known_from_rates(world):
    build_known_plan(world)
    scope = Scope.year(world.plan, periods_of(world.plan), date(2026, 11, 26))
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    assert figures(ranking) == [
        (1, "Phòng Kế hoạch Tài chính", 2, 2, 0, 0, (3, 0, 0), 100),
        (2, "Phòng Chuyển đổi số", 4, 2, 1, 1, (3, 0, 0), 70),
        (3, "Chi cục TĐC", 2, 1, 1, 0, (0, 2, 1), Fraction(175, 3)),
        (4, "Văn phòng Sở", 2, 0, 0, 2, (2, 1, 0), Fraction(10, 3)),
    ]
    tdc = next(r for r in ranking.results if r.unit.name == "Chi cục TĐC")
    assert tdc.not_due == 1  # the continuous task 9, due 31/12
    assert ranking.ties == [] and ranking.unranked == []


@time_machine.travel(TODAY)
def test_a_small_unit_and_a_big_one_with_the_same_rates_score_the_same(world):
    small, big = world.helping_unit, world.bystander_unit
    world.task.delete()
    for number in range(1, 3):
        world.add_task(
            number=number,
            content="Nhỏ",
            deadline_text="Tháng 02/2026",
            lead=small,
            status=Status.DONE if number == 1 else Status.NOT_STARTED,
            done_on=date(2026, 2, 1) if number == 1 else None,
        )
    for number in range(3, 23):
        world.add_task(
            number=number,
            content="Lớn",
            deadline_text="Tháng 02/2026",
            lead=big,
            status=Status.DONE if number < 13 else Status.NOT_STARTED,
            done_on=date(2026, 2, 1) if number < 13 else None,
        )
    scope = Scope.year(world.plan, periods_of(world.plan), date(2026, 11, 26))
    ranking = ranking_for(world.plan, scope, weights(reported_on_time=0, reported_late=0))
    # 1 of 2 and 10 of 20 on time, 1 of 2 and 10 of 20 overdue: 60·½ − 30·½ = 15 for both.
    assert [(r.rank, r.unit.name, r.judged, r.score) for r in ranking.results] == [
        (1, "Chi cục TĐC", 20, 15),
        (1, "Phòng Kế hoạch Tài chính", 2, 15),
    ]


@time_machine.travel(TODAY)
def test_quarter_ranking_judges_the_tasks_of_quarter_ones_window_as_of_its_last_day(world):
    periods = build_known_plan(world)
    scope = Scope.of_period(periods["q1"], periods_of(world.plan), date(2026, 11, 26))
    assert scope.as_of == date(2026, 3, 14)
    assert scope.judged_bounds == (None, date(2026, 3, 14))
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    # CĐS: task 2 on time, task 4 done late (10/03 → 20/03), report on time: 30 + 15 + 40.
    # KHTC: task 5 on time, report on time. VP: task 10 overdue on 14/03, report on time.
    # Task 1 ("Quý I/2026", due 31/03) falls after the window: 6 tháng judges it.
    assert figures(ranking) == [
        (1, "Phòng Kế hoạch Tài chính", 1, 1, 0, 0, (1, 0, 0), 100),
        (2, "Phòng Chuyển đổi số", 2, 1, 1, 0, (1, 0, 0), 85),
        (3, "Văn phòng Sở", 1, 0, 0, 1, (1, 0, 0), 10),
    ]
    # TĐC has nothing due in Quý I: shown apart, not ranked last.
    assert [(r.unit.name, r.rank, r.reports_late) for r in ranking.unranked] == [
        ("Chi cục TĐC", None, 1)
    ]


@time_machine.travel(TODAY)
def test_six_months_judges_the_tasks_due_after_quarter_ones_window(world):
    periods = build_known_plan(world)
    scope = Scope.of_period(periods["h1"], periods_of(world.plan), date(2026, 11, 26))
    assert scope.judged_bounds == (date(2026, 3, 14), date(2026, 6, 14))
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    # Only task 1, due 31/03 and never done: CĐS, report on time (09/06).
    assert figures(ranking) == [(1, "Phòng Chuyển đổi số", 1, 0, 0, 1, (1, 0, 0), 10)]
    assert sorted(r.unit.name for r in ranking.unranked) == sorted(
        ["Chi cục TĐC", "Phòng Kế hoạch Tài chính", "Văn phòng Sở"]
    )


@time_machine.travel("2026-03-20 10:00 +07:00")
def test_a_report_never_sent_scores_below_one_sent_late(world):
    periods = {p.kind: p for p in world.plan.periods.all()}
    late, missing = world.helping_unit, world.bystander_unit
    world.task.delete()
    for number, unit in [(1, late), (2, missing)]:
        world.add_task(
            number=number,
            content="Việc",
            deadline_text="Tháng 02/2026",
            lead=unit,
            status=Status.DONE,
            done_on=date(2026, 2, 1),
        )
    UnitReport.objects.create(
        period=periods["q1"],
        unit=late,
        status="submitted",
        first_submitted_at=at(date(2026, 3, 13)),
    )
    scope = Scope.of_period(periods["q1"], periods_of(world.plan), date(2026, 3, 20))
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    assert [(r.rank, r.unit.name, r.score) for r in ranking.results] == [
        (1, "Phòng Kế hoạch Tài chính", 80),  # 60 + 20 × 1/1 sent late
        (2, "Chi cục TĐC", 60),  # 60 + nothing: never sent
    ]
    assert ranking.results[1].reports_missing == 1


@time_machine.travel(TODAY)
def test_when_the_plan_says_the_tenth_is_late_a_report_sent_on_the_tenth_is_late(world):
    periods = build_known_plan(world)
    world.plan.report_due_day_on_time = False
    world.plan.save()
    scope = Scope.of_period(periods["q1"], periods_of(world.plan), date(2026, 11, 26))
    ranking = ranking_for(world.plan, scope, RankingWeights.for_agency(world.agency))
    cds = next(r for r in ranking.results if r.unit.name == "Phòng Chuyển đổi số")
    assert (cds.reports_on_time, cds.reports_late) == (0, 1)  # sent 10/03


@time_machine.travel(TODAY)
def test_other_weights_give_another_ranking_and_equal_scores_tie(world):
    build_known_plan(world)
    scope = Scope.year(world.plan, periods_of(world.plan), date(2026, 11, 26))
    other = weights(done_on_time=10, done_late=10, overdue=0, reported_on_time=0, reported_late=0)
    ranking = ranking_for(world.plan, scope, other)
    assert [(r.rank, r.unit.name, r.score) for r in ranking.results] == [
        (1, "Chi cục TĐC", 10),
        (1, "Phòng Kế hoạch Tài chính", 10),
        (3, "Phòng Chuyển đổi số", Fraction(15, 2)),
        (4, "Văn phòng Sở", 0),
    ]
    [(tie_rank, tie_score, members)] = ranking.ties
    assert (tie_rank, tie_score) == (1, 10)


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    same = weights(done_on_time=1, done_late=0, overdue=0, reported_on_time=0, reported_late=0)
    results = [
        UnitResult(Unit(pk=pk, name=name), judged=10, done_on_time=n)
        for pk, name, n in [(1, "Đội B", 5), (2, "Ban A", 7), (3, "An C", 5), (4, "Tổ D", 1)]
    ]
    ranked = rank(results, same)
    assert [(r.rank, r.unit.name) for r in ranked] == [
        (1, "Ban A"),
        (2, "An C"),
        (2, "Đội B"),
        (4, "Tổ D"),
    ]
    assert [u.name for u in ranked[1].tied_with] == ["Đội B"]


@time_machine.travel(TODAY)
def test_ranking_page_shows_the_formula_each_units_inputs_and_sum(world):
    build_known_plan(world)
    html = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xep-hang/").content.decode()
    assert (
        "Điểm = 60 × tỷ lệ nhiệm vụ hoàn thành đúng hạn + 30 × tỷ lệ nhiệm vụ hoàn thành quá hạn"
        " − 30 × tỷ lệ nhiệm vụ quá hạn + 40 × tỷ lệ kỳ báo cáo gửi đúng hạn"
        " + 20 × tỷ lệ kỳ báo cáo gửi chậm" in html
    )
    assert "60 × 2/4 + 30 × 1/4 − 30 × 1/4 + 40 × 3/3 + 20 × 0/3 = 70" in html
    assert "60 × 0/2 + 30 × 0/2 − 30 × 2/2 + 40 × 2/3 + 20 × 1/3 = 3,33" in html
    ranks = [int(n) for n in re.findall(r'data-rank="(\d+)"', html)]
    assert ranks == [1, 2, 3, 4]


@time_machine.travel(TODAY)
def test_ranking_page_names_a_unit_without_tasks_due_instead_of_ranking_it_last(world):
    periods = build_known_plan(world)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/?ky={periods['q1'].pk}"
    html = world.client(world.lead_member).get(url).content.decode()
    assert "Xếp hạng đơn vị: Quý I 2026" in html
    assert "60 × 1/2 + 30 × 1/2 − 30 × 0/2 + 40 × 1/1 + 20 × 0/1 = 85" in html
    row = re.search(
        rf'<tr data-unit="{world.bystander_unit.pk}" class="unranked">(.*?)</tr>', html, re.S
    )
    assert row and "không có nhiệm vụ đến hạn" in row.group(1)
    assert f'data-unit="{world.bystander_unit.pk}" data-rank' not in html


@time_machine.travel(TODAY)
def test_the_picker_offers_the_year_once(world):
    periods = build_known_plan(world)
    html = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xep-hang/").content.decode()
    options = re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]+)</option>", html)
    assert options == ["Cả năm 2026", "Quý I 2026", "6 tháng 2026", "Quý III 2026"]
    # An old link to the year's period opens the year.
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/?ky={periods['year'].pk}"
    assert "Xếp hạng đơn vị: Cả năm 2026" in world.client(world.leader).get(url).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_coordinator_sets_weights_and_the_ranking_follows_and_the_change_is_recorded(world):
    build_known_plan(world)
    client = world.client(world.coordinator)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    assert client.get(url).status_code == 200
    response = post_form(
        client,
        url,
        {
            "done_on_time": 10,
            "done_late": 10,
            "overdue": -20,
            "reported_on_time": 0,
            "reported_late": 0,
        },
    )
    assert response.status_code == 302
    saved = RankingWeights.objects.get(agency=world.agency)
    assert (saved.overdue, saved.reported_on_time) == (-20, 0)
    assert saved.updated_by == world.coordinator
    assert saved.updated_at == datetime(2026, 11, 26, 3, 0, tzinfo=ZoneInfo("UTC"))
    html = client.get(f"/ke-hoach/{world.plan.pk}/xep-hang/").content.decode()
    assert "Điểm = 10 × tỷ lệ nhiệm vụ hoàn thành đúng hạn" in html and "− 20 × tỷ lệ" in html
    assert "Trọng số do Văn phòng Sở đặt ngày 26/11/2026 10:00 (office)." in html
    names = re.findall(r'<th scope="row" class="fw-normal row-label"><a [^>]+>([^<]+)</a>', html)
    # TĐC 10 and KHTC 10 tie, CĐS 10·3/4 − 20·1/4 = 2,5, VP −20.
    assert names == [
        "Chi cục TĐC",
        "Phòng Kế hoạch Tài chính",
        "Phòng Chuyển đổi số",
        "Văn phòng Sở",
    ]
    assert "Đồng hạng 1 (10 điểm): Chi cục TĐC, Phòng Kế hoạch Tài chính" in html
    assert "Không áp dụng tiêu chí phụ nào để phân định" in html


def test_a_late_report_may_not_be_worth_more_than_one_on_time_nor_less_than_none(world):
    client = world.client(world.coordinator)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    base = {"done_on_time": 60, "done_late": 30, "overdue": -30, "reported_on_time": 40}
    for late in (50, -5):
        response = post_form(client, url, {**base, "reported_late": late})
        assert response.status_code == 400
        assert "không gửi báo cáo được 0 điểm" in response.content.decode()
    assert not RankingWeights.objects.exists()


def test_weights_out_of_range_are_refused_with_the_reason(world):
    client = world.client(world.coordinator)
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    response = post_form(
        client,
        url,
        {
            "done_on_time": 1000,
            "done_late": 5,
            "overdue": -5,
            "reported_on_time": 10,
            "reported_late": 5,
        },
    )
    assert response.status_code == 400
    assert "Trọng số là số nguyên từ −100 đến 100." in response.content.decode()
    assert not RankingWeights.objects.exists()


def test_only_the_agency_coordinator_may_change_weights(world):
    url = f"/ke-hoach/{world.plan.pk}/xep-hang/trong-so/"
    data = {
        "done_on_time": 1,
        "done_late": 1,
        "overdue": 1,
        "reported_on_time": 1,
        "reported_late": 1,
    }
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
def test_ranking_exports_as_xlsx_with_its_formula_inputs_and_ranks(world):
    periods = build_known_plan(world)
    response = world.client(world.leader).get(f"/ke-hoach/{world.plan.pk}/xep-hang/xlsx/?ky=nam")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="xep-hang-ca-nam-2026-skhcn.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("XẾP HẠNG ĐƠN VỊ")
    assert rows[3][0] == "Công thức"
    assert rows[3][1].startswith("Điểm = 60 × tỷ lệ nhiệm vụ hoàn thành đúng hạn")
    header = rows.index(
        [
            "Hạng",
            "Đơn vị",
            "Nhiệm vụ được đánh giá",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Quá hạn",
            "Chưa đến hạn (không tính)",
            "Kỳ báo cáo đến hạn",
            "Báo cáo đúng hạn",
            "Báo cáo chậm",
            "Điểm",
            "Cách tính",
            "Đồng hạng với",
        ]
    )
    units = rows[header + 1 : header + 5]
    assert [(r[0], r[1], r[2], r[10]) for r in units] == [
        (1, "Phòng Kế hoạch Tài chính", 2, 100),
        (2, "Phòng Chuyển đổi số", 4, 70),
        (3, "Chi cục TĐC", 2, pytest.approx(175 / 3)),
        (4, "Văn phòng Sở", 2, pytest.approx(10 / 3)),
    ]
    assert units[1][11] == "60 × 2/4 + 30 × 1/4 − 30 × 1/4 + 40 × 3/3 + 20 × 0/3 = 70"
    # A period's file lists the unit without tasks due, unranked.
    response = world.client(world.leader).get(
        f"/ke-hoach/{world.plan.pk}/xep-hang/xlsx/?ky={periods['q1'].pk}"
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    tdc = next(r for r in rows if r[1] == "Chi cục TĐC")
    assert (tdc[0], tdc[10], tdc[11]) == ("—", None, "không có nhiệm vụ đến hạn")
