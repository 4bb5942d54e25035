"""The agency's consolidated report for a period: assembled from the data, edited, produced.

`assemble` reads the plan, the progress and the unit reports in a fixed number of queries and
returns the plain `ReportData` the writers in `documents.report_docx` print. The services below
keep the office's edits and every file produced, version by version.
"""

import hashlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from partrack import files as media
from partrack.documents import report_data as parts
from partrack.documents.report_data import (
    AreaBlock,
    Figures,
    ReportData,
    TaskLine,
    UnitReportLine,
)
from partrack.documents.report_docx import (
    consolidated_report_docx,
    consolidated_report_xlsx,
    tasks_csv,
)
from partrack.documents.state_format import BLANK, fillable_symbol
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import (
    Evidence,
    ExtensionRequest,
    ProgressUpdate,
    ReportStanding,
    State,
    Status,
    Task,
)
from partrack.reporting import approval, sections
from partrack.reporting.models import ConsolidatedReport, ReportEntry, ReportFile, UnitReport
from partrack.reporting.signals import consolidated_report_produced
from partrack.vietnamese import fold

logger = logging.getLogger(__name__)

PERIOD_NAMES = {"q1": "quý I", "h1": "6 tháng đầu năm", "q3": "quý III", "year": "năm"}
# The work that falls due before the next report: (its name, years ahead, first day, last day).
NEXT_WINDOWS = {
    "q1": ("quý II", 0, (4, 1), (6, 30)),
    "h1": ("quý III", 0, (7, 1), (9, 30)),
    "q3": ("quý IV", 0, (10, 1), (12, 31)),
    "year": ("quý I", 1, (1, 1), (3, 31)),
}
# The order the report lists the states in: done first, then what is still open.
STATE_ORDER = [
    State.DONE_ON_TIME,
    State.DONE_LATE,
    State.IN_PROGRESS,
    State.DUE_SOON,
    State.OVERDUE,
    State.NOT_STARTED,
    State.ON_REQUEST,
    State.UNDATED,
    State.CANNOT_DO,
]
# State codes as plain strings: TaskLine carries codes, and a State hashes by its name.
DONE = {State.DONE_ON_TIME.value, State.DONE_LATE.value}
CLOSED = DONE | {State.CANNOT_DO.value}
NO_DATA = "Chưa có số liệu."
LISTED_NUMBERS = 20  # a list of task numbers longer than this ends "và N nhiệm vụ khác"
PDF_TIMEOUT_SECONDS = 60


class StaleConsolidatedReport(Exception):
    """The report changed since the form was opened."""


# Statuses whose text is the issued document: saving or redrafting them is refused.
LOCKED = [ConsolidatedReport.Status.ISSUED, ConsolidatedReport.Status.SENT]


# Part I: what the direction section says, found in the tasks' words (folded, no diacritics).
TOPICS = [
    ("indices", "5. Về các chỉ số", re.compile(r"par index|sipas|\bpci\b|\bpapi\b")),
    ("initiatives", "4. Về sáng kiến, giải pháp mới", re.compile(r"sang kien")),
    ("inspection", "2. Về kiểm tra cải cách hành chính", re.compile(r"kiem tra")),
    ("communication", "3. Về thông tin, tuyên truyền", re.compile(r"tuyen truyen|truyen thong")),
    ("plans", "1. Về kế hoạch cải cách hành chính", re.compile(r"ke hoach")),
]
# Only area I's tasks count for these; communication, initiatives and indices may be anywhere.
DIRECTION_ONLY = {"inspection", "plans"}


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


