"""A person's "Cần làm": what their unit must update or report now, most urgent first."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.org.models import Role
from partrack.plans.models import (
    Completion,
    ExtensionRequest,
    Plan,
    ProgressUpdate,
    ReportingPeriod,
    State,
    Task,
)
from partrack.reporting import approval, sections
from partrack.reporting.models import UnitReport, report_state

# Where an item sits before the date order: what blocks others comes first.
RETURNED, OVERDUE_REPORT, TO_REVIEW, DATED = range(4)


@dataclass
class TodoItem:
    due: date | None
    title: str
    detail: str
    url: str
    overdue: bool
    # On the same day, a report to send comes before the tasks that feed it.
    rank: int = 1
    group: int = DATED
    comment: str = ""  # the office's words on a returned report
    waiting_since: date | None = None  # a report to review: when the unit sent it

    def sort_key(self):
        if self.group == TO_REVIEW:
            return (self.group, self.waiting_since or date.min, 0, self.title)
        return (self.group, self.due or date.max, self.rank, self.title)


def todo_for(membership, today):
    """The person's "Cần làm": a returned report on top, then reports overdue, then the
    reports waiting for the office's review (oldest first), then the rest by due date."""
    if membership is None:
        return []
    items = []
    periods = list(
        ReportingPeriod.objects.of_active_plans()
        .filter(plan__agency_id=membership.agency_id)
        .select_related("plan")
    )
    current = {}
    for period in sorted(periods, key=lambda p: p.unit_due, reverse=True):
        if period.closes_on >= today:
            current[period.plan_id] = period
    unit = membership.unit
    if unit is not None and membership.role in (Role.MEMBER, Role.COORDINATOR):
        items += _report_items(unit, periods, today)
        items += _task_items(unit, current, today)
    if membership.role == Role.COORDINATOR:
        items += _office_task_items(membership.agency_id)
        for report in UnitReport.objects.waiting_for_review(membership.agency_id):
            sent = timezone.localdate(report.submitted_at) if report.submitted_at else None
            items.append(
                TodoItem(
                    # The agency's deadline, once the office has set it; no date is invented.
                    due=report.period.agency_due,
                    title=_("Xem xét báo cáo %(period)s của %(unit)s")
                    % {"period": report.period.get_kind_display(), "unit": report.unit.name},
                    detail=_("Đơn vị gửi ngày %(date)s, chờ Văn phòng chấp nhận hoặc trả lại.")
                    % {"date": sent.strftime("%d/%m/%Y") if sent else ""},
                    url=report.get_absolute_url(),
                    overdue=bool(report.period.agency_due and report.period.agency_due < today),
                    rank=0,
                    group=TO_REVIEW,
                    waiting_since=sent,
                )
            )
    items += approval.todo_items(membership, today)
    items += sections.collect("todo", membership, today)
    return sorted(items, key=TodoItem.sort_key)


def _report_items(unit, periods, today):
    """Reports the unit owes: returned ones, every one past its deadline, and the next one."""
    items = []
    reports = {r.period_id: r for r in UnitReport.objects.filter(unit=unit, period__in=periods)}
    upcoming = [p for p in periods if p.unit_due >= today]
    next_period = min(upcoming, key=lambda p: p.unit_due) if upcoming else None
    for period in sorted(periods, key=lambda p: p.unit_due):
        report = reports.get(period.pk)
        if report is not None and not report.is_editable:
            continue
        standing = report_state(period, report, today)
        returned = report is not None and report.status == UnitReport.Status.RETURNED
        if not (returned or standing.is_overdue or period is next_period):
            continue
        values = {"period": period.get_kind_display()}
        comment = ""
        if returned:
            title = _("Sửa và gửi lại báo cáo %(period)s") % values
            comment = report.review_comment
            detail = _("Văn phòng Sở đã trả lại báo cáo.")
            group = RETURNED
        elif standing.is_overdue:
            title = _("Gửi báo cáo %(period)s (quá hạn)") % values
            detail = standing.label
            group = OVERDUE_REPORT
        else:
            if report is None:
                title = _("Lập báo cáo %(period)s") % values
            else:
                title = _("Hoàn thành và gửi báo cáo %(period)s") % values
            detail = _("Hạn gửi Văn phòng Sở.")
            group = DATED
        items.append(
            TodoItem(
                due=period.unit_due,
                title=title,
                detail=detail,
                url=reverse("unit_report", args=[period.pk, unit.pk]),
                overdue=period.unit_due < today,
                rank=0,
                group=group,
                comment=comment,
            )
        )
    return items


