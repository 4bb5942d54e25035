"""Grading the agency's units (xếp loại) under a regime held as data.

Each unit self-scores, the office proposes, a leader (the Director) approves. Points PARtrack can
count itself (tasks on time, reports on time, no overdue task) are filled in with their source.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.indices.criteria_io import fmt
from partrack.indices.models import Criterion, GradingChange, UnitGrading, UnitGradingScore
from partrack.indices.scoring import compute_totals, evaluate_grade, rounded
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import Plan, State, Task, state_conditions
from partrack.reporting.models import UnitReport

Computed = Criterion.Computed


def _leaves(regime):
    criteria = list(regime.criteria.order_by("order"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    return criteria, [c for c in criteria if c.pk not in parents]


@transaction.atomic
def start_gradings(*, regime, agency, today=None):
    """A grading per unit of the agency, with the computable points filled in."""
    _criteria, leaves = _leaves(regime)
    for unit in agency.units.all():
        grading, created = UnitGrading.objects.get_or_create(
            regime=regime, unit=unit, defaults={"year": regime.year}
        )
        if created:
            UnitGradingScore.objects.bulk_create(
                UnitGradingScore(grading=grading, criterion=c) for c in leaves
            )
    refresh_computed(regime=regime, agency=agency, today=today)


def unit_counts(agency, year, today):
    """{unit id: counts} of the tasks each unit leads and its reports, in two queries."""
    plan = Plan.objects.filter(agency=agency, year=year).first()
    if plan is None:
        return None, {}
    conditions = state_conditions(today)
    judged = Q(due_date__lte=today) & ~Q(
        deadline_kind__in=[DeadlineKind.CONTINUOUS, DeadlineKind.ON_REQUEST]
    )
    rows = (
        Task.objects.filter(plan=plan)
        .values("lead_units")
        .annotate(
            led=Count("pk", distinct=True),
            due=Count("pk", filter=judged, distinct=True),
            on_time=Count("pk", filter=judged & conditions[State.DONE_ON_TIME], distinct=True),
            overdue=Count("pk", filter=conditions[State.OVERDUE], distinct=True),
        )
    )
    counts = {row["lead_units"]: dict(row, reports_due=0, reports_on_time=0) for row in rows}
    periods = list(plan.periods.filter(unit_due__lt=today))
    reports = UnitReport.objects.filter(period__in=periods).exclude(first_submitted_at=None)
    for report in reports.select_related("period"):
        row = counts.setdefault(
            report.unit_id,
            {
                "led": 0,
                "due": 0,
                "on_time": 0,
                "overdue": 0,
                "reports_due": 0,
                "reports_on_time": 0,
            },
        )
        if report.days_late() == 0:
            row["reports_on_time"] += 1
    for row in counts.values():
        row["reports_due"] = len(periods)
    return plan, counts


def computed_value(criterion, counts, plan, today):
    """(score or None, source text) for a computable criterion."""
    day = f"{today:%d/%m/%Y}"
    if plan is None:
        return None, _("Chưa có kế hoạch CCHC của năm.")
    row = counts or {
        "led": 0,
        "due": 0,
        "on_time": 0,
        "overdue": 0,
        "reports_due": 0,
        "reports_on_time": 0,
    }
    if criterion.computed == Computed.TASKS_ON_TIME:
        part, whole = row["on_time"], row["due"]
        words = _("%(p)s/%(w)s nhiệm vụ chủ trì đã đến hạn hoàn thành đúng hạn")
    elif criterion.computed == Computed.REPORTS_ON_TIME:
        part, whole = row.get("reports_on_time", 0), row.get("reports_due", 0)
        words = _("%(p)s/%(w)s kỳ báo cáo đã đến hạn được gửi đúng hạn")
    else:
        part, whole = row["led"] - row["overdue"], row["led"]
        words = _("%(p)s/%(w)s nhiệm vụ chủ trì không quá hạn")
    source = (words % {"p": part, "w": whole}) + _(" (%(plan)s, đến ngày %(day)s)") % {
        "plan": plan.title,
        "day": day,
    }
    if not whole:
        return None, source
    return rounded(criterion.max_points * Decimal(part) / Decimal(whole)), source


@transaction.atomic
def refresh_computed(*, regime, agency, today=None):
    today = today or timezone.localdate()
    plan, counts = unit_counts(agency, regime.year, today)
    scores = (
        UnitGradingScore.objects.filter(grading__regime=regime, grading__unit__agency=agency)
        .exclude(criterion__computed="")
        .select_related("criterion", "grading")
    )
    for score in scores:
        value, source = computed_value(
            score.criterion, counts.get(score.grading.unit_id), plan, today
        )
        score.computed_score, score.computed_source = value, source
        score.save(update_fields=["computed_score", "computed_source"])


def check_value(criterion, value):
    low, high = criterion.bounds()
    if value is not None and not low <= value <= high:
        raise ValidationError(
            _("Điểm của tiêu chí %(code)s phải từ %(low)s đến %(high)s.")
            % {"code": criterion.code, "low": low, "high": high}
        )


@transaction.atomic
def save_scores(*, grading, values, field, by):
    """`field` is self_score (the unit, while it self-scores) or proposed_score (the office)."""
    allowed = {
        "self_score": [UnitGrading.Status.DRAFT],
        "proposed_score": [UnitGrading.Status.DRAFT, UnitGrading.Status.PROPOSED],
    }[field]
    if grading.status not in allowed:
        raise ValidationError(_("Bảng điểm này không còn sửa được."))
    step = GradingChange.Step.SELF if field == "self_score" else GradingChange.Step.PROPOSAL
    for score in grading.scores.select_related("criterion"):
        if score.pk in values and values[score.pk] != getattr(score, field):
            check_value(score.criterion, values[score.pk])
            GradingChange.objects.create(
                grading=grading,
                criterion=score.criterion,
                step=step,
                before=fmt(getattr(score, field)),
                after=fmt(values[score.pk]),
                by=by,
            )
            setattr(score, field, values[score.pk])
            score.save(update_fields=[field])


@transaction.atomic
def propose(*, grading, by, disqualifying_event=""):
    if grading.status != UnitGrading.Status.DRAFT:
        raise ValidationError(_("Văn phòng đã đề xuất rồi."))
    grading.status = UnitGrading.Status.PROPOSED
    grading.proposed_by = by
    grading.disqualifying_event = disqualifying_event
    grading.save(update_fields=["status", "proposed_by", "disqualifying_event"])
    GradingChange.objects.create(
        grading=grading,
        step=GradingChange.Step.STATUS,
        after=grading.get_status_display(),
        note=disqualifying_event,
        by=by,
    )


@transaction.atomic
def approve(*, grading, by):
    if grading.status != UnitGrading.Status.PROPOSED:
        raise ValidationError(_("Chỉ phê duyệt được khi Văn phòng đã đề xuất."))
    grading.status = UnitGrading.Status.APPROVED
    grading.approved_by, grading.approved_at = by, timezone.now()
    grading.save(update_fields=["status", "approved_by", "approved_at"])
    GradingChange.objects.create(
        grading=grading, step=GradingChange.Step.STATUS, after=grading.get_status_display(), by=by
    )


@dataclass
class GradingResult:
    grading: UnitGrading
    self_total: Decimal
    proposed_total: Decimal
    outcome: object


def results(regime, gradings):
    """Totals and the grade of each grading: on the office's proposal (where it proposed a
    score), else the unit's, else the computed points."""
    criteria = list(regime.criteria.order_by("order"))
    grades = list(regime.grades.all())
    scores = {}
    for score in UnitGradingScore.objects.filter(grading__in=gradings):
        scores.setdefault(score.grading_id, []).append(score)
    out = []
    for grading in gradings:
        rows = scores.get(grading.pk, [])
        own = compute_totals(
            regime,
            criteria,
            {
                s.criterion_id: s.self_score if s.self_score is not None else s.computed_score
                for s in rows
            },
        )
        best = compute_totals(regime, criteria, {s.criterion_id: s.score for s in rows})
        outcome = evaluate_grade(
            grades,
            best.total,
            zero_leaves=best.zero_leaves,
            disqualifying_event=grading.disqualifying_event,
        )
        out.append(GradingResult(grading, own.total, best.total, outcome))
    return out
