"""The arithmetic of a criteria set: totals per area, bonus and deduction, rescaling, grades.

Pure functions on Decimals, so that every figure a document prints can be checked against an
independent count in the tests.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from partrack.indices.criteria_io import fmt
from partrack.indices.models import Criterion

ZERO = Decimal(0)
CENT = Decimal("0.01")


def rounded(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class AreaTotal:
    criterion: Criterion
    points: Decimal
    max_points: Decimal
    scored: int  # leaves with a score
    leaves: int

    @property
    def share(self):
        return self.points / self.max_points if self.max_points else ZERO


@dataclass
class Totals:
    areas: list = field(default_factory=list)  # AreaTotal of the areas on the scale
    base: Decimal = ZERO  # the areas' points, before rescaling
    survey_max: Decimal = ZERO
    survey_scored: bool = False
    rescaled: bool = False
    on_scale: Decimal = ZERO  # the areas' points after rescaling (= base when not rescaled)
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO  # zero or negative
    total: Decimal = ZERO
    zero_leaves: list = field(default_factory=list)  # criteria scored 0 (grade conditions)

    def explain(self, scale):
        """How the total was reached, in words for the page and the documents."""
        parts = [_("Điểm các lĩnh vực: %(p)s") % {"p": fmt(rounded(self.base))}]
        if self.rescaled:
            parts.append(
                _("chưa có điều tra xã hội học nên quy đổi: %(p)s × %(s)s / %(b)s = %(r)s")
                % {
                    "p": fmt(rounded(self.base)),
                    "s": fmt(scale),
                    "b": fmt(scale - self.survey_max),
                    "r": fmt(self.on_scale),
                }
            )
        if self.bonus:
            parts.append(_("điểm thưởng +%(p)s") % {"p": fmt(self.bonus)})
        if self.deduction:
            parts.append(_("điểm trừ %(p)s") % {"p": fmt(self.deduction)})
        parts.append(_("tổng %(t)s") % {"t": fmt(self.total)})
        return "; ".join(parts)


def leaves_of(criteria):
    """The criteria without children (the ones that are scored), in order."""
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def compute_totals(criteria_set, criteria, scores):
    """Totals of a set, given `scores` {criterion id: Decimal or None} for its leaves."""
    by_id = {c.pk: c for c in criteria}
    top_of = {}
    for criterion in criteria:
        top = criterion
        while top.parent_id:
            top = by_id[top.parent_id]
        top_of[criterion.pk] = top
    totals = Totals()
    area_rows = {}
    for criterion in criteria:
        if criterion.parent_id is None and not criterion.is_extra:
            area_rows[criterion.pk] = AreaTotal(criterion, ZERO, criterion.max_points, 0, 0)
    bonus_max = sum(
        (c.max_points for c in criteria if c.parent_id is None and c.kind == "bonus"), ZERO
    )
    deduction_max = sum(
        (c.max_points for c in criteria if c.parent_id is None and c.kind == "deduction"), ZERO
    )
    for leaf in leaves_of(criteria):
        value = scores.get(leaf.pk)
        top = top_of[leaf.pk]
        if leaf.kind == Criterion.Kind.SURVEY:
            totals.survey_max += leaf.max_points
            totals.survey_scored = totals.survey_scored or value is not None
        if value is None:
            if top.pk in area_rows:
                area_rows[top.pk].leaves += 1
            continue
        if leaf.kind == Criterion.Kind.BONUS:
            totals.bonus += value
        elif leaf.kind == Criterion.Kind.DEDUCTION:
            totals.deduction += value
        else:
            row = area_rows[top.pk]
            row.points += value
            row.scored += 1
            row.leaves += 1
            if value == 0 and leaf.max_points > 0:
                totals.zero_leaves.append(leaf)
    # A bonus never passes its ceiling, a deduction never its floor (the decision's maxima).
    totals.bonus = min(totals.bonus, bonus_max)
    totals.deduction = max(totals.deduction, deduction_max)
    totals.areas = list(area_rows.values())
    totals.base = sum((row.points for row in totals.areas), ZERO)
    scale = criteria_set.scale
    if (
        criteria_set.rescale_without_survey
        and totals.survey_max
        and not totals.survey_scored
        and scale > totals.survey_max
    ):
        totals.rescaled = True
        totals.on_scale = rounded(totals.base * scale / (scale - totals.survey_max))
    else:
        totals.on_scale = rounded(totals.base)
    totals.bonus, totals.deduction = rounded(totals.bonus), rounded(totals.deduction)
    totals.total = rounded(totals.on_scale + totals.bonus + totals.deduction)
    return totals


@dataclass
class GradeOutcome:
    grade: object  # a Grade, or None when no grade holds
    reasons: list  # why a better grade was not given


def evaluate_grade(grades, total, *, zero_leaves=(), disqualifying_event=""):
    """The best grade whose bounds hold the total and whose conditions are met."""
    ranked = [g for g in grades if not g.is_rule_only]
    reasons = []
    if disqualifying_event and ranked:
        lowest = ranked[-1]
        reasons.append(
            _("Có sự việc thuộc trường hợp %(grade)s: %(event)s")
            % {"grade": lowest.label, "event": disqualifying_event}
        )
        return GradeOutcome(lowest, reasons)
    blocked = False
    for grade in ranked:
        # Once a grade is refused for its conditions, the points above a lower grade's upper
        # bound no longer matter: 96 points with a criterion at 0 is at best "Hoàn thành".
        if not (grade.holds_from_below(total) if blocked else grade.holds(total)):
            continue
        if grade.requires_no_zero and zero_leaves:
            codes = ", ".join(c.code for c in zero_leaves)
            reasons.append(
                _("Không xếp %(grade)s vì có tiêu chí chấm 0 điểm (%(codes)s).")
                % {"grade": grade.label, "codes": codes}
            )
            blocked = True
            continue
        return GradeOutcome(grade, reasons)
    return GradeOutcome(None, reasons)
