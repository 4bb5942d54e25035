"""Writes of the dashboards: each one atomic, and each one records who made it and when."""

from django.db import transaction

from partrack.dashboards.models import PublicPlan, RankingWeights


@transaction.atomic
def set_ranking_weights(
    *, agency, by, now, done_on_time, done_late, overdue, reported_on_time, reported_late
):
    """Save the agency's ranking weights; every ranking is computed with them from now on."""
    weights, _created = RankingWeights.objects.select_for_update().get_or_create(agency=agency)
    weights.done_on_time = done_on_time
    weights.done_late = done_late
    weights.overdue = overdue
    weights.reported_on_time = reported_on_time
    weights.reported_late = reported_late
    weights.updated_by = by
    weights.updated_at = now
    weights.save()
    return weights


@transaction.atomic
def set_plan_public(*, plan, enabled, by, now):
    """Turn the plan's public page on or off; its address stays the same across the two."""
    page, _created = PublicPlan.objects.select_for_update().get_or_create(plan=plan)
    page.enabled = enabled
    if enabled:
        page.enabled_by = by
        page.enabled_at = now
    page.save()
    return page
