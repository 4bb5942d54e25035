"""The inbox ("Văn bản đến"): reports other agencies of the province sent to this agency.

Opening a report is its receipt (dispatch.mark_received): the sender then reads "đã nhận lúc …".
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from partrack.org.models import Membership
from partrack.pagination import paginate
from partrack.reporting import dispatch
from partrack.reporting.access import get_delivery_for
from partrack.reporting.approval_views import signed_response
from partrack.reporting.models import ReportDelivery


@login_required
def inbox(request):
    membership = Membership.of(request.user)
    if membership is None or not membership.reads_inbox_of(membership.agency_id):
        raise PermissionDenied
    items = ReportDelivery.objects.inbox_of(membership.agency_id)
    # One row per document: the province gets "UBND tỉnh" and "Sở Nội vụ" lines of one report.
    seen, rows = set(), []
    for delivery in items:
        if delivery.report_id in seen:
            continue
        seen.add(delivery.report_id)
        rows.append(delivery)
    page = paginate(request, rows)
    return render(request, "reporting/inbox/list.html", {"page": page, "agency": membership.agency})


@login_required
def inbox_item(request, delivery_id):
    delivery, membership = get_delivery_for(request.user, delivery_id)
    dispatch.mark_received(delivery=delivery, by=request.user)
    lines = list(
        ReportDelivery.objects.filter(
            report_id=delivery.report_id, agency_id=delivery.agency_id
        ).values_list("recipient", flat=True)
    )
    return render(
        request,
        "reporting/inbox/item.html",
        {"delivery": delivery, "report": delivery.report, "lines": lines},
    )


@login_required
def inbox_file(request, delivery_id):
    delivery, _membership = get_delivery_for(request.user, delivery_id)
    if delivery.signed is None:
        raise PermissionDenied
    delivery.signed.report = delivery.report
    return signed_response(delivery.signed)
