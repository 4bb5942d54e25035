"""Which tasks each period judges: one rule (ReportingPeriod.judged_bounds), used by the
consolidated report, the ranking and the overview, checked on the seed plan by plain counting."""

import io
import re
from collections import Counter
from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document

from partrack.dashboards.models import RankingWeights
from partrack.dashboards.ranking import Scope, ranking_for
from partrack.documents import report_data as parts
from partrack.documents.report_docx import consolidated_report_docx
from partrack.plans.models import ReportingPeriod, ReportStanding, Task
from partrack.reporting import assembly
from partrack.reporting.models import UnitReport
from tests.conftest import demo_client, post_form

pytestmark = pytest.mark.django_db
KINDS = ["q1", "h1", "q3", "year"]
# The data windows of 581/BNV-CCHC end on the 14th: 14/3, 14/6, 14/9, 14/12.
WINDOW_ENDS = [date(2026, 3, 14), date(2026, 6, 14), date(2026, 9, 14), date(2026, 12, 14)]


def periods_of(plan):
    return {p.kind: p for p in ReportingPeriod.objects.filter(plan=plan)}


def judged_by_hand(task):
    """The period that judges a task, counted here from its due date alone: the first window
    ending on or after it; after the last window (15–31/12), the year's."""
    if task.due_date is None:
        return None
    for kind, end in zip(KINDS, WINDOW_ENDS, strict=True):
        if task.due_date <= end:
            return kind
    return "year"


def test_the_four_periods_of_the_seed_plan_judge_every_dated_task_exactly_once(demo):
    periods = periods_of(demo)
    every = list(periods.values())
    tasks = list(Task.objects.filter(plan=demo))
    dated = [t for t in tasks if t.due_date is not None]
    assert len(tasks) == 36 and len(dated) == 34  # tasks 6 and 34 wait "theo yêu cầu"

    judged = {kind: set(demo.tasks.judged_in(periods[kind], every)) for kind in KINDS}
    counted = Counter(task for kind in KINDS for task in judged[kind])
    assert set(counted) == set(dated)
    assert set(counted.values()) == {1}
    for task in dated:
        kind = judged_by_hand(task)
        assert task in judged[kind], (task.number, kind)
        # The rule in Python (the report's lines) agrees with the rule in SQL.
        assert [k for k in KINDS if periods[k].judges(task.due_date, every)] == [kind]

    numbers = {kind: sorted(t.number for t in judged[kind]) for kind in KINDS}
    assert numbers["q1"] == [1, 2, 13, 14, 17, 18, 19, 20]  # due in January
    assert numbers["h1"] == [3, 22, 30, 33]  # "Quý I/2026": 31/03, after Quý I's 14/03
    assert numbers["q3"] == [4, 5]  # "Quý II/2026": 30/06, after 6 tháng's 14/06


def test_the_year_judges_the_twenty_tasks_due_on_31_december(demo):
    periods = periods_of(demo)
    due_31_12 = [
        t.number for t in Task.objects.filter(plan=demo) if t.due_date == date(2026, 12, 31)
    ]
    assert len(due_31_12) == 20
    judged = sorted(t.number for t in demo.tasks.judged_in(periods["year"]))
    assert judged == sorted(due_31_12)


def test_the_quarter_one_report_lists_the_quarter_one_tasks_among_the_next_periods(demo):
    q1 = periods_of(demo)["q1"]
    with time_machine.travel("2026-03-16 09:00 +07:00"):
        data = assembly.assemble(q1)
    listed = [
        int(n) for n in re.findall(r"^- Nhiệm vụ số (\d+):", data.narrative[parts.NEXT_TASKS], re.M)
    ]
    assert {3, 22, 30, 33} <= set(listed)
    # …and judges none of them: they belong to 6 tháng.
    assert not {3, 22, 30, 33} & {t.number for t in data.judged_tasks}
    assert sorted(t.number for t in data.judged_tasks) == [1, 2, 13, 14, 17, 18, 19, 20]


