"""What the registers ask of people: figures to enter for the period ("Cần làm", reminders)."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from partrack.activities.models import Figure, Indicator
from partrack.org.models import Role
from partrack.plans.models import ReportingPeriod
from partrack.reporting.models import Notification
from partrack.reporting.reminders import (
    Reminder,
    days_text,
    people_by_unit,
    reminder_days,
    reminder_for,
)
from partrack.reporting.todo import DATED, OVERDUE_REPORT, TodoItem
from partrack.templatetags.partrack import dmy

# A unit late with its figures is chased again every this many days, as for its report.
CHASE_DAYS = 7


def owing(periods):
    """{(period id, unit id): number of indicators without a figure} for those periods."""
    periods = list(periods)
    if not periods:
        return {}
    indicators = defaultdict(list)
    for pk, plan_id, unit_id in Indicator.objects.filter(
        plan_id__in={p.plan_id for p in periods}
    ).values_list("pk", "plan_id", "unit_id"):
        indicators[plan_id].append((pk, unit_id))
    entered = set(
        Figure.objects.filter(period__in=periods).values_list("period_id", "indicator_id")
    )
    missing = defaultdict(int)
    for period in periods:
        for pk, unit_id in indicators[period.plan_id]:
            if (period.pk, pk) not in entered:
                missing[(period.pk, unit_id)] += 1
    return missing


def due_periods(agency_ids, today):
    """Periods of active plans whose unit deadline is past or next: the figures owed now."""
    periods = ReportingPeriod.objects.of_active_plans().select_related("plan")
    if agency_ids is not None:
        periods = periods.filter(plan__agency_id__in=agency_ids)
    periods = list(periods)
    upcoming = {}
    for period in sorted(periods, key=lambda p: p.unit_due):
        if period.unit_due >= today:
            upcoming.setdefault(period.plan_id, period)
    return [p for p in periods if p.unit_due < today or upcoming.get(p.plan_id) is p]


def todo_items(membership, today):
    """ "Nhập số liệu chỉ tiêu kỳ …" for the person's unit: overdue ones and the next one."""
    if membership.unit_id is None or membership.role not in (Role.MEMBER, Role.COORDINATOR):
        return []
    periods = due_periods([membership.agency_id], today)
    missing = owing(periods)
    items = []
    for period in periods:
        count = missing.get((period.pk, membership.unit_id))
        if not count:
            continue
        overdue = period.unit_last_day < today
        items.append(
            TodoItem(
                due=period.unit_due,
                title=_("Nhập số liệu chỉ tiêu kỳ %(period)s") % {"period": period},
                detail=_("Còn %(n)s chỉ tiêu của đơn vị chưa có số liệu.") % {"n": count},
                url=reverse("figure_period", args=[period.pk]),
                overdue=overdue,
                rank=0,
                group=OVERDUE_REPORT if overdue else DATED,
            )
        )
    return items


def reminders(today):
    """N days before the units' deadline, then every CHASE_DAYS days after it, to the units
    whose indicators still lack a figure for the period."""
    days = reminder_days()
    periods = due_periods(None, today)
    missing = owing(periods)
    if not missing:
        return []
    people = people_by_unit({p.plan.agency_id for p in periods})
    by_period = {p.pk: p for p in periods}
    found = []
    for (period_id, unit_id), count in sorted(missing.items()):
        period = by_period[period_id]
        days_left = (period.unit_due - today).days
        values = {"period": str(period), "date": dmy(period.unit_due), "left": days_text(days_left)}
        if days_left >= 0:
            n = reminder_for(days_left, days)
            if n is None:
                continue
            key = f"figures-due:{period_id}:{unit_id}:{n}d"
            kind = Notification.Kind.REPORT_DUE
            title = _("Hạn nhập số liệu chỉ tiêu kỳ %(period)s: %(date)s (%(left)s)") % values
        else:
            late = -days_left
            key = f"figures-overdue:{period_id}:{unit_id}:{(late - 1) // CHASE_DAYS + 1}"
            kind = Notification.Kind.REPORT_OVERDUE
            title = _("Số liệu chỉ tiêu kỳ %(period)s: chưa nhập, quá hạn %(days)s ngày") % {
                **values,
                "days": late,
            }
        body = _("Còn %(n)s chỉ tiêu của đơn vị chưa có số liệu.") % {"n": count}
        url = reverse("figure_period", args=[period_id])
        for user_id in people.get(unit_id, []):
            found.append(Reminder(user_id, kind, key, title, body, url))
    return found
