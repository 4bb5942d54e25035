"""Who may see and change an agency's webhooks: its administrator and its office, no one else.

Another agency's webhook does not exist for the person asking (404); inside the agency, a person
who does not manage its integrations is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partrack.org.models import Membership
from partrack.webhooks.models import Webhook


def get_webhook_agency_for(user):
    """The agency whose webhooks the person manages; 403 otherwise."""
    membership = Membership.of(user)
    if membership is None or not membership.manages_integrations:
        raise PermissionDenied
    return membership.agency


def get_webhook_for(user, webhook_id):
    """The webhook if the person manages its agency's; 404 outside the agency, 403 inside."""
    membership = Membership.of(user)
    webhook = (
        Webhook.objects.select_related("agency")
        .filter(pk=webhook_id, agency_id=membership.agency_id if membership else None)
        .first()
    )
    if webhook is None:
        raise Http404("No such webhook")
    if not membership.manages_integrations:
        raise PermissionDenied
    return webhook