def test_the_year_report_reads_as_of_until_a_version_after_31_december_makes_it_final(demo):
    year = periods_of(demo)["year"]
    with time_machine.travel("2026-12-18 09:00 +07:00"):
        early = assembly.assemble(year)
        text = "\n".join(
            p.text for p in Document(io.BytesIO(consolidated_report_docx(early))).paragraphs
        )
    assert early.as_of == date(2026, 12, 18) and not early.figures_final
    assert "Số liệu tính đến ngày 18/12/2026, chưa phải số liệu chính thức của kỳ." in text
    # The tasks due 31/12 are still ahead on 18/12: the report lists them for what comes next.
    ahead = re.findall(r"^- Nhiệm vụ số (\d+):", early.narrative[parts.NEXT_TASKS], re.M)
    open_31_12 = [
        t.number
        for t in early.judged_tasks
        if t.due_date == date(2026, 12, 31)
        and t.deadline_kind != "continuous"
        and t.state not in ("done_on_time", "done_late", "cannot_do")
    ]
    assert open_31_12 and {int(n) for n in ahead} >= set(open_31_12)

    with time_machine.travel("2027-01-05 09:00 +07:00"):
        final = assembly.assemble(year)
        text = "\n".join(
            p.text for p in Document(io.BytesIO(consolidated_report_docx(final))).paragraphs
        )
    assert final.as_of == date(2026, 12, 31) and final.figures_final
    assert "chưa phải số liệu chính thức" not in text
    assert final.judged_figures.total == 20
    # Judged on 31/12, the open tasks due that day are overdue now (continuous ones never are).
    overdue = {t.number for t in final.judged_tasks if t.state == "overdue"}
    assert overdue == set(open_31_12)


def test_the_year_ranking_counts_the_twenty_tasks_due_31_december(demo):
    periods = list(demo.periods.all())
    weights = RankingWeights.for_agency(demo.agency)
    tasks = list(Task.objects.filter(plan=demo).prefetch_related("lead_units"))
    with time_machine.travel("2027-01-05 09:00 +07:00"):
        ranking = ranking_for(demo, Scope.year(demo, periods, date(2027, 1, 5)), weights)
    results = {r.unit.pk: r for r in ranking.results + ranking.unranked}
    # By hand: each lead unit's dated tasks, all due by 31/12, all judged.
    by_unit = Counter(u.pk for t in tasks if t.due_date for u in t.lead_units.all())
    assert {pk: r.judged + r.not_due for pk, r in results.items()} == dict(by_unit)
    assert all(r.not_due == 0 for r in results.values())
    due_31_12 = Counter(
        u.pk for t in tasks if t.due_date == date(2026, 12, 31) for u in t.lead_units.all()
    )
    assert sum(1 for t in tasks if t.due_date == date(2026, 12, 31)) == 20
    # The units whose only tasks are due on 31/12 are ranked on them, not left out at zero.
    only_year_end = [pk for pk, n in due_31_12.items() if n == by_unit[pk]]
    assert only_year_end
    for pk in only_year_end:
        assert results[pk].rank is not None and results[pk].judged == due_31_12[pk]
    assert ranking.unranked == []


def test_a_unit_report_stands_by_the_deadline_the_plan_names(demo):
    q1 = periods_of(demo)["q1"]  # "trước ngày 10": 10/03/2026
    at = lambda text: timezone.datetime.fromisoformat(text)  # noqa: E731
    assert q1.report_standing(None, today=date(2026, 3, 10)) == ReportStanding(
        "not_due", 0, date(2026, 3, 10)
    )
    assert (
        q1.report_standing(at("2026-03-10T16:00+07:00"), today=date(2026, 3, 20)).code == "on_time"
    )
    missing = q1.report_standing(None, today=date(2026, 3, 15))
    assert (missing.code, missing.days, str(missing.label)) == (
        "missing",
        5,
        "Chưa gửi — quá hạn 5 ngày",
    )
    late = q1.report_standing(at("2026-03-12T09:00+07:00"), today=date(2026, 3, 20))
    assert (late.code, late.days, str(late.label)) == ("late", 2, "Đã gửi chậm 2 ngày")
    # The office decides the 10th itself is late: the last day on time is the 9th.
    demo.report_due_day_on_time = False
    demo.save()
    q1 = periods_of(demo)["q1"]
    assert q1.unit_last_day == date(2026, 3, 9)
    assert q1.report_standing(at("2026-03-10T16:00+07:00"), today=date(2026, 3, 20)).days == 1
    assert q1.unit_deadline_text == "trước ngày 10/03/2026 (hạn cuối 09/03/2026)"


