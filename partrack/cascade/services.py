"""An agency's tasks linked to the province task they carry out, and the province task's roll-up.

A task carries out at most one province task (Task.carries_out): a task of the current, issued
plan of the same year of the agency's province (its parent agency). Only the agency's office links
its own tasks. The roll-up counts linked tasks of the agencies' issued plans only: a draft plan
is the agency's own business until it is issued (SHARED16: the province never reads drafts).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.org.models import Membership
from partrack.plans.models import Plan, ProgressUpdate, State, Status, Task, state_conditions

ISSUED_STATUSES = [Plan.Status.ACTIVE, Plan.Status.CLOSED]


def issued_plan(prefix="plan__"):
    """Plans the province reads and links to: issued (carried out, or closed), not archived."""
    return Q(**{f"{prefix}status__in": ISSUED_STATUSES, f"{prefix}archived_at__isnull": True})


def province_tasks_for(task):
    """The province tasks `task` may carry out, in the province plan's order."""
    return province_tasks_for_plan(task.plan)


def province_tasks_for_plan(plan):
    """The tasks of the province's issued plans of the plan's year (its agency's parent's)."""
    parent_id = plan.agency.parent_id
    if parent_id is None:
        return Task.objects.none()
    return (
        Task.objects.filter(issued_plan(), plan__agency_id=parent_id, plan__year=plan.year)
        .select_related("area", "plan")
        .order_by("plan_id", "area__order", "order", "number")
    )


def label_of(province_task):
    """ "Nhiệm vụ 5 (II) của Kế hoạch 12418/KH-UBND: …" — how an agency's page names it."""
    plan = province_task.plan
    return _("Nhiệm vụ %(number)s (%(area)s) của Kế hoạch %(plan)s: %(content)s") % {
        "number": province_task.number or "—",
        "area": province_task.area.numeral or province_task.area.title,
        "plan": plan.symbol or plan.title,
        "content": province_task.content[:120],
    }


@transaction.atomic
def link_task(*, task, province_task, by, now=None):
    """Set (or, with None, clear) the province task `task` carries out; a line in its history."""
    if not Membership.coordinates(by, task.plan.agency_id):
        raise PermissionDenied
    if province_task is not None and not province_tasks_for(task).filter(pk=province_task.pk):
        raise ValidationError(
            {
                "province_task": _(
                    "Chỉ gắn được với một nhiệm vụ của Kế hoạch CCHC cùng năm đã ban hành của tỉnh."
                )
            }
        )
    before = task.carries_out_id
    Task.objects.filter(pk=task.pk).update(carries_out=province_task)
    task.carries_out = province_task
    if before == task.carries_out_id:
        return
    if province_task is None:
        narrative = _("Bỏ gắn với nhiệm vụ của Kế hoạch CCHC của tỉnh.")
    else:
        narrative = _("Thực hiện %(task)s") % {"task": label_of(province_task)}
    ProgressUpdate.objects.create(
        task=task,
        author=by,
        kind=ProgressUpdate.Kind.REVISION,
        narrative=narrative,
        created_at=now or timezone.now(),
    )


def province_task_link(task):
    """The task page's way to the province task it carries out; no query (get_task_for reads
    carries_out with the task). The link leads to the roll-up, which the province reads."""
    if task.carries_out_id is None:
        return []
    return [(label_of(task.carries_out), reverse("province_task", args=[task.carries_out_id]))]


@dataclass
class AgencyRollup:
    """One agency's tasks carrying out a province task, as of a day."""

    agency_id: int
    name: str
    is_lead: bool = False
    linked: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0

    @property
    def percent(self):
        """The share of linked tasks done, in whole percent (None when nothing is linked)."""
        return round(100 * self.done / self.linked) if self.linked else None


def linked_tasks(province_task, agency_id=None):
    """The agencies' tasks carrying out `province_task`, of their issued plans only; one
    agency's when `agency_id` is given."""
    tasks = Task.objects.filter(
        issued_plan(),
        carries_out=province_task,
        plan__agency__parent_id=province_task.plan.agency_id,
    )
    return tasks if agency_id is None else tasks.filter(plan__agency_id=agency_id)


def rollup(province_task, today, agency_id=None):
    """(per agency [AgencyRollup], total AgencyRollup): the lead agencies first (with nothing
    linked too), then the other agencies that linked tasks; two queries. With `agency_id`, that
    agency's row only (an agency reads itself, never the others)."""
    conditions = state_conditions(today)
    counts = (
        linked_tasks(province_task, agency_id)
        .order_by()
        .values("plan__agency_id", "plan__agency__name")
        .annotate(
            linked=Count("pk"),
            done=Count("pk", filter=Q(status=Status.DONE)),
            done_on_time=Count("pk", filter=conditions[State.DONE_ON_TIME]),
            overdue=Count("pk", filter=conditions[State.OVERDUE]),
        )
    )
    leads = province_task.lead_agencies.all()
    if agency_id is not None:
        leads = leads.filter(pk=agency_id)
    rows = {agency.pk: AgencyRollup(agency.pk, agency.name, is_lead=True) for agency in leads}
    for row in counts:
        agency_id = row["plan__agency_id"]
        found = rows.setdefault(agency_id, AgencyRollup(agency_id, row["plan__agency__name"]))
        for field in ("linked", "done", "done_on_time", "overdue"):
            setattr(found, field, row[field])
    ordered = sorted(rows.values(), key=lambda r: (not r.is_lead, r.name))
    total = AgencyRollup(0, _("Tổng cộng"))
    for row in ordered:
        for field in ("linked", "done", "done_on_time", "overdue"):
            setattr(total, field, getattr(total, field) + getattr(row, field))
    return ordered, total