def one_line(text):
    """A person's text on one line, so that it stays one paragraph of the report."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def sentence(text):
    text = text.strip()
    return text if not text or text[-1] in ".!?:…" else text.rstrip(";,") + "."


def numbers(lines):
    """ "số 3, 4, 12" — or, past LISTED_NUMBERS, the first ones and how many more."""
    shown = [str(line.number) for line in lines[:LISTED_NUMBERS] if line.number is not None]
    more = len(lines) - LISTED_NUMBERS
    text = "số " + ", ".join(shown) if shown else ""
    return f"{text} và {more} nhiệm vụ khác" if more > 0 else text


def task_paragraph(line):
    """ "- Nhiệm vụ số 1: <content>. <outcome> Tình trạng: … Minh chứng: (1) Văn bản số …"."""
    content = sentence(one_line(line.content).lstrip("-–•+ ").rstrip(";"))
    outcome = sentence(line.outcome) if line.outcome else "Chưa có báo cáo kết quả."
    state = line.state_label
    if line.state in CLOSED and line.done_on:
        state += f" ngày {line.done_on:%d/%m/%Y}"
    elif line.state not in CLOSED and line.percent:
        state += f", đạt {line.percent}%"
    if line.extension:
        state += f" ({line.extension})"
    text = f"- {line.label}: {content} {outcome} Tình trạng: {state}."
    if line.evidence:
        cited = "; ".join(f"({n}) {one_line(c)}" for n, c in enumerate(line.evidence, start=1))
        text += f" Minh chứng: {sentence(cited)}"
    return text


def area_summary(figures, labels):
    counts = [
        f"{label.lower()} {figures.counts[code]}" for code, label in labels if figures.counts[code]
    ]
    if not figures.total:
        return "Lĩnh vực này không có nhiệm vụ trong Kế hoạch."
    return f"Lĩnh vực có {figures.total} nhiệm vụ, trong đó: {'; '.join(counts)}."


def draft_narrative(data, unit_reports, next_from, next_to):
    """The text PARtrack proposes for each section, from the data and the units' reports."""
    labels = data.state_labels
    narrative = {parts.INTRO: intro(data), parts.DIRECTION: direction_text(data)}
    for area in data.areas:
        if not area.is_direction:
            lines = [area_summary(area.figures, labels)]
            lines += [task_paragraph(task) for task in area.tasks]
            narrative[area.key] = "\n".join(lines)

    # Units' own words: the office's accepted reports first, then those still awaiting review.
    sent = [r for r in unit_reports if r.status == UnitReport.Status.ACCEPTED] + [
        r for r in unit_reports if r.status == UnitReport.Status.SUBMITTED
    ]

    def said(field):
        lines = []
        for report in sent:
            text = one_line(getattr(report, field))
            if text:
                pending = (
                    " (báo cáo chưa được Văn phòng chấp nhận)"
                    if report.status == UnitReport.Status.SUBMITTED
                    else ""
                )
                lines.append(f"- {report.unit.name}{pending}: {sentence(text)}")
        return lines

    tasks = data.tasks
    done = [t for t in tasks if t.state in DONE]
    on_time = [t for t in done if t.state == State.DONE_ON_TIME]
    strengths = []
    if done:
        strengths.append(
            f"- Đã hoàn thành {len(done)}/{len(tasks)} nhiệm vụ ({len(on_time)} đúng hạn, "
            f"{len(done) - len(on_time)} quá hạn): {numbers(done)}."
        )
    else:
        strengths.append("- Chưa có nhiệm vụ nào hoàn thành tính đến ngày báo cáo.")
    going = [t for t in tasks if t.state in (State.IN_PROGRESS, State.DUE_SOON) and t.percent]
    if going:
        strengths.append(f"- {len(going)} nhiệm vụ đang được triển khai: {numbers(going)}.")
    strengths += said("results")
    narrative[parts.STRENGTHS] = "\n".join(strengths)

    weaknesses = []
    overdue = [t for t in tasks if t.state == State.OVERDUE]
    if overdue:
        weaknesses.append(
            f"- Còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành: {numbers(overdue)}."
        )
    late_done = [t for t in tasks if t.state == State.DONE_LATE]
    if late_done:
        weaknesses.append(
            f"- {len(late_done)} nhiệm vụ hoàn thành chậm so với thời hạn: {numbers(late_done)}."
        )
    if data.late_units or data.missing_units:
        weaknesses.append("- Một số đơn vị chưa gửi báo cáo đúng thời hạn (nêu ở mục 1).")
    narrative[parts.WEAKNESSES] = "\n".join(weaknesses) or "- Không có nhiệm vụ quá hạn."
    narrative[parts.CAUSES] = "\n".join(said("difficulties")) or (
        f"{NO_DATA} Các đơn vị chưa nêu khó khăn, vướng mắc và nguyên nhân."
    )

    open_tasks = [t for t in tasks if t.state not in CLOSED]
    coming = sorted(
        (
            t
            for t in open_tasks
            if t.due_date
            and t.deadline_kind != DeadlineKind.CONTINUOUS
            and next_from <= t.due_date <= next_to
        ),
        key=lambda t: t.due_date,
    )
    plan_next = [
        f"- {t.label}: {one_line(t.content).rstrip('.;')} (chủ trì: {', '.join(t.lead) or '—'}; "
        f"thời hạn: {t.deadline_text or f'{t.due_date:%d/%m/%Y}'})."
        for t in coming
    ]
    if overdue:
        plan_next.append(f"- Khẩn trương hoàn thành các nhiệm vụ đã quá hạn: {numbers(overdue)}.")
    continuous = [t for t in open_tasks if t.deadline_kind == DeadlineKind.CONTINUOUS]
    if continuous:
        plan_next.append(f"- Tiếp tục thực hiện các nhiệm vụ thường xuyên: {numbers(continuous)}.")
    narrative[parts.NEXT_TASKS] = "\n".join(plan_next) or (
        f"Không có nhiệm vụ đến hạn trong {data.next_period_name}."
    )
    narrative[parts.PROPOSALS] = "\n".join(said("proposals")) or (
        "Các đơn vị chưa có đề xuất, kiến nghị."
    )
    narrative[parts.CLOSING] = (
        f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {data.period_name} "
        f"của {data.agency}./."
    )
    return narrative


def plan_reference(data):
    """ "Kế hoạch … (số 15/KH-SKHCN ngày 20/01/2026)", saying so when the number is not known."""
    # A number or date not known yet is left blank the Decree 30 way, for the clerk to fill in.
    symbol = fillable_symbol(data.plan_symbol or f"/KH-{data.agency_short}")
    blank = BLANK
    issued = (
        f"{data.plan_issued_on:%d/%m/%Y}" if data.plan_issued_on else f"{blank}/{blank}/{data.year}"
    )
    return f"{data.plan_title} (số {symbol} ngày {issued})"


def intro(data):
    return (
        f"Căn cứ {plan_reference(data)}, {data.agency} báo cáo kết quả thực hiện công tác cải "
        f"cách hành chính {data.period_name} (số liệu từ ngày {data.starts_on:%d/%m/%Y} đến "
        f"ngày {data.as_of:%d/%m/%Y}) như sau:"
    )


def direction_text(data):
    """Part I: plans, inspection, communication, initiatives, indices; then area I's other tasks."""
    direction = next((area for area in data.areas if area.is_direction), None)
    direction_keys = {id(t) for t in direction.tasks} if direction else set()
    claimed = set()
    found = defaultdict(list)
    for task in data.tasks:
        words = fold(task.content)
        for topic, _heading, pattern in TOPICS:
            if topic in DIRECTION_ONLY and id(task) not in direction_keys:
                continue
            if pattern.search(words):
                found[topic].append(task)
                claimed.add(id(task))
                break

    lines = []
    # The headings carry the order the report prints them in.
    for topic, heading, _pattern in sorted(TOPICS, key=lambda topic: topic[1]):
        lines.append(heading)
        if topic == "plans":
            lines.append(f"- {data.agency} triển khai {plan_reference(data)}.")
        lines += [task_paragraph(task) for task in found[topic]]
        if not found[topic] and topic != "plans":
            lines.append(NO_DATA)
    others = [task for task in (direction.tasks if direction else []) if id(task) not in claimed]
    if others:
        lines.append("6. Các nhiệm vụ khác")
        lines += [task_paragraph(task) for task in others]
    return "\n".join(lines)


# Services: each write atomic, with the person and the moment.


def start_consolidated_report(*, period, by, today=None):
    """The period's report, created on first use with the text drafted from the data."""
    report = period.consolidated_reports.first()
    if report is not None:
        return report
    data = assemble(period, today=today)
    with transaction.atomic():
        report, _created = ConsolidatedReport.objects.get_or_create(
            period=period,
            defaults={
                "narrative": data.narrative,
                "symbol": data.symbol,
                "created_by": by,
                "updated_by": by,
            },
        )
    return report