def _office_task_items(agency_id):
    """What waits for the office on tasks: extension requests and completions to confirm,
    oldest first (issue 14)."""
    items = []
    requests = (
        ExtensionRequest.objects.pending()
        .filter(
            task__plan__agency_id=agency_id,
            task__plan__status=Plan.Status.ACTIVE,
            task__plan__archived_at__isnull=True,
        )
        .select_related("task", "unit")
        .order_by("requested_at", "pk")
    )
    for request in requests:
        asked = timezone.localdate(request.requested_at)
        items.append(
            TodoItem(
                due=None,
                title=_("Xem xét đề nghị gia hạn nhiệm vụ %(number)s")
                % {"number": request.task.number or ""},
                detail=_("%(unit)s đề nghị gia hạn từ %(start)s đến %(end)s (gửi ngày %(day)s).")
                % {
                    "unit": request.unit.name if request.unit else "",
                    "start": f"{request.from_date:%d/%m/%Y}",
                    "end": f"{request.to_date:%d/%m/%Y}",
                    "day": f"{asked:%d/%m/%Y}",
                },
                url=request.task.get_absolute_url(),
                overdue=False,
                group=TO_REVIEW,
                waiting_since=asked,
            )
        )
    claims = (
        Task.objects.of_active_plans()
        .filter(plan__agency_id=agency_id)
        .awaiting_confirmation()
        .order_by("updated_at", "pk")
    )
    for task in claims:
        items.append(
            TodoItem(
                due=None,
                title=_("Xác nhận hoàn thành nhiệm vụ %(number)s") % {"number": task.number or ""},
                detail=_("Đơn vị đã báo cáo hoàn thành, chờ Văn phòng xác nhận hoặc trả lại."),
                url=task.get_absolute_url(),
                overdue=False,
                group=TO_REVIEW,
                waiting_since=timezone.localdate(task.updated_at),
            )
        )
    return items


def _task_items(unit, current, today):
    """Open tasks the unit leads: overdue, due soon, or not yet updated in the current period;
    a completion the office returned comes first. A completion waiting for the office is the
    office's to do, not the unit's."""
    items = []
    returned = (
        Task.objects.filter(plan_id__in=list(current))
        .led_by(unit)
        .filter(completion=Completion.RETURNED)
        .order_by("due_date", "order")
    )
    returned = list(returned)
    # The office's words on each return: one read for all of them.
    comments = {}
    for task_id, narrative in (
        ProgressUpdate.objects.filter(
            task__in=returned, kind=ProgressUpdate.Kind.RETURNED
        ).order_by("created_at", "pk")
    ).values_list("task_id", "narrative"):
        comments[task_id] = narrative
    for task in returned:
        items.append(
            TodoItem(
                due=task.working_due_date,
                title=f"{task.number}. {task.content[:120]}",
                detail=_("Văn phòng Sở trả lại báo cáo hoàn thành: xem ý kiến và cập nhật lại."),
                url=task.get_absolute_url(),
                overdue=False,
                group=RETURNED,
                comment=comments.get(task.pk, ""),
            )
        )
    for plan_id, period in current.items():
        tasks = (
            Task.objects.filter(plan_id=plan_id)
            .led_by(unit)
            .open()
            .with_state(today)
            .reported_since(period.starts_on)
            .exclude(completion__in=[Completion.PENDING, Completion.RETURNED])
            .order_by("due_date", "order")
        )
        for task in tasks:
            if task.state_code == State.OVERDUE:
                due, detail = task.working_due_date, _("Quá hạn: hãy cập nhật kết quả thực hiện.")
            elif task.state_code == State.DUE_SOON:
                due, detail = task.working_due_date, _("Sắp đến hạn.")
            elif not task.reported:
                due = period.unit_due
                detail = _("Chưa cập nhật tiến độ trong kỳ %(period)s.") % {
                    "period": period.get_kind_display()
                }
            else:
                continue
            items.append(
                TodoItem(
                    due=due,
                    title=f"{task.number}. {task.content[:120]}",
                    detail=detail,
                    url=task.get_absolute_url(),
                    overdue=due is not None and due < today,
                )
            )
    return items
