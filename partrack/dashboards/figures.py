"""The overview's figures: tasks by state per area, per lead unit and per month; who reported.

Each group of figures is one SQL query, whatever the size of the plan.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, FilteredRelation, Q
from django.utils.translation import gettext as _

from partrack.org.models import Unit
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import (
    ReportingPeriod,
    ReportStanding,
    State,
    Status,
    state_conditions,
)

# The order of the table columns and of the chart stacks: done first, then what needs attention.
STATE_ORDER = [
    State.DONE_ON_TIME,
    State.DONE_LATE,
    State.OVERDUE,
    State.DUE_SOON,
    State.IN_PROGRESS,
    State.NOT_STARTED,
    State.ON_REQUEST,
    State.UNDATED,
    State.CANNOT_DO,
]


@dataclass
class StateRow:
    """One line of a completion table: what it counts, its filter on the plan page, its counts."""

    label: str
    short_label: str
    query: str  # the plan page's filter for the row: "area=3", "unit=5"; empty for the whole plan
    counts: dict
    linked: bool = True  # False when the plan page has no filter that gives the row's tasks

    @property
    def shows_short_label(self):
        """Whether the chart names the row otherwise than the table does (an abbreviation):
        the table twin then gives both, so that a reader can match the bars to the names."""
        return bool(self.short_label) and not self.label.startswith(self.short_label)

    @property
    def total(self):
        # The states partition the tasks (state_conditions), so they add up to the total.
        return sum(self.counts.values())

    @property
    def done(self):
        return self.counts[State.DONE_ON_TIME] + self.counts[State.DONE_LATE]

    @property
    def percent_done(self):
        return round(100 * self.done / self.total) if self.total else 0

    def cells(self):
        return [(state, self.counts[state]) for state in STATE_ORDER]


@dataclass
class MonthRow:
    """One month of the plan year: the tasks due in it, and the tasks done in it."""

    month: date
    due: int
    done: int

    @property
    def key(self):
        return f"{self.month:%Y-%m}"

    @property
    def label(self):
        return f"{self.month:%m/%Y}"


@dataclass
class UnitReportRow:
    """A unit's report for the current period: its review status and where it stands."""

    unit: Unit
    status: str | None  # a UnitReport.Status, or None when the unit has not started it
    standing: ReportStanding  # ReportingPeriod.report_standing: not due, on time, late, missing

    @property
    def has_reported(self):
        return self.standing.is_sent


def total_row(areas):
    """The whole plan's row: the sum of its areas' rows (every task has exactly one area)."""
    counts = {state: sum(row.counts[state] for row in areas) for state in STATE_ORDER}
    return StateRow(_("Toàn kế hoạch"), "", "", counts)


def state_counts(conditions):
    return {state.value: Count("pk", filter=conditions[state]) for state in STATE_ORDER}


