"""Which tasks the cross-agency list and its exports may show a person."""

from django.core.exceptions import PermissionDenied

from partrack.org.models import Agency, Membership
from partrack.plans.models import Plan, Task


def readable_agencies(user):
    """The agencies a person reads (Agency.objects.visible_to): a province's people read every
    agency under it, a superuser every agency, anyone else their own."""
    return Agency.objects.visible_to(user)


def readable_tasks(user):
    """Tasks of every agency the person reads, in plans issued and not archived: a draft is the
    agency's own business until it is issued (docs/domain.md, "Roles")."""
    tasks = Task.objects.filter(
        plan__status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED],
        plan__archived_at__isnull=True,
    )
    if user.is_authenticated and user.is_superuser and user.is_active:
        return tasks  # every agency: no need to ask the database which
    return tasks.filter(plan__agency__in=readable_agencies(user))


def overview_agencies(user):
    """The agencies the province overview lists for the person: those under their province
    (a superuser: every agency under a province); 403 for anyone who reads one agency only."""
    if not Membership.reads_several_agencies(user):
        raise PermissionDenied
    if user.is_superuser and user.is_active:
        return Agency.objects.filter(parent__isnull=False)
    membership = Membership.of(user)
    return Agency.objects.visible_to(user).exclude(pk=membership.agency_id)
