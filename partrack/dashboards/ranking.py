"""Ranking the units of a plan by rates, so that a unit with three tasks and one with thirty
are measured alike.

For each lead unit, over a scope (one reporting period, or the plan year):

    score = w_on_time × (tasks done on time / judged tasks)
          + w_late × (tasks done late / judged tasks)
          + w_overdue × (tasks overdue / judged tasks)
          + w_reported × (reports sent on time / reports due)
          + w_reported_late × (reports sent late / reports due)

The judged tasks of a period are those `TaskQuerySet.judged_in` gives it (each dated task is
judged in exactly one period); the year judges every dated task of the plan. Of those, a task
counts once it is due by the scope's day or closed: a task not yet due is neither a success nor
a failure, and the page shows how many there are. A report due and never sent scores nothing:
below one sent late. A unit with no judged task is shown as such, not ranked. A task led by
several units counts for each of them. Units with the same score share a rank (1, 2, 2, 4): no
second criterion decides between them, and the page says so.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partrack.org.models import Unit
from partrack.plans.models import (
    ReportStanding,
    State,
    Status,
    after_the_day,
    state_conditions,
)
from partrack.reporting.models import UnitReport
from partrack.vietnamese import fold

YEAR = "nam"

TIE_RULE = gettext_lazy(
    "Các đơn vị bằng điểm được xếp đồng hạng. Không áp dụng tiêu chí phụ nào để phân định "
    "(kể cả số nhiệm vụ đúng hạn hay ngày gửi báo cáo); trong mỗi nhóm đồng hạng, tên đơn vị "
    "chỉ được xếp theo thứ tự chữ cái."
)

# (weight field, what it multiplies), in the formula's order.
TERMS = [
    ("done_on_time", gettext_lazy("tỷ lệ nhiệm vụ hoàn thành đúng hạn")),
    ("done_late", gettext_lazy("tỷ lệ nhiệm vụ hoàn thành quá hạn")),
    ("overdue", gettext_lazy("tỷ lệ nhiệm vụ quá hạn")),
    ("reported_on_time", gettext_lazy("tỷ lệ kỳ báo cáo gửi đúng hạn")),
    ("reported_late", gettext_lazy("tỷ lệ kỳ báo cáo gửi chậm")),
]


@dataclass(frozen=True)
class Scope:
    """What a ranking covers: the tasks it judges, the day it judges them, the reports it counts."""

    key: str  # YEAR, or the period's id as text
    label: str
    as_of: date
    state_day: date  # as_of, or the day after once it is past: open tasks due then are overdue
    period: object = None  # the ReportingPeriod whose judged tasks count; None: every period
    periods: tuple = ()  # every period of the plan (the rule needs its neighbours)
    report_periods: tuple = ()  # the periods whose unit reports were due by `as_of`

    @classmethod
    def year(cls, plan, periods, today):
        """Every dated task of the plan as of today (31/12 once the year is over)."""
        as_of = min(today, date(plan.year, 12, 31))
        due = tuple(p for p in periods if p.unit_last_day < as_of)
        label = _("Cả năm %(year)s") % {"year": plan.year}
        return cls(
            YEAR,
            label,
            as_of,
            after_the_day(as_of, today),
            periods=tuple(periods),
            report_periods=due,
        )

    @classmethod
    def of_period(cls, period, periods, today):
        """The tasks the period judges, as of the end of its data window (or today)."""
        as_of = period.judging_day(today, periods)
        return cls(
            str(period.pk),
            f"{period.get_kind_display()} {period.plan.year}",
            as_of,
            period.state_day(today, periods),
            period=period,
            periods=tuple(periods),
            report_periods=(period,) if period.unit_last_day < as_of else (),
        )

    @property
    def is_year(self):
        return self.key == YEAR

    @property
    def judged_bounds(self):
        """(after, until) of the due dates judged; (None, None) for the year."""
        if self.period is None:
            return None, None
        return self.period.judged_bounds(self.periods)


def scopes_of(plan, today):
    """The year, then each period but the last: the last period's tasks are the year's end,
    and its report is the year's, so the year is offered once."""
    periods = list(plan.periods.all())
    last = [p for p in periods if p.is_last(periods)]
    return [Scope.year(plan, periods, today)] + [
        Scope.of_period(p, periods, today) for p in periods if p not in last
    ]


def find_scope(scopes, key):
    """The scope named `key`; the last period's id names the year (the picker's one year)."""
    found = next((s for s in scopes if s.key == key), None)
    if found is None and scopes and key in {str(p.pk) for p in scopes[0].periods}:
        found = scopes[0]
    return found or scopes[0]


@dataclass
class UnitResult:
    """One unit's figures in a scope, and the score and rank they earn."""

    unit: Unit
    judged: int = 0  # its tasks the scope judges that are due by the scope's day, or closed
    not_due: int = 0  # its tasks the scope judges that are still ahead of their due date
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    reports_due: int = 0
    score: Fraction = Fraction(0)
    rank: int | None = None  # None: no task judged, not ranked
    tied_with: list = field(default_factory=list)

    @property
    def has_tasks(self):
        return self.judged > 0

    @property
    def reports_missing(self):
        return self.reports_due - self.reports_on_time - self.reports_late

    @property
    def others(self):
        """Judged tasks that earn nothing: not done though not overdue (continuous), or that
        cannot be done."""
        return self.judged - self.done_on_time - self.done_late - self.overdue

    def share(self, term):
        """(numerator, denominator) of the term's rate."""
        if term in ("reported_on_time", "reported_late"):
            count = self.reports_on_time if term == "reported_on_time" else self.reports_late
            return count, self.reports_due
        return getattr(self, term), self.judged

    def rate(self, term):
        numerator, denominator = self.share(term)
        return Fraction(numerator, denominator) if denominator else Fraction(0)

    def score_with(self, weights):
        return sum(
            (getattr(weights, term) * self.rate(term) for term, _label in TERMS), Fraction(0)
        )


