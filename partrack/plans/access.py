"""Who may see and do what on plans and tasks: one helper per object type.

A plan of another agency does not exist for the person asking (404), whatever their role.
"""

from dataclasses import dataclass

from django.http import Http404

from partrack.org.models import Agency, Membership, Role
from partrack.plans.models import Evidence, Plan, Task


@dataclass(frozen=True)
class TaskAccess:
    can_update: bool = False  # record status and progress: the lead unit, or the office
    can_contribute: bool = False  # add a contribution: a coordinating unit
    can_assign: bool = False  # change the lead units and the due date: the office

    @property
    def can_write(self):
        return self.can_update or self.can_contribute


def get_plan_for(user, plan_id):
    """The plan if the person may read it; 404 otherwise."""
    plan = (
        Plan.objects.select_related("agency")
        .filter(pk=plan_id, agency__in=Agency.objects.visible_to(user))
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


def get_task_for(user, task_id):
    """(task, TaskAccess) if the person may read the task; 404 otherwise."""
    task = (
        Task.objects.select_related("plan__agency", "area")
        .prefetch_related("lead_units", "coordinating_units")
        .filter(pk=task_id, plan__agency__in=Agency.objects.visible_to(user))
        .first()
    )
    if task is None:
        raise Http404("No such task")
    return task, task_access(Membership.of(user), task)


def task_access(membership, task):
    if membership is None or membership.agency_id != task.plan.agency_id:
        # People above the agency (a province's viewer) read only.
        return TaskAccess()
    if membership.role == Role.COORDINATOR:
        return TaskAccess(can_update=True, can_assign=True)
    if membership.role != Role.MEMBER or membership.unit_id is None:
        return TaskAccess()
    if membership.unit_id in {unit.pk for unit in task.lead_units.all()}:
        return TaskAccess(can_update=True)
    if task.is_coordinated_by(membership.unit_id):
        return TaskAccess(can_contribute=True)
    return TaskAccess()


def get_evidence_for(user, evidence_id):
    """The evidence item if the person may read its task; 404 otherwise."""
    evidence = (
        Evidence.objects.select_related("task")
        .filter(pk=evidence_id, task__plan__agency__in=Agency.objects.visible_to(user))
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence")
    return evidence
