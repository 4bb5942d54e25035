"""The consolidated report and the ranking with extensions, confirmations, sub-items and added
tasks in play (issue 14): every figure equals a count made here from the raw rows.

The rules under test (README, "Tasks as offices use them"): "done on time" is judged against
the plan's own date, never the extension; an open task is chased (overdue, due soon) on the
extension in force on the report's day; a completion counts only once the office confirmed
it, as done on the day the unit reported.
"""

import io
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from docx import Document

from partrack.dashboards.models import RankingWeights
from partrack.dashboards.ranking import Scope, ranking_for
from partrack.documents.report_docx import consolidated_report_docx
from partrack.plans import services
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import ExtensionRequest, ProgressUpdate, ReportingPeriod, Task
from partrack.reporting import assembly, prose

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DRAFTED = "2026-06-25 09:00 +07:00"


def at(day):
    return datetime(day.year, day.month, day.day, 9, tzinfo=HCM)


def person(login):
    return get_user_model().objects.get(username=login)


@pytest.fixture
def h1(demo_at_work):
    demo = demo_at_work
    """The demo (task 33 extended to 30/06, task 35 waiting since 11/06, task 32 in sub-items,
    an added task), plus: the office confirms 35 on 20/06; KHTC reports 31 done on 12/06,
    not confirmed; task 30 (Quý I) is extended after the window, on 16/06."""
    tasks = {t.number: t for t in Task.objects.filter(plan=demo)}
    with time_machine.travel(at(date(2026, 6, 20))):
        services.confirm_completion(task=tasks[35], by=person("vanphong"))
    task = tasks[31]
    with time_machine.travel(at(date(2026, 6, 12))):
        services.record_progress(
            task=task, by=person("phongkhtc"), unit=person("phongkhtc").membership.unit,
            status="done", percent=100, narrative="Đã trình dự toán", done_on=date(2026, 6, 12),
            expected_version=task.version, no_evidence_reason="Hồ sơ giấy",
        )  # fmt: skip
    ExtensionRequest.objects.create(
        task=tasks[30], requested_by=person("vanphong"), from_date=date(2026, 3, 31),
        to_date=date(2026, 9, 30), reason="Chờ hướng dẫn", status="granted",
        decided_by=person("vanphong"), decided_at=at(date(2026, 6, 16)),
    )  # fmt: skip
    Task.objects.filter(pk=tasks[30].pk).update(extended_to=date(2026, 9, 30))
    return ReportingPeriod.objects.select_related("plan__agency").get(plan=demo, kind="h1")


def independent_states(plan, as_of):
    """{task number: state code} from the raw rows, by the README's rules, on `as_of`'s end."""
    day_after = at(as_of + timedelta(days=1)).replace(hour=0)
    judge_on = as_of + timedelta(days=1)
    extensions = {
        r.task_id: r.to_date
        for r in ExtensionRequest.objects.filter(status="granted", decided_at__lt=day_after)
    }
    states = {}
    for task in Task.objects.filter(plan=plan).prefetch_related("updates"):
        status, done_on = task.status, task.done_on
        if not (status == "done" and done_on and done_on <= as_of):
            # What was recorded by then: a unit's claim records nothing until confirmed.
            kept = [
                u
                for u in task.updates.all()
                if u.created_at < day_after
                and u.kind in (ProgressUpdate.Kind.UPDATE, ProgressUpdate.Kind.CONFIRMATION)
            ]
            last = max(kept, key=lambda u: (u.created_at, u.pk), default=None)
            status, done_on = (last.status, last.done_on) if last else ("not_started", None)
        due, chase = task.due_date, extensions.get(task.pk) or task.due_date
        if status == "done":
            state = "done_late" if due and done_on > due else "done_on_time"
        elif status == "cannot_do":
            state = "cannot_do"
        elif due is None:
            state = "on_request" if task.deadline_kind == DeadlineKind.ON_REQUEST else "undated"
        elif task.deadline_kind != DeadlineKind.CONTINUOUS and chase < judge_on:
            state = "overdue"
        elif task.deadline_kind != DeadlineKind.CONTINUOUS and chase <= judge_on + timedelta(14):
            state = "due_soon"
        else:
            state = status
        states[task.number] = state
    return states


