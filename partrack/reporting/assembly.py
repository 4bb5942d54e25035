"""The data of an agency's consolidated report for a period, as of its report day.

`assemble` reads the plan, the progress and the unit reports in a fixed number of queries and
returns the plain `ReportData` the writers in `documents.report_docx` print; the text it proposes
comes from `reporting.prose`.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from partrack.documents.report_data import (
    AreaBlock,
    Figures,
    ReportData,
    TaskLine,
    UnitReportLine,
)
from partrack.plans.models import (
    Evidence,
    ExtensionRequest,
    ProgressUpdate,
    ReportStanding,
    Status,
    Task,
)
from partrack.reporting import sections
from partrack.reporting.models import ReportEntry, UnitReport
from partrack.reporting.prose import STATE_ORDER, draft_narrative, one_line
from partrack.vietnamese import fold

PERIOD_NAMES = {"q1": "quý I", "h1": "6 tháng đầu năm", "q3": "quý III", "year": "năm"}
# The work that falls due before the next report: (its name, years ahead, first day, last day).
NEXT_WINDOWS = {
    "q1": ("quý II", 0, (4, 1), (6, 30)),
    "h1": ("quý III", 0, (7, 1), (9, 30)),
    "q3": ("quý IV", 0, (10, 1), (12, 31)),
    "year": ("quý I", 1, (1, 1), (3, 31)),
}


def period_name(kind, year):
    """ "quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026"."""
    name = PERIOD_NAMES[kind]
    return f"{name} {year}" if kind in ("h1", "year") else f"{name} năm {year}"


def report_day(period, today, periods=None):
    """The day the figures are judged on: the end of the data window, or today if earlier.

    The year's period judges tasks due up to 31/12: its day runs to then (ReportingPeriod).
    """
    return period.judging_day(today, periods)


def next_window(period):
    """(name, first day, last day) of the quarter that follows the period."""
    name, ahead, (sm, sd), (em, ed) = NEXT_WINDOWS[period.kind]
    year = period.plan.year + ahead
    return f"{name} năm {year}", date(year, sm, sd), date(year, em, ed)


def assemble(period, *, today=None, narrative=None, symbol=None, issued_on=None):
    """Everything the period's report prints, computed from the data as of its report day.

    `narrative` replaces the drafted text section by section (the office's edits).
    """
    plan = period.plan
    agency = plan.agency
    today = today or timezone.localdate()
    periods = list(plan.periods.all())
    as_of = report_day(period, today, periods)
    state_day = period.state_day(today, periods)
    judged_after, judged_until = period.judged_bounds(periods)
    # Everything recorded before the next day's midnight, local time, happened by `as_of`.
    day_after = timezone.make_aware(
        datetime.combine(as_of + timedelta(days=1), time()), timezone.get_default_timezone()
    )

    areas = list(plan.areas.all())
    tasks = list(
        Task.objects.filter(plan=plan)
        .prefetch_related("lead_units")
        .order_by("area__order", "order", "number")
    )
    history = defaultdict(list)
    for update in ProgressUpdate.objects.filter(
        task__plan=plan, kind__in=ProgressUpdate.STATUS_KINDS
    ).order_by("created_at", "pk"):
        history[update.task_id].append(update)
    # The extension in force on `as_of`: one granted later does not exist yet for this report.
    extended_to = {}
    for request in ExtensionRequest.objects.filter(
        task__plan=plan, status=ExtensionRequest.Status.GRANTED, decided_at__lt=day_after
    ).order_by("decided_at", "pk"):
        extended_to[request.task_id] = request.to_date
    evidence = defaultdict(list)
    for item in Evidence.objects.filter(task__plan=plan).filter(
        Q(issued_on__lte=as_of) | Q(issued_on__isnull=True, created_at__lt=day_after)
    ):
        evidence[item.task_id].append(item.citation())
    unit_reports = list(period.unit_reports.select_related("unit").order_by("unit__order"))
    accepted_words = defaultdict(list)
    for entry in ReportEntry.objects.filter(
        report__period=period,
        report__status=UnitReport.Status.ACCEPTED,
        role=ReportEntry.Role.LEAD,
    ).exclude(text=""):
        accepted_words[entry.task_id].append(one_line(entry.text))

    lines_by_area = defaultdict(list)
    for task in tasks:
        updates = history.get(task.pk, [])
        roll_back(task, updates, as_of, day_after)
        task.extended_to = extended_to.get(task.pk)
        state = task.state(state_day)
        if accepted_words.get(task.pk):
            outcome, source = " ".join(accepted_words[task.pk]), "accepted_report"
        else:
            words = [u.narrative for u in updates if u.created_at < day_after and u.narrative]
            outcome, source = (one_line(words[-1]), "progress") if words else ("", "")
        lead = task.lead_names or [unit.name for unit in task.lead_units.all()]
        lines_by_area[task.area_id].append(
            TaskLine(
                number=task.number,
                content=task.content,
                area_key=f"area-{task.area_id}",
                lead=list(lead),
                deadline_text=task.deadline_text,
                due_date=task.due_date,
                deadline_kind=task.deadline_kind,
                state=state.value,
                state_label=str(state.label),
                percent=task.percent,
                done_on=task.done_on,
                outcome=outcome,
                outcome_source=source,
                evidence=evidence.get(task.pk, []),
                judged=period.judges(task.due_date, periods),
                extension=task.extension_text,
                added=task.is_added,
            )
        )

    direction = next((a for a in areas if "chi dao" in fold(a.title)), None)
    blocks = [
        AreaBlock(
            key=f"area-{area.pk}",
            numeral=area.numeral,
            title=area.title,
            is_direction=area is direction,
            figures=count_states(area.title, area.numeral, lines_by_area[area.pk]),
            tasks=lines_by_area[area.pk],
        )
        for area in areas
    ]
    all_lines = [line for block in blocks for line in block.tasks]
    standings = reporting_units(period, tasks, unit_reports, today=today)
    next_name, _next_from, next_to = next_window(period)
    # Part IV: what falls due after the figures' day up to the end of the next quarter; a task
    # due between the window's end (14th) and the quarter's end is judged by the next period,
    # and this report, written before its due date, lists it among the tasks ahead.
    next_from = max(period.ends_on, as_of) + timedelta(days=1)

    data = ReportData(
        parent_body=agency.parent_body,
        agency=agency.masthead_name,
        agency_short=agency.short_name,
        place=agency.place_name,
        symbol=f"/BC-{agency.short_name}" if symbol is None else symbol,
        issued_on=issued_on,
        signer_on_behalf=agency.signer_on_behalf,
        signer_title=agency.signer_title,
        signer_name=agency.signer_name,
        recipients=list(agency.report_recipients),
        plan_title=plan.title,
        plan_symbol=plan.symbol,
        plan_issued_on=plan.issued_on,
        year=plan.year,
        period_kind=period.kind,
        period_name=period_name(period.kind, plan.year),
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        as_of=as_of,
        unit_due=period.unit_due,
        unit_last_day=period.unit_last_day,
        next_period_name=next_name,
        judged_after=judged_after,
        judged_until=judged_until,
        figures_final=period.figures_are_final(today, periods),
        state_labels=[(state.value, str(state.label)) for state in STATE_ORDER],
        figures=count_states("Toàn Kế hoạch", "", all_lines),
        judged_figures=count_states(
            "Nhiệm vụ đến hạn trong kỳ", "", [line for line in all_lines if line.judged]
        ),
        areas=blocks,
        **standings,
        narrative={},
    )
    data.narrative = draft_narrative(data, unit_reports, next_from, next_to)
    data.extra_sections = sections.extra_sections(period, data)
    for section in data.extra_sections:
        if section.editable:
            # The office may rewrite it like the other narrative parts.
            data.narrative[section.key] = "\n".join(section.paragraphs)
    if narrative:
        data.narrative.update({k: v for k, v in narrative.items() if k in data.narrative})
    return data


def report_data(report, *, today=None):
    """The data of a saved report: the office's text, number and date over the drafted ones."""
    return assemble(
        report.period,
        today=today,
        narrative=report.narrative,
        symbol=report.symbol,
        issued_on=report.issued_on,
    )


def roll_back(task, updates, as_of, day_after):
    """Set the task's recorded status, percent and done date to what they were on `as_of`.

    A task done by `as_of` counts as done even when the unit recorded it later; otherwise
    whatever was recorded after `as_of` is undone, so that a report drafted late (or redrawn
    for an earlier period) tells what was true on its day. The task is never saved.
    """
    if task.status == Status.DONE and task.done_on and task.done_on <= as_of:
        return
    later = [u for u in updates if u.created_at >= day_after and u.status]
    if not later:
        return
    earlier = [u for u in updates if u.created_at < day_after and u.status]
    if earlier:
        last = earlier[-1]
        task.status, task.percent, task.done_on = last.status, last.percent or 0, last.done_on
    else:
        first = later[0]
        task.status = first.previous_status or Status.NOT_STARTED
        task.percent, task.done_on = first.previous_percent or 0, None


def count_states(label, numeral, lines):
    counts = Counter(line.state for line in lines)
    return Figures(
        label=label,
        numeral=numeral,
        total=len(lines),
        counts={state.value: counts.get(state.value, 0) for state in STATE_ORDER},
    )


def reporting_units(period, tasks, unit_reports, *, today):
    """The units expected to report (every lead unit, and any unit that sent a report), each in
    one list by where its report stands on `today` (ReportingPeriod.report_standing).

    A unit whose deadline passed with nothing submitted is missing, never on time.
    """
    reports = {report.unit_id: report for report in unit_reports}
    units = {unit.pk: unit for task in tasks for unit in task.lead_units.all()}
    units.update({r.unit_id: r.unit for r in unit_reports if r.first_submitted_at})
    lists = {"on_time_units": [], "late_units": [], "missing_units": [], "not_due_units": []}
    for unit in sorted(units.values(), key=lambda unit: (unit.order, unit.name)):
        report = reports.get(unit.pk)
        standing = period.report_standing(report and report.first_submitted_at, today=today)
        if standing.code == ReportStanding.ON_TIME:
            lists["on_time_units"].append(UnitReportLine(unit.name, 0))
        elif standing.code == ReportStanding.LATE:
            lists["late_units"].append(UnitReportLine(unit.name, standing.days))
        elif standing.code == ReportStanding.MISSING:
            lists["missing_units"].append(UnitReportLine(unit.name, None, standing.days))
        else:
            lists["not_due_units"].append(UnitReportLine(unit.name, None))
    return lists