def test_the_office_sets_the_agency_deadline_and_the_tenth_rule_in_the_period_form(demo):
    q1 = periods_of(demo)["q1"]
    office = demo_client("vanphong")
    url = f"/ky-bao-cao/{q1.pk}/sua/"
    page = office.get(url).content.decode()
    assert "Chưa đặt hạn gửi Sở Nội vụ" in page
    assert "gửi trong ngày 10/03/2026 vẫn đúng hạn" in page
    listing = office.get(f"/ke-hoach/{demo.pk}/ky-bao-cao/").content.decode()
    assert listing.count("chưa đặt hạn gửi Sở Nội vụ") == 4
    dates = {"starts_on": "15/12/2025", "ends_on": "14/03/2026", "unit_due": "10/03/2026"}
    # Left blank, nothing is invented; the 10th stays on time unless the box is unticked.
    response = post_form(office, url, {**dates, "agency_due": "", "report_due_day_on_time": "on"})
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.agency_due is None and q1.plan.report_due_day_on_time
    response = post_form(office, url, {**dates, "agency_due": "17/03/2026"})
    assert response.status_code == 302
    q1.refresh_from_db()
    demo.refresh_from_db()
    assert q1.agency_due == date(2026, 3, 17) and not demo.report_due_day_on_time
    assert "hạn cuối 09/03/2026" in office.get(f"/ke-hoach/{demo.pk}/ky-bao-cao/").content.decode()
    # A unit member may not change them.
    member = demo_client("phongcds")
    assert post_form(member, url, {**dates, "agency_due": ""}).status_code == 403
    assert get_user_model().objects.filter(username="phongcds").exists()


def test_a_period_without_an_agency_deadline_stays_current_until_its_month_ends(demo):
    periods = periods_of(demo)
    assert ReportingPeriod.objects.filter(plan=demo).current(date(2026, 3, 31)) == periods["q1"]
    assert ReportingPeriod.objects.filter(plan=demo).current(date(2026, 4, 1)) == periods["h1"]
    ReportingPeriod.objects.filter(pk=periods["q1"].pk).update(agency_due=date(2026, 3, 18))
    assert ReportingPeriod.objects.filter(plan=demo).current(date(2026, 3, 19)) == periods["h1"]


def test_the_consolidated_page_counts_missing_units_as_late_never_on_time(demo):
    q1 = periods_of(demo)["q1"]
    with time_machine.travel("2026-03-16 09:00 +07:00"):
        html = (
            demo_client("vanphong").get(f"/ky-bao-cao/{q1.pk}/bao-cao-tong-hop/").content.decode()
        )
    sent = set(
        UnitReport.objects.filter(period=q1, first_submitted_at__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    leads = {u for t in Task.objects.filter(plan=demo) for u in t.lead_units.all()}
    missing = [u for u in leads if u.pk not in sent]
    assert missing
    for unit in missing:
        assert f"{unit.name} chưa gửi báo cáo — quá hạn 6 ngày" in html
    assert "Các đơn vị đều đã gửi báo cáo đúng hạn." not in html


def test_upgrading_forgets_the_20th_earlier_versions_invented_and_keeps_dates_the_office_set(
    world,
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("partrack.plans.migrations.0004_period_rule_and_agency_deadline")
    periods = periods_of(world.plan)
    ReportingPeriod.objects.filter(pk=periods["q1"].pk).update(agency_due=date(2026, 3, 20))
    ReportingPeriod.objects.filter(pk=periods["h1"].pk).update(agency_due=date(2026, 6, 18))
    migration.forget_the_invented_agency_deadline(apps, None)
    after = periods_of(world.plan)
    assert after["q1"].agency_due is None
    assert after["h1"].agency_due == date(2026, 6, 18)
