"""The consolidated report of a period: read it, edit its text, produce its files, download them.

The office (coordinator of the agency) edits and produces; everyone else who may read the plan
reads and downloads.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from partrack.documents import libreoffice
from partrack.forms import StyledForm, VietnameseDateField
from partrack.reporting import assembly, consolidation, retention
from partrack.reporting.access import (
    get_consolidated_report_for,
    get_period_for,
    issued_files_for,
    reads_drafts,
)
from partrack.reporting.approval_views import workflow_context
from partrack.reporting.models import ConsolidatedReport, ReportFile

MAX_SECTION_CHARS = 200_000


class NarrativeForm(StyledForm):
    """The report's number, date and one text box per section of its narrative."""

    symbol = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=50, required=False)
    issued_on = VietnameseDateField(label=gettext_lazy("Ngày báo cáo"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            lines = section.text.count("\n") + 2
            self.fields[f"text_{section.key}"] = forms.CharField(
                label=section.heading,
                required=False,
                max_length=MAX_SECTION_CHARS,
                strip=False,
                widget=forms.Textarea(
                    attrs={"rows": max(3, min(lines, 16)), "class": "form-control"}
                ),
            )

    def text_fields(self):
        return [self[f"text_{section.key}"] for section in self.sections]

    def narrative(self):
        return {
            section.key: self.cleaned_data[f"text_{section.key}"].replace("\r\n", "\n").strip()
            for section in self.sections
        }


def initial_of(report, data):
    initial = {f"text_{section.key}": section.text for section in data.sections()}
    initial["symbol"] = data.symbol
    initial["issued_on"] = data.issued_on
    # Version 0: nothing saved yet; the page shows the draft straight from the data.
    initial["version"] = report.version if report else 0
    return initial


def data_for(period, report):
    if report is None:
        return assembly.assemble(period)
    return assembly.report_data(report)


@login_required
def consolidated_report(request, period_id):
    period, report, can_edit = get_consolidated_report_for(request.user, period_id)
    if not reads_drafts(request.user, period.plan.agency_id):
        # The province reads what the agency issued, never the draft being written.
        if report is not None:
            report.period = period
        files = list(issued_files_for(request.user, report)) if report else []
        for record in files:
            record.report = report
        ctx = {"period": period, "plan": period.plan, "report": report, "files": files}
        return render(request, "reporting/consolidated/issued.html", ctx)
    data = data_for(period, report)
    form = None
    if can_edit and not (report and report.text_locked):
        form = NarrativeForm(initial=initial_of(report, data), sections=data.sections())
    return render_page(request, period, report, data, can_edit=can_edit, form=form)


def render_page(request, period, report, data, *, can_edit, form, status=200):
    files = list(report.files.select_related("created_by")) if report else []
    versions = {}
    for record in files:
        record.report = report  # the download links need the report's period, already here
        versions.setdefault(record.version, []).append(record)
    latest = files[0].version if files else None
    latest_pdf = next((f for f in versions.get(latest, []) if f.kind == ReportFile.Kind.PDF), None)
    ctx = {
        "period": period,
        "plan": period.plan,
        "report": report,
        "data": data,
        "can_edit": can_edit,
        "form": form,
        "versions": sorted(versions.items(), reverse=True),
        "latest_pdf": latest_pdf,
        "can_convert": libreoffice.program() is not None,
        "kept_versions": retention.kept_versions(),
        **workflow_context(request, period, report, can_edit),
    }
    return render(request, "reporting/consolidated/report.html", ctx, status=status)


def editable_report(request, period_id):
    period, report, can_edit = get_consolidated_report_for(request.user, period_id)
    if not can_edit:
        raise PermissionDenied
    return period, report


class TextLocked(Exception):
    pass


def text_editable_report(request, period_id):
    """The office's report whose text may still change: an issued one's may not."""
    period, report = editable_report(request, period_id)
    if report is not None and report.text_locked:
        raise TextLocked(report)
    return period, report


def refuse_locked(request, report):
    messages.error(
        request,
        _("Báo cáo đã ban hành: nội dung là văn bản đã ký nên không sửa được nữa."),
    )
    return redirect(report)


def reopened_message(request, was):
    if was in (ConsolidatedReport.Status.PENDING, ConsolidatedReport.Status.APPROVED):
        messages.warning(
            request,
            _(
                "Nội dung đã sửa sau khi trình lãnh đạo: việc trình/duyệt trước không còn giá "
                "trị, báo cáo trở về dự thảo; hãy trình duyệt lại."
            ),
        )


@login_required
@require_POST
def consolidated_report_save(request, period_id):
    return save_edits(request, period_id, then_produce="produce" in request.POST)


def save_edits(request, period_id, *, then_produce):
    """Save the posted text; then, if asked, produce the files from it."""
    try:
        period, report = text_editable_report(request, period_id)
    except TextLocked as locked:
        return refuse_locked(request, locked.args[0])
    was = report.status if report else None
    data = data_for(period, report)
    form = NarrativeForm(request.POST, sections=data.sections())
    if not form.is_valid():
        return render_page(request, period, report, data, can_edit=True, form=form, status=400)
    expected = form.cleaned_data["version"]
    if report is None:
        report = consolidation.start_consolidated_report(period=period, by=request.user)
    # Version 0 was the unsaved draft: it is still what the report holds while nobody saved.
    if expected == 0 and report.version == 1:
        expected = 1
    try:
        consolidation.save_consolidated_report(
            report=report,
            narrative=form.narrative(),
            symbol=form.cleaned_data["symbol"].strip(),
            issued_on=form.cleaned_data["issued_on"],
            by=request.user,
            expected_version=expected,
        )
    except consolidation.StaleConsolidatedReport:
        report.refresh_from_db()
        messages.error(
            request,
            _(
                "Báo cáo vừa được người khác lưu trong lúc bạn sửa. "
                "Nội dung bạn nhập vẫn còn bên dưới: hãy xem lại rồi lưu lại."
            ),
        )
        form = NarrativeForm(
            {**request.POST.dict(), "version": report.version}, sections=data.sections()
        )
        form.is_valid()
        data = assembly.report_data(report)
        return render_page(request, period, report, data, can_edit=True, form=form, status=409)
    reopened_message(request, was)
    if then_produce:
        return produce(request, report)
    messages.success(request, _("Đã lưu nội dung báo cáo."))
    return redirect(report)


@login_required
@require_POST
def consolidated_report_redraft(request, period_id):
    try:
        period, report = text_editable_report(request, period_id)
    except TextLocked as locked:
        return refuse_locked(request, locked.args[0])
    if report is None:
        report = consolidation.start_consolidated_report(period=period, by=request.user)
        messages.success(request, _("Đã soạn lại nội dung từ số liệu."))
        return redirect(report)
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = -1
    was = report.status
    try:
        consolidation.redraft_consolidated_report(
            report=report, by=request.user, expected_version=expected
        )
    except consolidation.StaleConsolidatedReport:
        messages.error(
            request,
            _("Báo cáo vừa được người khác lưu; hãy xem nội dung mới trước khi soạn lại."),
        )
        return redirect(report)
    reopened_message(request, was)
    messages.success(request, _("Đã soạn lại nội dung từ số liệu."))
    return redirect(report)


@login_required
@require_POST
def consolidated_report_produce(request, period_id):
    """Produce files from the saved content; a post carrying edits saves them first."""
    if "version" in request.POST:
        return save_edits(request, period_id, then_produce=True)
    period, report = editable_report(request, period_id)
    if report is None:
        report = consolidation.start_consolidated_report(period=period, by=request.user)
    return produce(request, report)


def produce(request, report):
    files = consolidation.produce_report_files(report=report, by=request.user)
    messages.success(
        request, _("Đã tạo phiên bản %(version)s của báo cáo.") % {"version": files[0].version}
    )
    return redirect(report)


@login_required
@require_POST
def consolidated_report_issue(request, period_id, version):
    """The office marks a version as issued (kept for good), or takes the mark off."""
    _period, report = editable_report(request, period_id)
    if report is None:
        raise Http404("No report yet")
    issued = request.POST.get("issued") == "1"
    try:
        retention.mark_issued(report=report, version=version, issued=issued)
    except retention.NoSuchVersion:
        raise Http404("No such version") from None
    if issued:
        message = _("Đã đánh dấu phiên bản %(version)s là bản đã ban hành; bản này luôn được giữ.")
    else:
        message = _("Đã bỏ đánh dấu ban hành của phiên bản %(version)s.")
    messages.success(request, message % {"version": version})
    return redirect(report)


@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})  # the report page shows the PDF preview in a frame
def report_file_download(request, period_id, file_id):
    """The stored file, byte for byte as it was produced; a PDF may open in the page."""
    period = get_period_for(request.user, period_id)
    records = ReportFile.objects.select_related("report").filter(pk=file_id, report__period=period)
    if not reads_drafts(request.user, period.plan.agency_id):
        records = records.filter(issued=True)  # the province downloads issued versions only
    record = records.first()
    if record is None:
        raise Http404("No such file")
    record.report.period = period
    inline = record.kind == ReportFile.Kind.PDF and request.GET.get("xem") == "1"
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=not inline,
        filename=record.download_name(),
        content_type=record.content_type,
    )
    response["ETag"] = f'"{record.sha256}"'
    return response
