"""Pages of the units' grading (xếp loại): the board, one unit's sheet, the result table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partrack.indices import documents, grading
from partrack.indices.access import get_grading_for
from partrack.indices.criteria_io import parse_number
from partrack.indices.models import CriteriaSet, UnitGrading
from partrack.indices.views import DOCX, XLSX
from partrack.org.models import Membership, Role


def _regime_for(user, regime_id):
    """A grading regime of the person's own agency; 404 for anyone else."""
    membership = Membership.of(user)
    regime = (
        CriteriaSet.objects.filter(pk=regime_id, purpose=CriteriaSet.Purpose.GRADING)
        .select_related("owner")
        .first()
    )
    if regime is None or membership is None or membership.agency_id != regime.owner_id:
        raise Http404("No such regime")
    return regime, membership


def _gradings(regime, membership):
    gradings = regime.unit_gradings.select_related("unit").order_by("unit__order", "unit__name")
    if membership.role == Role.MEMBER:
        gradings = gradings.filter(unit_id=membership.unit_id)
    return list(gradings)


@login_required
def grading_index(request):
    membership = Membership.of(request.user)
    if membership is None:
        raise Http404
    regimes = CriteriaSet.objects.filter(
        purpose=CriteriaSet.Purpose.GRADING, owner_id=membership.agency_id
    )
    return render(request, "indices/grading_index.html", {"regimes": regimes})


@login_required
def grading_board(request, regime_id):
    regime, membership = _regime_for(request.user, regime_id)
    if request.method == "POST":
        if not membership.is_coordinator:
            raise PermissionDenied
        grading.start_gradings(regime=regime, agency=regime.owner)
        messages.success(request, _("Đã cập nhật các điểm tính từ dữ liệu."))
        return redirect("grading_board", regime.pk)
    rows = grading.results(regime, _gradings(regime, membership))
    return render(
        request,
        "indices/grading_board.html",
        {
            "regime": regime,
            "rows": rows,
            "grades": regime.grades.all(),
            "can_refresh": membership.is_coordinator,
        },
    )


@login_required
def grading_export(request, regime_id, kind):
    regime, membership = _regime_for(request.user, regime_id)
    if kind not in ("xlsx", "docx"):
        raise Http404
    if membership.role == Role.MEMBER:
        raise PermissionDenied  # the table of every unit is for the office and the leaders
    rows = grading.results(regime, _gradings(regime, membership))
    if kind == "xlsx":
        content, content_type = documents.grading_xlsx(regime.owner, regime, rows), XLSX
    else:
        content, content_type = documents.grading_docx(regime.owner, regime, rows), DOCX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="xep-loai-{regime.year}.{kind}"'
    return response


@login_required
def grading_detail(request, grading_id):
    record, membership = get_grading_for(request.user, grading_id)
    Status = UnitGrading.Status
    may_self = (
        record.status == Status.DRAFT
        and membership.unit_id == record.unit_id
        and membership.role in (Role.MEMBER, Role.COORDINATOR)
    )
    may_propose = membership.is_coordinator and record.status in (Status.DRAFT, Status.PROPOSED)
    may_approve = membership.directs(record.unit.agency_id) and record.status == Status.PROPOSED
    scores = list(record.scores.select_related("criterion").order_by("criterion__order"))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("self", "propose", "save_proposal"):
                field = "self_score" if action == "self" else "proposed_score"
                if (action == "self" and not may_self) or (action != "self" and not may_propose):
                    raise PermissionDenied
                values = {}
                for score in scores:
                    raw = request.POST.get(f"score-{score.pk}", "")
                    value = parse_number(raw)
                    if raw.strip() and value is None:
                        raise ValidationError(
                            _("Tiêu chí %(code)s: “%(v)s” không phải là số.")
                            % {"code": score.criterion.code, "v": raw}
                        )
                    values[score.pk] = value
                grading.save_scores(grading=record, values=values, field=field, by=request.user)
                if action == "propose":
                    grading.propose(
                        grading=record,
                        by=request.user,
                        disqualifying_event=request.POST.get("disqualifying_event", "").strip(),
                    )
                messages.success(request, _("Đã lưu."))
            elif action == "approve":
                if not may_approve:
                    raise PermissionDenied
                grading.approve(grading=record, by=request.user)
                messages.success(request, _("Đã phê duyệt xếp loại."))
            else:
                raise Http404
            return redirect("grading_detail", record.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    result = grading.results(record.regime, [record])[0]
    return render(
        request,
        "indices/grading_detail.html",
        {
            "grading": record,
            "scores": scores,
            "result": result,
            "may_self": may_self,
            "may_propose": may_propose,
            "may_approve": may_approve,
            "history": record.changes.select_related("by", "criterion")[:200],
        },
    )