def month_counts(year):
    """Count expressions: due_<m> (a real deadline in month m) and done_<m> (done in month m)."""
    # A continuous task is never due as a whole (docs/domain.md), so no month counts it as due.
    judged = Q(due_date__isnull=False) & ~Q(deadline_kind=DeadlineKind.CONTINUOUS)
    counts = {}
    for month in range(1, 13):
        days = (date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        counts[f"due_{month}"] = Count("pk", filter=judged & Q(due_date__range=days))
        counts[f"done_{month}"] = Count("pk", filter=Q(status=Status.DONE, done_on__range=days))
    return counts


def area_label(numeral, title):
    return f"{numeral}. {title}" if numeral else title


def area_and_month_figures(plan, *, today):
    """(a StateRow per area, a MonthRow per month of the plan year), from one query.

    An area without tasks has nothing to complete and no row.
    """
    rows = (
        plan.tasks.order_by()
        .values("area_id", "area__order", "area__numeral", "area__title")
        .annotate(**state_counts(state_conditions(today)), **month_counts(plan.year))
        .order_by("area__order")
    )
    areas, due, done = [], [0] * 12, [0] * 12
    for row in rows:
        areas.append(
            StateRow(
                label=area_label(row["area__numeral"], row["area__title"]),
                short_label=row["area__numeral"] or row["area__title"][:20],
                query=f"area={row['area_id']}",
                counts={state: row[state.value] for state in STATE_ORDER},
            )
        )
        for month in range(12):
            due[month] += row[f"due_{month + 1}"]
            done[month] += row[f"done_{month + 1}"]
    months = [MonthRow(date(plan.year, m + 1, 1), due[m], done[m]) for m in range(12)]
    return areas, months


def lead_unit_figures(plan, units, *, today):
    """A StateRow per unit that leads a task, in the agency's order; then tasks led by nobody."""
    rows = (
        plan.tasks.order_by().values("lead_units").annotate(**state_counts(state_conditions(today)))
    )
    counts = {row["lead_units"]: {state: row[state.value] for state in STATE_ORDER} for row in rows}
    figures = [
        StateRow(
            label=unit.name,
            short_label=unit.short_name or unit.name,
            query=f"unit={unit.pk}",
            counts=counts[unit.pk],
        )
        for unit in units
        if unit.pk in counts
    ]
    if None in counts:
        # The plan page has no filter for "no lead unit": the row's figures are not links.
        figures.append(
            StateRow(_("(Chưa giao đơn vị chủ trì)"), "—", "", counts[None], linked=False)
        )
    return figures


def units_with_report(plan, period):
    """The agency's units, each annotated with its report for `period` (one query)."""
    units = Unit.objects.filter(agency_id=plan.agency_id).order_by("order", "name")
    if period is None:
        return list(units)
    return list(
        units.annotate(
            period_report=FilteredRelation("reports", condition=Q(reports__period=period)),
            report_status=F("period_report__status"),
            report_first_submitted_at=F("period_report__first_submitted_at"),
        )
    )


def report_standings(units, period, today):
    return [
        UnitReportRow(
            unit,
            unit.report_status,
            period.report_standing(unit.report_first_submitted_at, today=today),
        )
        for unit in units
    ]


@dataclass
class Overview:
    """Everything the leaders' overview shows about a plan on a day, lists apart."""

    plan: object
    today: date
    period: object  # the current ReportingPeriod, or None
    areas: list
    units: list
    months: list
    reports: list
    judged: dict  # {state: count} of the tasks the current period judges; {} without one
    judged_bounds: tuple  # (after, until) of their due dates
    judging_day: date | None

    @classmethod
    def build(cls, plan, *, today):
        periods = list(plan.periods.all())
        period = ReportingPeriod.current_of(periods, today)
        units = units_with_report(plan, period)
        areas, months = area_and_month_figures(plan, today=today)
        judged, bounds, day = {}, (None, None), None
        if period is not None:
            day = period.judging_day(today, periods)
            bounds = period.judged_bounds(periods)
            judged = plan.tasks.judged_in(period, periods).state_counts(
                period.state_day(today, periods)
            )
        return cls(
            plan=plan,
            today=today,
            period=period,
            areas=areas,
            units=lead_unit_figures(plan, units, today=today),
            months=months,
            reports=report_standings(units, period, today) if period else [],
            judged=judged,
            judged_bounds=bounds,
            judging_day=day,
        )

    @property
    def judged_total(self):
        return sum(self.judged.values())

    def judged_cells(self):
        return [(state, self.judged[state]) for state in STATE_ORDER if self.judged.get(state)]

    @property
    def counts(self):
        return self.total_row.counts

    @property
    def total_row(self):
        return total_row(self.areas)

    @property
    def reported(self):
        return [r for r in self.reports if r.has_reported]

    @property
    def reported_on_time(self):
        return [r for r in self.reports if r.standing.code == ReportStanding.ON_TIME]

    @property
    def reported_late(self):
        return [r for r in self.reports if r.standing.code == ReportStanding.LATE]

    @property
    def not_reported(self):
        return [r for r in self.reports if not r.has_reported]

    @property
    def missing(self):
        """Not sent, and the deadline has passed: late, and staying late until it comes."""
        return [r for r in self.reports if r.standing.code == ReportStanding.MISSING]

    def overdue_tasks(self):
        """Overdue tasks, the longest overdue first, marked if reported on in this period."""
        tasks = (
            self.plan.tasks.in_state(State.OVERDUE, self.today)
            .for_listing()
            .overdue_first(self.today)
        )
        if self.period is not None:
            tasks = tasks.reported_since(self.period.news_since())
        return tasks

    def due_ahead_tasks(self, days):
        return self.plan.tasks.for_listing().due_within(self.today, days)

    def chart_data(self, plan_url):
        """What overview.js draws: the tables' figures, their links, and the words it needs."""
        return {
            "plan_url": plan_url,
            "states": [{"key": s.value, "label": str(s.label)} for s in STATE_ORDER],
            "areas": chart_rows(self.areas),
            "units": chart_rows(self.units),
            "months": {
                "labels": [f"T{row.month.month}" for row in self.months],
                "titles": [row.label for row in self.months],
                "keys": [row.key for row in self.months],
                "due": [row.due for row in self.months],
                "done": [row.done for row in self.months],
                "due_label": _("Đến hạn trong tháng"),
                "done_label": _("Hoàn thành trong tháng"),
            },
        }


def chart_rows(rows):
    return {
        "labels": [row.short_label for row in rows],
        "titles": [row.label for row in rows],
        "queries": [row.query if row.linked else None for row in rows],
        "totals": [row.total for row in rows],
        "counts": {state.value: [row.counts[state] for row in rows] for state in STATE_ORDER},
    }
