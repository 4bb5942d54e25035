"""A person's "Cần làm": what their unit must update or report now, most urgent first."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from partrack.org.models import Role
from partrack.plans.models import Plan, ReportingPeriod, State, Task
from partrack.reporting.models import UnitReport


@dataclass
class TodoItem:
    due: date | None
    title: str
    detail: str
    url: str
    overdue: bool
    # On the same day, a report to send comes before the tasks that feed it.
    rank: int = 1


# Items other apps add (the inspection's reports and minutes), registered in their ready():
# each is called as provider(membership, today) and returns [TodoItem].
TODO_PROVIDERS = []


def todo_for(membership, today):
    if membership is None:
        return []
    items = []
    periods = ReportingPeriod.objects.filter(
        plan__agency_id=membership.agency_id,
        plan__status=Plan.Status.ACTIVE,
        agency_due__gte=today,
    ).select_related("plan")
    current = {period.plan_id: period for period in periods.order_by("-unit_due")}
    unit = membership.unit
    if unit is not None and membership.role in (Role.MEMBER, Role.COORDINATOR):
        items += _report_items(unit, current.values(), today)
        items += _task_items(unit, current, today)
    if membership.role == Role.COORDINATOR:
        waiting = UnitReport.objects.filter(
            period__in=list(current.values()), status=UnitReport.Status.SUBMITTED
        ).select_related("unit", "period")
        for report in waiting:
            items.append(
                TodoItem(
                    due=report.period.agency_due,
                    title=_("Xem xét báo cáo %(period)s của %(unit)s")
                    % {"period": report.period.get_kind_display(), "unit": report.unit.name},
                    detail=_("Đơn vị đã gửi, chờ Văn phòng chấp nhận hoặc trả lại."),
                    url=report.get_absolute_url(),
                    overdue=report.period.agency_due < today,
                    rank=0,
                )
            )
    for provider in TODO_PROVIDERS:
        items += provider(membership, today)
    return sorted(items, key=lambda item: (item.due or date.max, item.rank, item.title))


def _report_items(unit, periods, today):
    # The report a unit owes is the nearest period still open for it.
    items = []
    period_ids = [p.pk for p in periods]
    reports = {r.period_id: r for r in UnitReport.objects.filter(unit=unit, period__in=period_ids)}
    for period in sorted(periods, key=lambda p: p.unit_due)[:1]:
        report = reports.get(period.pk)
        if report is not None and not report.is_editable:
            continue
        if report is None:
            title = _("Lập báo cáo %(period)s") % {"period": period.get_kind_display()}
        elif report.status == UnitReport.Status.RETURNED:
            title = _("Sửa và gửi lại báo cáo %(period)s") % {"period": period.get_kind_display()}
        else:
            title = _("Hoàn thành và gửi báo cáo %(period)s") % {
                "period": period.get_kind_display()
            }
        items.append(
            TodoItem(
                due=period.unit_due,
                title=title,
                detail=(report and report.review_comment) or _("Hạn gửi Văn phòng Sở."),
                url=reverse("unit_report", args=[period.pk, unit.pk]),
                overdue=period.unit_due < today,
                rank=0,
            )
        )
    return items


def _task_items(unit, current, today):
    """Open tasks the unit leads: overdue, due soon, or not yet updated in the current period."""
    items = []
    for plan_id, period in current.items():
        tasks = (
            Task.objects.filter(plan_id=plan_id)
            .led_by(unit)
            .open()
            .with_state(today)
            .reported_since(period.starts_on)
            .order_by("due_date", "order")
        )
        for task in tasks:
            if task.state_code == State.OVERDUE:
                due, detail = task.due_date, _("Quá hạn: hãy cập nhật kết quả thực hiện.")
            elif task.state_code == State.DUE_SOON:
                due, detail = task.due_date, _("Sắp đến hạn.")
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