@dataclass
class Ranking:
    scope: Scope
    weights: object  # RankingWeights
    results: list  # UnitResult, ranked best first; tied units in alphabetical order
    unranked: list  # UnitResult of units with no task judged in the scope, A to Z

    @property
    def ties(self):
        """[(rank, score, [UnitResult, …])] for every rank shared by more than one unit."""
        groups = {}
        for result in self.results:
            groups.setdefault(result.rank, []).append(result)
        return [
            (rank, members[0].score, members)
            for rank, members in groups.items()
            if len(members) > 1
        ]


def rank(results, weights):
    """Score every unit and rank them: same score, same rank (1, 2, 2, 4); ties listed A to Z."""
    for result in results:
        result.score = result.score_with(weights)
    ordered = sorted(results, key=lambda r: (-r.score, fold(r.unit.name), r.unit.pk))
    for result in ordered:
        result.rank = 1 + sum(1 for other in ordered if other.score > result.score)
        result.tied_with = [
            other.unit for other in ordered if other.score == result.score and other is not result
        ]
    return ordered


def ranking_for(plan, scope, weights):
    """The plan's lead units ranked over the scope: three queries, whatever the plan's size."""
    units = Unit.objects.filter(led_tasks__plan=plan).distinct().order_by()
    results = {unit.pk: UnitResult(unit) for unit in units}

    tasks = plan.tasks.filter(due_date__isnull=False)
    if scope.period is not None:
        tasks = tasks.judged_in(scope.period, scope.periods)
    conditions = state_conditions(scope.state_day)
    closed = Q(status__in=[Status.DONE, Status.CANNOT_DO])
    rows = (
        tasks.order_by()
        .values("lead_units")
        .annotate(
            judged=Count("pk", filter=closed | Q(due_date__lte=scope.as_of)),
            not_due=Count("pk", filter=~closed & Q(due_date__gt=scope.as_of)),
            done_on_time=Count("pk", filter=conditions[State.DONE_ON_TIME]),
            done_late=Count("pk", filter=conditions[State.DONE_LATE]),
            overdue=Count("pk", filter=conditions[State.OVERDUE]),
        )
    )
    for row in rows:
        result = results.get(row["lead_units"])
        if result is not None:
            for name in ("judged", "not_due", "done_on_time", "done_late", "overdue"):
                setattr(result, name, row[name])

    periods = {period.pk: period for period in scope.report_periods}
    for result in results.values():
        result.reports_due = len(periods)
    sent = UnitReport.objects.filter(
        period_id__in=periods, unit_id__in=results, first_submitted_at__isnull=False
    ).values_list("unit_id", "period_id", "first_submitted_at")
    for unit_id, period_id, first_submitted_at in sent:
        standing = periods[period_id].report_standing(first_submitted_at, today=scope.as_of)
        if standing.code == ReportStanding.ON_TIME:
            results[unit_id].reports_on_time += 1
        elif standing.code == ReportStanding.LATE:
            results[unit_id].reports_late += 1
    ranked = [r for r in results.values() if r.has_tasks]
    unranked = sorted(
        (r for r in results.values() if not r.has_tasks), key=lambda r: fold(r.unit.name)
    )
    return Ranking(scope, weights, rank(ranked, weights), unranked)


def format_points(number):
    """A score as Vietnamese writes it: "35", "-5", "41,67"."""
    number = Fraction(number)
    if number.denominator == 1:
        return str(number.numerator).replace("-", "−")
    return f"{float(number):.2f}".replace(".", ",").replace("-", "−")


def format_share(numerator, denominator):
    """ "2/3", the unit's own counts (never reduced, so that they can be checked)."""
    return f"{numerator}/{denominator}"


def formula(weights):
    """ "Điểm = 60 × tỷ lệ nhiệm vụ hoàn thành đúng hạn + 30 × … − 30 × tỷ lệ … quá hạn + …"."""
    return _("Điểm") + " = " + signed_sum((getattr(weights, t), str(label)) for t, label in TERMS)


def worked_formula(result, weights):
    """The formula with the unit's own numbers: "60 × 3/4 + 30 × 1/4 − 30 × 0/4 + … = 67,5"."""
    terms = [(getattr(weights, t), format_share(*result.share(t))) for t, _label in TERMS]
    return f"{signed_sum(terms)} = {format_points(result.score)}"


def signed_sum(terms):
    text = ""
    for index, (weight, what) in enumerate(terms):
        if index == 0:
            text = f"{'−' if weight < 0 else ''}{abs(weight)} × {what}"
        else:
            text += f" {'−' if weight < 0 else '+'} {abs(weight)} × {what}"
    return text
