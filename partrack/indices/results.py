"""Results of a self-assessment: totals, the rank among the province's agencies, the year
before, the weakest criteria; each in a fixed number of queries."""

from dataclasses import dataclass

from partrack.indices.models import CriterionScore, NationalIndexValue, SelfAssessment
from partrack.indices.scoring import compute_totals


def score_values(scores, which):
    """{criterion id: value} of `which` ('self' or 'appraised') from CriterionScore rows."""
    if which == "self":
        return {s.criterion_id: s.self_score for s in scores}
    return {s.criterion_id: s.appraised_score for s in scores}


def totals_of(sa, criteria, scores, which):
    return compute_totals(sa.criteria_set, criteria, score_values(scores, which))


@dataclass
class Standing:
    sa: SelfAssessment
    total: object
    rank: int = 0


def standings(criteria_set, criteria):
    """Every agency's submitted self-assessment of the set, ranked by its appraised total
    (its self-score until appraised); equal totals share a rank."""
    assessments = list(
        SelfAssessment.objects.submitted()
        .filter(criteria_set=criteria_set)
        .select_related("agency")
    )
    rows = {sa.pk: [] for sa in assessments}
    for score in CriterionScore.objects.filter(self_assessment__in=assessments).only(
        "self_assessment_id", "criterion_id", "self_score", "round1_score", "final_score"
    ):
        rows[score.self_assessment_id].append(score)
    result = []
    for sa in assessments:
        which = "appraised" if sa.appraisal_started else "self"
        result.append(Standing(sa, totals_of(sa, criteria, rows[sa.pk], which).total))
    result.sort(key=lambda s: (-s.total, s.sa.agency.name))
    for index, standing in enumerate(result):
        if index and standing.total == result[index - 1].total:
            standing.rank = result[index - 1].rank
        else:
            standing.rank = index + 1
    return result


def previous_year(sa):
    """The agency's self-assessment of the year before, with its scores, or None."""
    before = (
        SelfAssessment.objects.filter(agency_id=sa.agency_id, year=sa.year - 1)
        .select_related("criteria_set")
        .first()
    )
    if before is None:
        return None, None
    criteria = list(before.criteria_set.criteria.order_by("order"))
    scores = list(before.scores.all())
    which = "appraised" if before.appraisal_started else "self"
    return before, totals_of(before, criteria, scores, which)


def weakest(scores, limit=5):
    """Scored criteria on the scale with the smallest share of their maximum."""
    rows = []
    for score in scores:
        criterion = score.criterion
        value = score.best_score
        if value is None or criterion.max_points <= 0 or criterion.kind != "normal":
            continue
        rows.append((value / criterion.max_points, criterion.order, score))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [score for share, _order, score in rows[:limit] if share < 1]


def national_values(sa):
    province_id = sa.agency.parent_id
    if province_id is None:
        return []
    return list(
        NationalIndexValue.objects.filter(
            province_id=province_id, year__in=[sa.year - 1, sa.year]
        ).order_by("index", "-year")
    )
