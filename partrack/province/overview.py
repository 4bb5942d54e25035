"""The province overview: per agency of the province and per period, where its plan stands.

One row per agency: its plan of the year (imported or not, and its status), the share of the
tasks the period judges that were done on time (Task.objects.judged_in, the rule every figure
of PARtrack uses), the judged tasks overdue, and whether its consolidated report reached Sở Nội
vụ on time, late or not at all, against the deadline the agency's office set (agency_due).
Every figure is read in a fixed number of queries, whatever the number of agencies.
"""

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partrack.plans.models import Plan, ReportingPeriod, State, Task, state_conditions
from partrack.plans.periods import default_periods
from partrack.reporting.models import ConsolidatedReport


def sent_reports(periods):
    """{period id: the day the agency's consolidated report for it was sent}, in one query.

    THE one rule of "sent" for the overview: the office sent the issued, signed report to its
    recipients (reporting/dispatch.py), on the local day of ConsolidatedReport.sent_at.
    """
    rows = (
        ConsolidatedReport.objects.sent()
        .filter(period__in=periods)
        .values_list("period_id", "sent_at")
    )
    return {period_id: timezone.localdate(sent_at) for period_id, sent_at in rows}


@dataclass(frozen=True)
class ReportTiming:
    """Where the agency's consolidated report for the period stands against its deadline."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"
    NO_DEADLINE = "no_deadline"  # the office has not set the deadline to Sở Nội vụ
    NO_PERIOD = "no_period"  # no plan (or no such period) to report on

    code: str
    sent_on: date | None = None
    due: date | None = None
    days: int = 0

    # Sorting: the worst first when ascending.
    RANK = {MISSING: 0, LATE: 1, NO_DEADLINE: 2, NOT_DUE: 3, ON_TIME: 4, NO_PERIOD: 5}

    @classmethod
    def of(cls, period, sent_on, today):
        if period is None:
            return cls(cls.NO_PERIOD)
        due = period.agency_due
        if due is None:
            return cls(cls.NO_DEADLINE, sent_on)
        if sent_on is not None:
            late = (sent_on - due).days
            return cls(cls.LATE, sent_on, due, late) if late > 0 else cls(cls.ON_TIME, sent_on, due)
        if today > due:
            return cls(cls.MISSING, None, due, (today - due).days)
        return cls(cls.NOT_DUE, None, due, (due - today).days)

    @property
    def rank(self):
        return self.RANK[self.code]

    @property
    def label(self):
        day = f"{self.sent_on:%d/%m/%Y}" if self.sent_on else ""
        due = f"{self.due:%d/%m/%Y}" if self.due else ""
        if self.code == self.ON_TIME:
            return _("Đã gửi đúng hạn (%(day)s)") % {"day": day}
        if self.code == self.LATE:
            return _("Gửi chậm %(days)s ngày (%(day)s)") % {"days": self.days, "day": day}
        if self.code == self.MISSING:
            return _("Chưa gửi — quá hạn %(days)s ngày (hạn %(due)s)") % {
                "days": self.days,
                "due": due,
            }
        if self.code == self.NOT_DUE:
            return _("Chưa gửi — hạn %(due)s") % {"due": due}
        if self.code == self.NO_DEADLINE:
            if self.sent_on:
                return _("Đã gửi %(day)s — cơ quan chưa đặt hạn gửi Sở Nội vụ") % {"day": day}
            return _("Cơ quan chưa đặt hạn gửi Sở Nội vụ")
        return "—"


@dataclass
class AgencyRow:
    agency: object
    plan: object  # the agency's plan of the year, or None
    period: object  # the plan's period of the chosen kind (None for no plan or a draft)
    judged: int = 0
    done_on_time: int = 0
    overdue: int = 0
    report: ReportTiming = ReportTiming(ReportTiming.NO_PERIOD)

    @property
    def readable_plan(self):
        """The plan, once issued: a draft is the agency's own business."""
        return self.plan if self.plan is not None and self.period is not None else None

    @property
    def share(self):
        """Done on time over judged, in percent (one decimal); None when nothing is judged."""
        if not self.judged:
            return None
        return round(100 * self.done_on_time / self.judged, 1)

    @property
    def plan_label(self):
        if self.plan is None:
            return _("Chưa nhập kế hoạch")
        return self.plan.get_status_display()


