"""Who may link, read a province task's roll-up, and produce the province report."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partrack.cascade.services import issued_plan
from partrack.org.models import Membership
from partrack.plans.access import get_plan_for, get_task_for
from partrack.plans.models import Task


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
    """(task, agency id or None): whoever reads the task (the province's people) reads every
    agency's roll-up (None); an agency reads a task of its province's issued plan with its own
    row only (its id); anyone else gets 404."""
    try:
        task, _access = get_task_for(user, task_id)
    except Http404:
        membership = Membership.of(user)
        if membership is None:
            raise
        task = (
            Task.objects.select_related("plan__agency", "area")
            .filter(issued_plan(), pk=task_id, plan__agency__children__id=membership.agency_id)
            .first()
        )
        if task is None:
            raise
        return task, membership.agency_id
    return task, None


def get_province_for_report(user):
    """The province whose consolidated report the person produces (Sở Nội vụ), else 403."""
    membership = Membership.of(user)
    if membership is None or not membership.acts_for_province(membership.agency):
        raise PermissionDenied
    return membership.agency