@transaction.atomic
def save_consolidated_report(
    *, report, narrative, symbol, issued_on, by, expected_version, now=None
):
    """Keep the office's words; `narrative` holds only the sections the form sent."""
    merged = {**report.narrative, **narrative}
    # An issued report's text is the signed document: it is never written again.
    changed = (
        ConsolidatedReport.objects.filter(pk=report.pk, version=expected_version)
        .exclude(status__in=LOCKED)
        .update(
            narrative=merged,
            symbol=symbol,
            issued_on=issued_on,
            version=F("version") + 1,
            updated_by=by,
            updated_at=now or timezone.now(),
        )
    )
    if not changed:
        raise StaleConsolidatedReport
    report.refresh_from_db()
    # What the leaders approved is no longer what would be issued (reporting/approval.py).
    approval.content_changed(report=report, by=by, now=now)
    return report


def redraft_consolidated_report(*, report, by, expected_version, today=None, now=None):
    """Replace the text with a fresh draft from today's data (after more units reported)."""
    data = assemble(report.period, today=today)
    with transaction.atomic():
        changed = (
            ConsolidatedReport.objects.filter(pk=report.pk, version=expected_version)
            .exclude(status__in=LOCKED)
            .update(
                narrative=data.narrative,
                version=F("version") + 1,
                updated_by=by,
                updated_at=now or timezone.now(),
            )
        )
        if not changed:
            raise StaleConsolidatedReport
        report.refresh_from_db()
        approval.content_changed(report=report, by=by, now=now)
    return report


def produce_report_files(*, report, by, today=None, now=None):
    """Write the DOCX, XLSX, CSV (and a PDF where LibreOffice is installed) as a new version."""
    data = report_data(report, today=today)
    docx = consolidated_report_docx(data)
    contents = {
        ReportFile.Kind.DOCX: docx,
        ReportFile.Kind.XLSX: consolidated_report_xlsx(data),
        ReportFile.Kind.CSV: tasks_csv(data).encode("utf-8"),
    }
    # Converting takes seconds: it happens before the transaction, which only stores.
    pdf = convert_to_pdf(docx)
    if pdf is not None:
        contents[ReportFile.Kind.PDF] = pdf
    return store_report_files(report=report, by=by, contents=contents, now=now)


@media.atomic()  # a failed or interrupted build leaves no file behind
def store_report_files(*, report, by, contents, now=None):
    """Save `contents` ({kind: bytes}) as the report's next version; returns the ReportFiles."""
    # Locking the report serialises version numbers between two offices pressing at once.
    ConsolidatedReport.objects.select_for_update().filter(pk=report.pk).first()
    version = (report.files.aggregate(last=Max("version"))["last"] or 0) + 1
    now = now or timezone.now()
    files = []
    for kind, content in contents.items():
        record = ReportFile(
            report=report,
            version=version,
            kind=kind,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=now,
            created_by=by,
        )
        media.stage(record.file, f"report.{kind}", content)
        record.save()
        files.append(record)
    consolidated_report_produced.send(sender=ConsolidatedReport, report=report, version=version)
    return files


def pdf_converter():
    """The LibreOffice program that converts Word to PDF, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx):
    """The PDF LibreOffice makes of `docx`, or None (not installed, failed or too slow)."""
    program = pdf_converter()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="partrack-pdf-") as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx)
        command = [
            program,
            # A profile of its own, so that a running LibreOffice (or a parallel one) is no bar.
            f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": folder},
        )
        try:
            _out, errors = process.communicate(timeout=PDF_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            # soffice starts a child of its own: end the whole group we started.
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            logger.warning("LibreOffice took over %s s to convert a report", PDF_TIMEOUT_SECONDS)
            return None
        target = source.with_suffix(".pdf")
        if process.returncode != 0 or not target.exists():
            logger.warning("LibreOffice could not convert a report: %s", errors[-500:])
            return None
        return target.read_bytes()