# Each column's sort value; None (nothing to compare) sorts last either way.
SORTS = {
    "name": lambda row: row.agency.name,
    "plan": lambda row: row.plan.status if row.plan else None,
    "share": lambda row: row.share,
    "overdue": lambda row: row.overdue,
    "report": lambda row: None if row.report.code == ReportTiming.NO_PERIOD else row.report.rank,
}
SORT_LABELS = {
    "name": gettext_lazy("Cơ quan"),
    "plan": gettext_lazy("Kế hoạch"),
    "share": gettext_lazy("Hoàn thành đúng hạn"),
    "overdue": gettext_lazy("Quá hạn"),
    "report": gettext_lazy("Báo cáo gửi Sở Nội vụ"),
}


def default_kind(year, today):
    """The period being reported on today, as a kind: the first whose data window's month has
    not ended (the year's once every other is over)."""
    for period in default_periods(year):
        end = period["ends_on"]
        if (end.year, end.month) >= (today.year, today.month):
            return period["kind"]
    return ReportingPeriod.Kind.YEAR


def build_rows(agencies, *, year, kind, today):
    """[AgencyRow] for `agencies` (a queryset), in four queries whatever their number."""
    agencies = list(agencies.order_by("name", "pk"))
    plans = {
        plan.agency_id: plan
        for plan in Plan.objects.current()
        .filter(agency__in=[a.pk for a in agencies], year=year)
        .order_by("pk")
    }
    issued = [p.pk for p in plans.values() if p.status != Plan.Status.DRAFT]
    periods_of = {}
    for period in ReportingPeriod.objects.filter(plan_id__in=issued):
        periods_of.setdefault(period.plan_id, []).append(period)
    chosen = {}
    for plan_id, periods in periods_of.items():
        period = next((p for p in periods if p.kind == kind), None)
        if period is not None:
            period.plan = next(plan for plan in plans.values() if plan.pk == plan_id)
            chosen[plan_id] = period

    figures = task_figures(chosen, periods_of, today)
    sent = sent_reports(list(chosen.values()))
    rows = []
    for agency in agencies:
        plan = plans.get(agency.pk)
        period = chosen.get(plan.pk) if plan is not None else None
        counts = figures.get(plan.pk, {}) if period is not None else {}
        rows.append(
            AgencyRow(
                agency=agency,
                plan=plan,
                period=period,
                judged=counts.get("judged", 0),
                done_on_time=counts.get("done_on_time", 0),
                overdue=counts.get("overdue", 0),
                report=ReportTiming.of(period, sent.get(period.pk) if period else None, today),
            )
        )
    return rows


def task_figures(chosen, periods_of, today):
    """{plan id: {judged, done_on_time, overdue}} for each plan's chosen period: one query.

    Each plan's tasks are those its period judges (Task.objects.judged_in); overdue is judged
    on the period's state day (ReportingPeriod.state_day), as the agency's own dashboards do.
    """
    if not chosen:
        return {}
    judged = reduce(
        operator.or_,
        (
            Task.objects.filter(plan_id=plan_id).judged_in(period, periods_of[plan_id])
            for plan_id, period in chosen.items()
        ),
    )
    by_day = {}
    for plan_id, period in chosen.items():
        by_day.setdefault(period.state_day(today, periods_of[plan_id]), []).append(plan_id)
    overdue = reduce(
        operator.or_,
        (Q(plan_id__in=ids) & state_conditions(day)[State.OVERDUE] for day, ids in by_day.items()),
    )
    done = state_conditions(today)[State.DONE_ON_TIME]
    rows = (
        judged.order_by()
        .values("plan_id")
        .annotate(
            judged=Count("pk"),
            done_on_time=Count("pk", filter=done),
            overdue=Count("pk", filter=overdue),
        )
    )
    return {row["plan_id"]: row for row in rows}


def sort_rows(rows, sort):
    """Rows sorted by a column ("share", "-share", …); the agency's name breaks ties."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "name", False
    value = SORTS[key]
    rows = sorted(rows, key=lambda row: row.agency.name)
    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing
