"""The consolidated report's way up the chain, on its page: send to leaders, approve or return,
issue, upload the signed PDF, send to the recipients (reporting/approval.py, dispatch.py).

Who does what: the office (Membership.coordinates) sends, issues, uploads and sends out; the
leaders it picked (Membership.directs, and among the report's approvers) approve or return.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partrack.forms import StyledForm, VietnameseDateField
from partrack.org.models import Membership
from partrack.reporting import approval, consolidation, dispatch, retention
from partrack.reporting.access import get_consolidated_report_for
from partrack.reporting.models import ConsolidatedReport, SignedReport

Status = ConsolidatedReport.Status


class SubmitForm(StyledForm):
    approvers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Trình lãnh đạo"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một lãnh đạo.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Lời trình (không bắt buộc)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approvers"].queryset = leaders
        self.fields["approvers"].label_from_instance = label_of_leader


def label_of_leader(user):
    title = user.membership.title
    name = approval.name_of(user)
    return f"{name} — {title}" if title else name


class DecisionForm(StyledForm):
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến của lãnh đạo"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IssueForm(StyledForm):
    symbol = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=50)
    issued_on = VietnameseDateField(label=gettext_lazy("Ngày ban hành"))


class SignedForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Bản PDF đã ký số"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def workflow_context(request, period, report, can_edit):
    """What the report page shows of the report's way up the chain, for this person."""
    membership = Membership.of(request.user)
    agency_id = period.plan.agency_id
    ctx = {"workflow": report is not None, "text_locked": bool(report and report.text_locked)}
    if report is None:
        ctx["can_submit"] = can_edit
        if can_edit:
            ctx["leaders"] = [
                (user, label_of_leader(user)) for user in approval.leaders_of(agency_id)
            ]
            ctx["submit_form"] = SubmitForm(leaders=approval.leaders_of(agency_id))
        return ctx
    steps = list(report.steps.select_related("by"))
    approvers = list(report.approvers.all()) if report.status == Status.PENDING else []
    directs = membership is not None and membership.directs(agency_id)
    ctx.update(
        steps=steps,
        approvers=approvers,
        can_decide=report.status == Status.PENDING
        and directs
        and any(user.pk == request.user.pk for user in approvers),
        can_submit=can_edit and report.status in (Status.DRAFT, Status.RETURNED),
        can_issue=can_edit and report.status == Status.APPROVED,
        signed=next(iter(report.signed_files.select_related("uploaded_by")[:1]), None)
        if report.is_issued
        else None,
        can_upload=can_edit and report.status == Status.ISSUED,
        returned_comment=next(
            (s.comment for s in reversed(steps) if s.action == s.Action.RETURNED), ""
        )
        if report.status == Status.RETURNED
        else "",
    )
    if ctx["can_submit"]:
        # The leaders once, as a list: the form's own field would read them twice.
        ctx["leaders"] = [(user, label_of_leader(user)) for user in approval.leaders_of(agency_id)]
        ctx["submit_form"] = SubmitForm(leaders=approval.leaders_of(agency_id))
    if ctx["can_decide"]:
        ctx["decision_form"] = DecisionForm()
    if ctx["can_issue"]:
        ctx["issue_form"] = IssueForm(
            initial={"symbol": report.symbol, "issued_on": report.issued_on}
        )
    if ctx["can_upload"]:
        ctx["signed_form"] = SignedForm()
    if can_edit and report.status == Status.ISSUED and ctx["signed"] is not None:
        recipients = dispatch.recipients_of(report)
        addresses = dispatch.last_addresses(report, [r.line for r in recipients if r.by_email])
        ctx["send_rows"] = [
            (index, recipient, addresses.get(recipient.line, ""))
            for index, recipient in enumerate(recipients)
        ]
    if report.status == Status.SENT:
        ctx["deliveries"] = list(
            report.deliveries.select_related("agency", "unit", "email", "received_by")
        )
    return ctx


def office_report(request, period_id):
    period, report, can_edit = get_consolidated_report_for(request.user, period_id)
    if not can_edit:
        raise PermissionDenied
    if report is None:
        raise Http404("No report yet")
    return period, report


def wrong_step(request, report):
    messages.error(
        request,
        _("Báo cáo vừa được người khác xử lý; hãy xem trạng thái mới nhất rồi thao tác lại."),
    )
    return redirect(report.get_absolute_url() + "#approval")


def errors_of(error):
    return " ".join(message for messages_ in error.message_dict.values() for message in messages_)


@login_required
@require_POST
def submit(request, period_id):
    period, report, can_edit = get_consolidated_report_for(request.user, period_id)
    if not can_edit:
        raise PermissionDenied
    if report is None:
        report = consolidation.start_consolidated_report(period=period, by=request.user)
    form = SubmitForm(request.POST, leaders=approval.leaders_of(period.plan.agency_id))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(report.get_absolute_url() + "#approval")
    try:
        approval.submit_for_approval(
            report=report,
            by=request.user,
            approvers=list(form.cleaned_data["approvers"]),
            comment=form.cleaned_data["comment"].strip(),
        )
    except approval.WrongStep:
        return wrong_step(request, report)
    except ValidationError as error:
        messages.error(request, errors_of(error))
        return redirect(report.get_absolute_url() + "#approval")
    messages.success(request, _("Đã trình lãnh đạo duyệt báo cáo."))
    return redirect(report.get_absolute_url() + "#approval")


