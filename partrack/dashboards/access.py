"""Who may see and do what on the dashboards: one helper per object type.

Plans are read through partrack.plans.access.get_plan_for: another agency's plan is a 404.
Inside the agency, only its coordinator (the office) sets weights and publishes a plan: 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partrack.dashboards.models import PublicPlan, RankingWeights
from partrack.org.models import Membership
from partrack.plans.access import get_plan_for


def get_coordinated_plan(user, plan_id):
    plan = get_plan_for(user, plan_id)
    if not Membership.coordinates(user, plan.agency_id):
        raise PermissionDenied
    return plan


def get_ranking_weights_for(user, plan_id):
    """(plan, the agency's RankingWeights) for the agency's coordinator; 404 or 403 otherwise."""
    plan = get_coordinated_plan(user, plan_id)
    return plan, RankingWeights.for_agency(plan.agency)


def get_public_switch_for(user, plan_id):
    """(plan, its PublicPlan or None) for the agency's coordinator; 404 or 403 otherwise."""
    plan = get_coordinated_plan(user, plan_id)
    return plan, PublicPlan.objects.filter(plan=plan).first()


def get_public_plan(token):
    """The published plan behind a public address, for anyone; 404 when it is off or unknown."""
    page = PublicPlan.objects.select_related("plan__agency").filter(token=token).first()
    if page is None or not page.enabled:
        raise Http404("No such public page")
    return page
