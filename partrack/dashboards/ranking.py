"""Ranking the units of a plan: points for their tasks and for reporting on time.

For each lead unit, over a scope (one reporting period, or the plan year):

    score = w_on_time × tasks done on time + w_late × tasks done late
          + w_overdue × tasks still overdue + w_reported × reports sent on time

A task led by several units counts for each of them. Units with the same score share a rank
(1, 2, 2, 4): no second criterion decides between them, and the page says so.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partrack.org.models import Unit
from partrack.plans.models import State, state_conditions
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
    ("done_on_time", gettext_lazy("số nhiệm vụ hoàn thành đúng hạn")),
    ("done_late", gettext_lazy("số nhiệm vụ hoàn thành quá hạn")),
    ("overdue", gettext_lazy("số nhiệm vụ quá hạn")),
    ("reported_on_time", gettext_lazy("báo cáo đúng hạn (1 hoặc 0; cả năm: tỷ lệ các kỳ)")),
]


@dataclass(frozen=True)
class Scope:
    """What a ranking covers: the tasks it judges, the day it judges them, the reports it counts."""

    key: str  # YEAR, or the period's id as text
    label: str
    as_of: date
    due_from: date | None = None  # tasks due in [due_from, due_to]; None: every task of the plan
    due_to: date | None = None
    periods: tuple = ()  # the periods whose unit reports count

    @classmethod
    def year(cls, plan, periods, today):
        """Every task of the plan as of today (31/12 once the year is over); every period due."""
        as_of = min(today, date(plan.year, 12, 31))
        due = tuple(p for p in periods if p.unit_due <= as_of)
        return cls(YEAR, _("Cả năm %(year)s") % {"year": plan.year}, as_of, periods=due)

    @classmethod
    def of_period(cls, period, today):
        """The tasks due inside the period's data window, as of its last day (or today)."""
        return cls(
            str(period.pk),
            f"{period.get_kind_display()} {period.plan.year}",
            min(today, period.ends_on),
            due_from=period.starts_on,
            due_to=period.ends_on,
            periods=(period,),
        )

    @property
    def is_year(self):
        return self.key == YEAR


def scopes_of(plan, today):
    """The year, then each reporting period of the plan: what a ranking may cover."""
    periods = list(plan.periods.all())
    return [Scope.year(plan, periods, today)] + [Scope.of_period(p, today) for p in periods]


@dataclass
class UnitResult:
    """One unit's figures in a scope, and the score and rank they earn."""

    unit: Unit
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    reports_on_time: int = 0
    reports_due: int = 0
    score: Fraction = Fraction(0)
    rank: int = 0
    tied_with: list = field(default_factory=list)

    @property
    def reported_on_time(self):
        """1 or 0 for a period; for the year, the share of its periods reported on time."""
        if not self.reports_due:
            return Fraction(0)
        return Fraction(self.reports_on_time, self.reports_due)

    def value(self, term):
        return getattr(self, term)

    def score_with(self, weights):
        return sum(
            (getattr(weights, term) * Fraction(self.value(term)) for term, _label in TERMS),
            Fraction(0),
        )


@dataclass
class Ranking:
    scope: Scope
    weights: object  # RankingWeights
    results: list  # UnitResult, best first; tied units in alphabetical order

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

    tasks = plan.tasks.all()
    if scope.due_from is not None:
        tasks = tasks.filter(due_date__range=(scope.due_from, scope.due_to))
    conditions = state_conditions(scope.as_of)
    rows = (
        tasks.order_by()
        .values("lead_units")
        .annotate(
            done_on_time=Count("pk", filter=conditions[State.DONE_ON_TIME]),
            done_late=Count("pk", filter=conditions[State.DONE_LATE]),
            overdue=Count("pk", filter=conditions[State.OVERDUE]),
        )
    )
    for row in rows:
        result = results.get(row["lead_units"])
        if result is not None:
            result.done_on_time = row["done_on_time"]
            result.done_late = row["done_late"]
            result.overdue = row["overdue"]

    periods = {period.pk: period for period in scope.periods}
    for result in results.values():
        result.reports_due = len(periods)
    sent = UnitReport.objects.filter(
        period_id__in=periods, unit_id__in=results, first_submitted_at__isnull=False
    ).values_list("unit_id", "period_id", "first_submitted_at")
    for unit_id, period_id, first_submitted_at in sent:
        submitted_on = timezone.localdate(first_submitted_at)
        if periods[period_id].days_late(submitted_on) == 0:
            results[unit_id].reports_on_time += 1
    return Ranking(scope, weights, rank(list(results.values()), weights))


def format_points(number):
    """A score as Vietnamese writes it: "35", "-5", "41,67"."""
    number = Fraction(number)
    if number.denominator == 1:
        return str(number.numerator).replace("-", "−")
    return f"{float(number):.2f}".replace(".", ",").replace("-", "−")


def format_share(share):
    share = Fraction(share)
    if share.denominator == 1:
        return str(share.numerator)
    return f"{share.numerator}/{share.denominator}"


def formula(weights):
    """ "Điểm = 10 × số nhiệm vụ hoàn thành đúng hạn + 5 × … − 5 × số nhiệm vụ quá hạn + …"."""
    return _("Điểm") + " = " + signed_sum((getattr(weights, t), str(label)) for t, label in TERMS)


def worked_formula(result, weights):
    """The formula with the unit's own numbers: "10 × 3 + 5 × 1 − 5 × 2 + 10 × 1 = 35"."""
    terms = [(getattr(weights, t), format_share(result.value(t))) for t, _label in TERMS]
    return f"{signed_sum(terms)} = {format_points(result.score)}"


def signed_sum(terms):
    text = ""
    for index, (weight, what) in enumerate(terms):
        if index == 0:
            text = f"{'−' if weight < 0 else ''}{abs(weight)} × {what}"
        else:
            text += f" {'−' if weight < 0 else '+'} {abs(weight)} × {what}"
    return text