@time_machine.travel(DRAFTED)
def test_the_six_month_figures_equal_an_independent_count_with_extensions_and_confirmations(h1):
    data = assembly.assemble(h1)
    assert data.as_of == date(2026, 6, 14)
    expected = independent_states(h1.plan, data.as_of)
    # Anchors: the rules, so that the report and this count cannot agree on a wrong one.
    assert expected[33] == "in_progress"  # past 31/03, extended to 30/06: chased on 30/06
    assert expected[35] == "done_on_time"  # reported 10/06, confirmed 20/06
    assert expected[31] == "not_started"  # reported done on 12/06, not confirmed: not done
    assert expected[30] == "overdue"  # its extension came on 16/06, after the window
    assert expected[37] == "not_started"  # the office's added task, due in Quý III
    lines = {line.number: line for block in data.areas for line in block.tasks}
    assert {n: line.state for n, line in lines.items()} == expected
    assert data.figures.total == len(expected) == 37
    assert data.figures.counts == {
        state.value: Counter(expected.values())[state.value] for state in prose.STATE_ORDER
    }
    judged = [n for n, line in lines.items() if line.judged]
    assert data.judged_figures.counts == {
        state.value: Counter(expected[n] for n in judged)[state.value]
        for state in prose.STATE_ORDER
    }
    assert lines[33].extension == "gia hạn từ 31/03/2026 đến 30/06/2026"
    assert lines[30].extension == ""  # not yet granted on the report's day
    assert lines[37].added and not lines[33].added


@time_machine.travel(DRAFTED)
def test_the_appendix_shows_the_extension_and_the_added_task(h1):
    document = Document(io.BytesIO(consolidated_report_docx(assembly.assemble(h1))))
    rows = {row.cells[0].text: row.cells for row in document.tables[-1].rows}
    assert rows["33"][3].text == "Quý I/2026\n(gia hạn từ 31/03/2026 đến 30/06/2026)"
    assert rows["33"][4].paragraphs[0].text == "Đang thực hiện"
    assert rows["37"][1].text.endswith("(bổ sung)")
    assert rows["31"][4].paragraphs[0].text == "Chưa thực hiện"


@time_machine.travel(DRAFTED)
def test_a_task_done_within_its_extension_is_done_late_in_the_report_and_the_ranking(h1):
    task = Task.objects.get(plan=h1.plan, number=33)
    with time_machine.travel(at(date(2026, 6, 24))):
        services.record_progress(
            task=task, by=person("vanphong"), unit=None, status="done", percent=100,
            narrative="Đã trình", done_on=date(2026, 6, 24), expected_version=task.version,
            no_evidence_reason="Hồ sơ mật",
        )  # fmt: skip
    year = ReportingPeriod.objects.get(plan=h1.plan, kind="year")
    line = next(
        line for block in assembly.assemble(year).areas for line in block.tasks if line.number == 33
    )
    assert line.state == "done_late" and line.extension.endswith("đến 30/06/2026")

    periods = list(h1.plan.periods.all())
    scope = Scope.year(h1.plan, periods, date(2026, 6, 25))
    ranking = ranking_for(h1.plan, scope, RankingWeights.for_agency(h1.plan.agency))
    results = {r.unit.short_name: r for r in ranking.results + ranking.unranked}
    for short, result in results.items():
        led = Task.objects.filter(plan=h1.plan, lead_units__short_name=short)
        done = [t for t in led if t.status == "done" and t.due_date]
        on_time = [t for t in done if t.done_on <= t.due_date]
        assert (result.done_on_time, result.done_late) == (
            len(on_time),
            len(done) - len(on_time),
        ), short
    # CĐS: task 33 done after its plan date (late, though within the extension); task 35
    # done on time once confirmed.
    assert (results["CĐS"].done_on_time, results["CĐS"].done_late) == (1, 1)
    # KHTC: task 31's completion waits for the office: not done.
    assert results["KHTC"].done_on_time == 0
