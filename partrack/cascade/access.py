"""Who may link, read a province task's roll-up, and produce the province report."""

from django.core.exceptions import PermissionDenied

from partrack.org.models import Membership
from partrack.plans.access import get_plan_for, get_task_for


def get_task_to_link_for(user, task_id):
    """The task if the person is its agency's office; 404 when they cannot read it, else 403."""
    task, _access = get_task_for(user, task_id)
    if not Membership.coordinates(user, task.plan.agency_id):
        raise PermissionDenied
    return task


def get_plan_to_link_for(user, plan_id):
    """The plan if the person is its agency's office; 404 when they cannot read it, else 403."""
    plan = get_plan_for(user, plan_id)
    if not Membership.coordinates(user, plan.agency_id):
        raise PermissionDenied
    return plan


def get_province_task_for(user, task_id):
    """A task and its agencies' roll-up, for whoever reads the task (the province's people for
    a province task; 404 for an agency, which does not read the province's plan)."""
    task, _access = get_task_for(user, task_id)
    return task


def get_province_for_report(user):
    """The province whose consolidated report the person produces (Sở Nội vụ), else 403."""
    membership = Membership.of(user)
    if membership is None or not membership.reports_for_province(membership.agency):
        raise PermissionDenied
    return membership.agency
