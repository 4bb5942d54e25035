"""Pages of the requests from Sở Nội vụ: the list, sending, one request, answers, the export."""

from collections import Counter, defaultdict
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from partrack.org.models import Membership
from partrack.province import requests as services
from partrack.province.models import (
    RequestAnswer,
    RequestEvent,
    RequestRecipient,
    Standing,
)
from partrack.province.request_access import get_answer_for, get_request_for
from partrack.province.request_forms import AnswerForm, CancelForm, DueDateForm, RequestForm
from partrack.reporting.models import ReportFile
from partrack.spreadsheets import xlsx_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# ?sap-xep= on the board: agency name, standing (worst first), day answered, days overdue.
SORTS = {
    "co-quan": lambda row: (row.slot.agency.name,),
    "tinh-trang": lambda row: (Standing.ORDER[row.state.code], -row.state.days, row.name),
    "ngay-tra-loi": lambda row: (row.state.answered_on is None, row.state.answered_on, row.name),
    "so-ngay": lambda row: (-row.state.days, row.name),
}


def apply_errors(form, error):
    """Put a service's ValidationError on the form's fields (or the form), keeping the input."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def file_response(field_file, name, content_type):
    # Typed from what the file was found to be; a download, never sniffed, sandboxed.
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def request_list(request):
    """Sent requests with their counts (the province), or received ones with the agency's
    standing (an agency). Three queries whatever the number of requests."""
    today = timezone.localdate()
    membership = Membership.of(request.user)
    superuser = request.user.is_superuser
    province = None
    if membership is not None and membership.agency.parent_id is None:
        province = membership.agency
    requests = list(services.requests_for_listing(membership, superuser=superuser))
    sent, received = [], []
    counts = defaultdict(Counter)
    own = {}
    slots = RequestRecipient.objects.filter(request__in=requests).values_list(
        "request_id", "agency_id", "first_answered_at"
    )
    by_id = {r.pk: r for r in requests}
    for request_id, agency_id, first_answered_at in slots:
        report_request = by_id[request_id]
        state = services_standing(report_request, first_answered_at, today)
        counts[request_id][state.code] += 1
        counts[request_id]["total"] += 1
        if membership is not None and agency_id == membership.agency_id:
            own[request_id] = state
    for report_request in requests:
        if superuser or (membership and report_request.province_id == membership.agency_id):
            sent.append((report_request, counts[report_request.pk]))
        elif report_request.pk in own:
            received.append((report_request, own[report_request.pk]))
    ctx = {
        "sent": sent,
        "received": received,
        "can_send": province is not None and membership.acts_for_province(province),
        "today": today,
    }
    return render(request, "province/requests/list.html", ctx)


def services_standing(report_request, first_answered_at, today):
    from partrack.province.models import standing

    return standing(
        report_request.due_date,
        first_answered_at,
        today=today,
        cancelled=report_request.is_cancelled,
    )


@login_required
def request_new(request):
    """Sở Nội vụ sends a request to the province's agencies."""
    membership = Membership.of(request.user)
    if membership is None or not membership.acts_for_province(membership.agency):
        raise PermissionDenied
    province = membership.agency
    addressable = services.addressable_agencies(province)
    form = RequestForm(request.POST or None, request.FILES or None, addressable=addressable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_request(
                province=province,
                by=request.user,
                topic=data["topic"],
                outline=data["outline"],
                due_date=data["due_date"],
                to_all=data["to_all"],
                agencies=list(data["agencies"]),
                template=data["template"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã gửi yêu cầu tới các cơ quan."))
            return redirect(created)
    if request.method == "POST" and request.FILES:
        messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp khi gửi."))
    return render(request, "province/requests/new.html", {"form": form, "province": province})


class Row:
    """One agency's line on the board."""

    def __init__(self, slot, today):
        self.slot = slot
        self.name = slot.agency.name
        self.state = slot.standing(today)
        self.answer = slot.answer


def board_rows(report_request, today, sort):
    slots = list(RequestRecipient.objects.for_board().filter(request=report_request))
    for slot in slots:
        slot.request = report_request  # no query per row for the due date
    rows = [Row(slot, today) for slot in slots]
    return sorted(rows, key=SORTS.get(sort, SORTS["tinh-trang"]))


@login_required
def request_detail(request, request_id):
    """One request: what is asked; for the province, every agency's standing and answer; for an
    addressed agency, its own answer and the form to give or replace it."""
    today = timezone.localdate()
    report_request, access = get_request_for(request.user, request_id)
    ctx = {"req": report_request, "access": access, "today": today}
    if access.reads_board:
        sort = request.GET.get("sap-xep", "tinh-trang")
        sort = sort if sort in SORTS else "tinh-trang"
        rows = board_rows(report_request, today, sort)
        ctx.update(
            rows=rows,
            sort=sort,
            tally=Counter(row.state.code for row in rows),
            events=RequestEvent.objects.filter(request=report_request).select_related(
                "by", "agency"
            ),
        )
        if access.can_manage and not report_request.is_cancelled:
            ctx["due_form"] = DueDateForm(initial={"due_date": report_request.due_date})
            ctx["cancel_form"] = CancelForm()
    if access.slot is not None:
        slot = access.slot
        slot.request = report_request
        ctx["state"] = slot.standing(today)
        ctx["own_answers"] = RequestAnswer.objects.filter(
            request=report_request, agency_id=slot.agency_id
        ).select_related("answered_by", "report__period__plan")
        if access.can_answer:
            ctx["answer_form"] = AnswerForm(reports=services.issued_reports(slot.agency_id))
    return render(request, "province/requests/detail.html", ctx)


@login_required
@require_POST
def request_due_date(request, request_id):
    report_request, access = get_request_for(request.user, request_id)
    if not access.can_manage:
        raise PermissionDenied
    form = DueDateForm(request.POST)
    if form.is_valid():
        try:
            services.change_due_date(
                request=report_request,
                by=request.user,
                due_date=form.cleaned_data["due_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã đổi hạn trả lời."))
            return redirect(report_request)
    return _detail_with_errors(request, report_request, access, due_form=form)


@login_required
@require_POST
def request_cancel(request, request_id):
    report_request, access = get_request_for(request.user, request_id)
    if not access.can_manage:
        raise PermissionDenied
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_request(
                request=report_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã hủy yêu cầu."))
            return redirect(report_request)
    return _detail_with_errors(request, report_request, access, cancel_form=form)


@login_required
@require_POST
def request_answer(request, request_id):
    report_request, access = get_request_for(request.user, request_id)
    if not access.can_answer:
        raise PermissionDenied
    slot = access.slot
    form = AnswerForm(request.POST, request.FILES, reports=services.issued_reports(slot.agency_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_request(
                request=report_request,
                agency=slot.agency,
                by=request.user,
                kind=data["kind"],
                file=data["file"],
                number_symbol=data["number_symbol"],
                issued_on=data["issued_on"],
                note=data["note"],
                report=data["report"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã gửi trả lời tới Sở Nội vụ."))
            return redirect(report_request)
    if request.FILES:
        messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp khi gửi."))
    return _detail_with_errors(request, report_request, access, answer_form=form)


def _detail_with_errors(request, report_request, access, **forms):
    """The request's page again with the refused form as typed, answered 400."""
    today = timezone.localdate()
    ctx = {"req": report_request, "access": access, "today": today}
    if access.reads_board:
        rows = board_rows(report_request, today, "tinh-trang")
        ctx.update(
            rows=rows,
            sort="tinh-trang",
            tally=Counter(row.state.code for row in rows),
            events=RequestEvent.objects.filter(request=report_request).select_related(
                "by", "agency"
            ),
            due_form=DueDateForm(initial={"due_date": report_request.due_date}),
            cancel_form=CancelForm(),
        )
    if access.slot is not None:
        access.slot.request = report_request
        ctx["state"] = access.slot.standing(today)
        ctx["own_answers"] = RequestAnswer.objects.filter(
            request=report_request, agency_id=access.slot.agency_id
        ).select_related("answered_by", "report__period__plan")
    ctx.update(forms)
    return render(request, "province/requests/detail.html", ctx, status=400)


@login_required
def request_template(request, request_id):
    report_request, _access = get_request_for(request.user, request_id)
    if not report_request.template:
        raise Http404("No template")
    return file_response(
        report_request.template,
        report_request.template_download_name,
        report_request.template_content_type,
    )


@login_required
def answer_file(request, request_id, answer_id):
    """An answer's document, or the issued report's file it points at."""
    _request, answer = get_answer_for(request.user, request_id, answer_id)
    if answer.file:
        return file_response(answer.file, answer.download_name, answer.content_type)
    if answer.report_id:
        issued = (
            ReportFile.objects.filter(report_id=answer.report_id, issued=True)
            .select_related("report__period__plan__agency")
            .order_by("-version", "kind")
            .first()
        )
        if issued is not None:
            return file_response(issued.file, issued.download_name(), issued.content_type)
    raise Http404("No file")


@login_required
def request_xlsx(request, request_id):
    """The board as an XLSX: one row per agency, in the board's order."""
    today = timezone.localdate()
    report_request, access = get_request_for(request.user, request_id)
    if not access.reads_board:
        raise Http404("No such request")
    sort = request.GET.get("sap-xep", "tinh-trang")
    rows = board_rows(report_request, today, sort if sort in SORTS else "tinh-trang")
    return FileResponse(
        BytesIO(board_xlsx(report_request, rows, today)),
        as_attachment=True,
        filename=f"yeu-cau-{report_request.pk}-tinh-hinh-tra-loi.xlsx",
        content_type=XLSX_TYPE,
    )


def board_xlsx(report_request, rows, today):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tình hình trả lời"))
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, report_request.topic, font=bold)])
    sheet.append(
        [
            xlsx_cell(
                sheet,
                _("Hạn trả lời: %(due)s — số liệu ngày %(today)s")
                % {"due": f"{report_request.due_date:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"},
            )
        ]
    )
    headers = [
        _("STT"),
        _("Cơ quan"),
        _("Tình trạng"),
        _("Ngày trả lời"),
        _("Số ngày chậm / quá hạn"),
        _("Văn bản trả lời"),
        _("Ghi chú"),
    ]
    sheet.append([xlsx_cell(sheet, h, font=bold) for h in headers])
    for number, row in enumerate(rows, start=1):
        answer = row.answer
        sheet.append(
            [
                xlsx_cell(sheet, number),
                xlsx_cell(sheet, row.name),
                xlsx_cell(sheet, row.state.label),
                xlsx_cell(sheet, row.state.answered_on or "", number_format="DD/MM/YYYY"),
                xlsx_cell(sheet, row.state.days or ""),
                xlsx_cell(sheet, answer.citation() if answer else ""),
                xlsx_cell(sheet, answer.note if answer else ""),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
