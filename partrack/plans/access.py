"""Who may see and do what on plans and tasks: one helper per object type.

A plan of another agency does not exist for the person asking (404), whatever their role.
"""

from dataclasses import dataclass

from django.http import Http404

from partrack.org.models import Membership, Role
from partrack.plans.models import Evidence, ExtensionRequest, Plan, SubItem, Task


@dataclass(frozen=True)
class TaskAccess:
    can_update: bool = False  # record status and progress: the lead unit, or the office
    can_contribute: bool = False  # add a contribution: a coordinating unit
    can_assign: bool = False  # change the lead units and the due date: the office
    # Ask for a later date: the lead unit (issue 14). Deciding on it, confirming or returning
    # a completion, allowing another request: the office (can_assign).
    can_request_extension: bool = False

    @property
    def can_decide(self):
        return self.can_assign

    @property
    def can_edit_sub_items(self):
        """Add sub-items and record theirs: whoever records the task's progress."""
        return self.can_update

    @property
    def can_write(self):
        return self.can_update or self.can_contribute


def get_plan_for(user, plan_id):
    """The plan if the person may read it; 404 otherwise."""
    plan = (
        Plan.objects.select_related("agency")
        .filter(pk=plan_id, pk__in=Plan.objects.readable_by(user))
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


def get_task_for(user, task_id):
    """(task, TaskAccess) if the person may read the task; 404 otherwise."""
    task = (
        Task.objects.select_related(
            "plan__agency", "area", "carries_out__plan", "carries_out__area"
        )
        .prefetch_related("lead_units", "coordinating_units")
        .filter(pk=task_id, plan__in=Plan.objects.readable_by(user))
        .first()
    )
    if task is None:
        raise Http404("No such task")
    return task, task_access(Membership.of(user), task)


def task_access(membership, task):
    if membership is None or not membership.writes_agency_work(task.plan.agency_id):
        # People above the agency (the province, whatever their role there) read only.
        return TaskAccess()
    if membership.role == Role.COORDINATOR:
        return TaskAccess(can_update=True, can_assign=True)
    if membership.role != Role.MEMBER or membership.unit_id is None:
        return TaskAccess()
    if membership.unit_id in {unit.pk for unit in task.lead_units.all()}:
        return TaskAccess(can_update=True, can_request_extension=True)
    if task.is_coordinated_by(membership.unit_id):
        return TaskAccess(can_contribute=True)
    return TaskAccess()


def get_evidence_for(user, evidence_id):
    """The evidence item if the person may read its task; 404 otherwise."""
    evidence = (
        Evidence.objects.select_related("task")
        .filter(pk=evidence_id, task__plan__in=Plan.objects.readable_by(user))
        .first()
    )
    if evidence is None:
        raise Http404("No such evidence")
    return evidence


def get_sub_item_for(user, item_id):
    """(sub-item, TaskAccess of its task) if the person may read it; 404 otherwise."""
    item = (
        SubItem.objects.select_related("task")
        .filter(pk=item_id, task__plan__in=Plan.objects.readable_by(user))
        .first()
    )
    if item is None:
        raise Http404("No such sub-item")
    item.task, access = get_task_for(user, item.task_id)
    return item, access


def get_extension_request_for(user, request_id):
    """(request, TaskAccess of its task) if the person may read it; 404 otherwise."""
    request = (
        ExtensionRequest.objects.filter(
            pk=request_id, task__plan__in=Plan.objects.readable_by(user)
        )
        .only("pk", "task_id")
        .first()
    )
    if request is None:
        raise Http404("No such extension request")
    task, access = get_task_for(user, request.task_id)
    request = ExtensionRequest.objects.get(pk=request.pk)
    request.task = task
    return request, access