@login_required
@require_POST
def decide(request, period_id):
    """A leader the office asked approves, or returns with a comment."""
    period, report, _can_edit = get_consolidated_report_for(request.user, period_id)
    membership = Membership.of(request.user)
    if report is None or membership is None or not membership.directs(period.plan.agency_id):
        raise PermissionDenied
    if not report.approvers.filter(pk=request.user.pk).exists():
        raise PermissionDenied
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "").strip()
    try:
        if request.POST.get("decision") == "approve":
            approval.approve(report=report, by=request.user, comment=comment)
            messages.success(request, _("Đã duyệt báo cáo; Văn phòng được báo để ban hành."))
        elif request.POST.get("decision") == "return":
            approval.return_for_changes(report=report, by=request.user, comment=comment)
            messages.success(request, _("Đã trả lại báo cáo cho Văn phòng kèm ý kiến."))
        else:
            raise Http404("No such decision")
    except approval.WrongStep:
        return wrong_step(request, report)
    except ValidationError as error:
        messages.error(request, errors_of(error))
    return redirect(report.get_absolute_url() + "#approval")


@login_required
@require_POST
def issue(request, period_id):
    """The office gives the approved report its number and date, and keeps its files for good."""
    period, report = office_report(request, period_id)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(report.get_absolute_url() + "#approval")
    try:
        approval.issue(
            report=report,
            by=request.user,
            symbol=form.cleaned_data["symbol"],
            issued_on=form.cleaned_data["issued_on"],
        )
    except approval.WrongStep:
        return wrong_step(request, report)
    except ValidationError as error:
        messages.error(request, errors_of(error))
        return redirect(report.get_absolute_url() + "#approval")
    # The files of the issued text carry its number; that version is kept whatever the retention.
    files = consolidation.produce_report_files(report=report, by=request.user)
    retention.mark_issued(report=report, version=files[0].version, issued=True)
    messages.success(
        request,
        _("Đã ban hành báo cáo số %(symbol)s; phiên bản %(version)s mang số và ngày ban hành.")
        % {"symbol": report.symbol, "version": files[0].version},
    )
    return redirect(report.get_absolute_url() + "#approval")


@login_required
@require_POST
def upload_signed(request, period_id):
    period, report = office_report(request, period_id)
    form = SignedForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp PDF đã ký số."))
        return redirect(report.get_absolute_url() + "#signed")
    upload = form.cleaned_data["file"]
    if upload.size > approval.MAX_SIGNED_BYTES:
        messages.error(request, _("Tệp quá lớn (tối đa 30 MB)."))
        return redirect(report.get_absolute_url() + "#signed")
    try:
        approval.upload_signed(report=report, by=request.user, data=upload.read(), name=upload.name)
    except approval.WrongStep:
        return wrong_step(request, report)
    except approval.SignatureRefused as refused:
        messages.error(
            request,
            _("Không nhận tệp “%(name)s”: %(reason)s Báo cáo vẫn giữ nguyên như trước.")
            % {"name": upload.name, "reason": refused.message},
        )
        return redirect(report.get_absolute_url() + "#signed")
    messages.success(request, _("Đã nhận bản ký số: mọi chữ ký trong tệp còn nguyên vẹn."))
    return redirect(report.get_absolute_url() + "#signed")


@login_required
@require_POST
def send(request, period_id):
    period, report = office_report(request, period_id)
    recipients = dispatch.recipients_of(report)
    addresses = {
        recipient.line: request.POST.get(f"email-{index}", "")
        for index, recipient in enumerate(recipients)
    }
    try:
        deliveries = dispatch.send_report(report=report, by=request.user, addresses=addresses)
    except dispatch.NotReady:
        return wrong_step(request, report)
    except ValidationError as error:
        messages.error(request, errors_of(error))
        return redirect(report.get_absolute_url() + "#send")
    messages.success(
        request,
        _("Đã gửi báo cáo đến %(count)s nơi nhận.") % {"count": len(deliveries)},
    )
    return redirect(report.get_absolute_url() + "#send")


@login_required
def signed_download(request, period_id, signed_id):
    """The signed PDF byte for byte, for everyone who may read the report's period."""
    period, report, _can_edit = get_consolidated_report_for(request.user, period_id)
    signed = SignedReport.objects.filter(pk=signed_id, report=report).first() if report else None
    if signed is None:
        raise Http404("No such file")
    signed.report = report
    return signed_response(signed)


def signed_response(signed):
    response = FileResponse(
        signed.file.open("rb"),
        as_attachment=True,
        filename=signed.download_name(),
        content_type="application/pdf",
    )
    response["ETag"] = f'"{signed.sha256}"'
    return response
