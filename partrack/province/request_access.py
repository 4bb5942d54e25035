"""Who may see and do what with a request from Sở Nội vụ: one helper per object type.

A request exists (else 404) for its province's people, the people of an agency it addresses,
and a superuser. Only the province's people (and a superuser) see the board of every agency's
answers; an agency sees its own answer and never another's.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from partrack.org.models import Membership
from partrack.province.models import ReportRequest, RequestAnswer, RequestRecipient


@dataclass(frozen=True)
class RequestAccess:
    reads_board: bool = False  # every agency's standing and answers: the province's people
    can_manage: bool = False  # amend the due date, cancel: Sở Nội vụ's desk and leaders
    slot: RequestRecipient | None = None  # the person's agency's place in the request
    can_answer: bool = False  # the addressed agency's office, while an answer may be given


def get_request_for(user, request_id):
    """(request, access) for a request the person may read; 404 otherwise."""
    request = ReportRequest.objects.for_listing().filter(pk=request_id).first()
    if request is None:
        raise Http404("No such request")
    membership = Membership.of(user)
    superuser = user.is_authenticated and user.is_superuser and user.is_active
    at_province = membership is not None and membership.agency_id == request.province_id
    slot = None
    if membership is not None and not at_province:
        slot = (
            RequestRecipient.objects.filter(request=request, agency_id=membership.agency_id)
            .select_related("agency", "answer__report__period__plan")
            .first()
        )
    if not (superuser or at_province or slot is not None):
        raise Http404("No such request")
    can_answer = False
    if slot is not None and membership.answers_requests(slot.agency) and not request.is_cancelled:
        today = timezone.localdate()
        can_answer = slot.answer_id is None or today <= request.due_date
    return request, RequestAccess(
        reads_board=superuser or at_province,
        can_manage=at_province and membership.acts_for_province(request.province),
        slot=slot,
        can_answer=can_answer,
    )


def get_answer_for(user, request_id, answer_id):
    """(request, answer) for an answer the person may open: the province's people any answer of
    the request, an agency only its own; 404 otherwise."""
    request, access = get_request_for(user, request_id)
    answers = RequestAnswer.objects.filter(request=request).select_related("report__period__plan")
    if not access.reads_board:
        answers = answers.filter(Q(agency_id=access.slot.agency_id))
    answer = answers.filter(pk=answer_id).first()
    if answer is None:
        raise Http404("No such answer")
    return request, answer
