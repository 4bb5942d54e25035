"""Who may import plans: the office (coordinator) of the agency, and no one else.

A draft of another agency does not exist for the person asking (404); inside the agency, a
person who is not its coordinator is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partrack.documents.models import ImportDraft
from partrack.org.models import Membership, Role


def get_import_agency_for(user):
    """The agency the person imports plans for; 403 unless they coordinate one."""
    membership = Membership.of(user)
    if membership is None or membership.role != Role.COORDINATOR:
        raise PermissionDenied
    return membership.agency


def get_draft_for(user, draft_id):
    """The draft if the person coordinates its agency; 404 outside the agency, 403 inside."""
    membership = Membership.of(user)
    draft = (
        ImportDraft.objects.select_related("agency", "target_plan", "uploaded_by", "plan")
        .filter(pk=draft_id, agency_id=membership.agency_id if membership else None)
        .first()
    )
    if draft is None:
        raise Http404("No such import")
    if membership.role != Role.COORDINATOR:
        raise PermissionDenied
    return draft
