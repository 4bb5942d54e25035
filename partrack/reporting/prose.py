"""The words PARtrack proposes for a consolidated report, from its data and the units' own.

Everything here is plain text from `ReportData`: no queries, so the office's edits and the
drafted text can be compared and redrawn at will.
"""

import re
from collections import defaultdict

from partrack.documents import report_data as parts
from partrack.documents.state_format import BLANK, fillable_symbol
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import State
from partrack.reporting.models import UnitReport
from partrack.vietnamese import fold

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
