"""Pages of the registers (activities, initiatives, documents) and of the period figures."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partrack.activities import figure_sheet, services
from partrack.activities.access import (
    get_figure_import_for,
    get_plan_registers_for,
    get_record_for,
    reads_drafts,
    units_writable,
    visible_figures,
)
from partrack.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    DocumentForm,
    FigureForm,
    IndicatorForm,
    InitiativeForm,
    SheetUploadForm,
)
from partrack.activities.models import (
    Activity,
    Change,
    Form,
    Indicator,
    Initiative,
    LegalDocument,
    Topic,
    activity_counts,
    figures_with_entries,
    form_summary,
)
from partrack.activities.report import attainment_text, number
from partrack.org.models import Membership
from partrack.pagination import paginate
from partrack.plans.evidence import sniff_file_type
from partrack.reporting.access import get_period_for

# kind → (model, form, the register's title)
REGISTERS = {
    "activity": (Activity, ActivityForm, gettext_lazy("Hoạt động tuyên truyền")),
    "initiative": (Initiative, InitiativeForm, gettext_lazy("Sáng kiến")),
    "document": (LegalDocument, DocumentForm, gettext_lazy("Văn bản QPPL, văn bản hành chính")),
}


def register_context(plan, membership, tab):
    return {
        "plan": plan,
        "tab": tab,
        "can_record": bool(units_writable(membership, plan)),
        "is_office": membership is not None
        and membership.is_coordinator
        and membership.agency_id == plan.agency_id,
    }


def period_window(request, plan):
    """(periods, the chosen period or None, first day, last day) from ?ky=<period id>."""
    periods = list(plan.periods.all())
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("ky")), None)
    if chosen is not None:
        return periods, chosen, chosen.starts_on, chosen.ends_on
    if periods:
        return periods, None, min(p.starts_on for p in periods), max(p.ends_on for p in periods)
    return periods, None, None, None


@login_required
def register_list(request, plan_id, kind):
    """A register's entries, newest first, with the counts of the chosen period."""
    plan, membership = get_plan_registers_for(request.user, plan_id)
    model, _form, title = REGISTERS[kind]
    units = list(plan.agency.units.all())
    periods, chosen, first, last = period_window(request, plan)
    filters = ActivityFilterForm(request.GET or None, periods=periods, units=units)
    records = model.objects.filter(plan=plan).for_listing()
    unit_id = None
    if filters.is_valid():
        unit_id = filters.cleaned_data["don_vi"]
    if unit_id:
        records = records.filter(unit_id=unit_id)
    if first is not None:
        records = records.within(first, last)
    page = paginate(request, records)
    ctx = register_context(plan, membership, kind)
    ctx.update(
        {
            "kind": kind,
            "title": title,
            "page": page,
            "filters": filters,
            "chosen": chosen,
            "first": first,
            "last": last,
            "total": page.paginator.count,
        }
    )
    if kind == "activity" and first is not None:
        # The counts follow the unit filter, as the list does.
        counts = activity_counts(plan.pk, first, last, unit_id=unit_id)
        ctx["counts"] = counts
        ctx["form_rows"] = [(label, counts["forms"][code]) for code, label in Form.choices]
        ctx["topic_rows"] = [(label, counts["topics"][code]) for code, label in Topic.choices]
        ctx["summary"] = form_summary(counts["forms"])
    return render(request, "activities/register_list.html", ctx)


def save_from_form(request, form, record, template_ctx, template="activities/record_form.html"):
    """Validate, save with its evidence, or show the form again with what was typed."""
    if form.is_valid():
        record = form.save(commit=False)
        try:
            services.save_record(record=record, by=request.user, attachment=form.attachment())
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except OSError:
            # The disk refused the file: the transaction rolled back, nothing was recorded.
            form.add_error(
                None,
                _("Không lưu được tệp trên máy chủ; chưa có gì được ghi. Hãy thử lại sau."),
            )
        else:
            messages.success(request, _("Đã lưu."))
            return None
    return render(request, template, {**template_ctx, "form": form}, status=400)


@login_required
def register_add(request, plan_id, kind):
    plan, membership = get_plan_registers_for(request.user, plan_id)
    units = units_writable(membership, plan)
    if not units:
        raise PermissionDenied
    model, form_class, title = REGISTERS[kind]
    ctx = {**register_context(plan, membership, kind), "kind": kind, "title": title}
    record = model(plan=plan)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=record, plan=plan, units=units)
        response = save_from_form(request, form, record, ctx)
        if response is not None:
            return response
        return redirect(f"{kind}_list", plan.pk)
    initial = {"unit": membership.unit_id} if membership.unit_id else {}
    task_id = request.GET.get("nhiem_vu", "")
    if task_id.isdigit():
        initial["task"] = int(task_id)
    form = form_class(instance=record, plan=plan, units=units, initial=initial)
    return render(request, "activities/record_form.html", {**ctx, "form": form})


@login_required
def register_edit(request, kind, record_id):
    record, can_write = get_record_for(request.user, kind, record_id)
    if not can_write:
        raise PermissionDenied
    plan = record.plan
    membership = Membership.of(request.user)
    units = units_writable(membership, plan)
    _model, form_class, title = REGISTERS[kind]
    ctx = {
        **register_context(plan, membership, kind),
        "kind": kind,
        "title": title,
        "record": record,
    }
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=record, plan=plan, units=units)
        response = save_from_form(request, form, record, ctx)
        if response is not None:
            return response
        return redirect(f"{kind}_list", plan.pk)
    form = form_class(instance=record, plan=plan, units=units)
    return render(request, "activities/record_form.html", {**ctx, "form": form})


@login_required
@require_POST
def register_delete(request, kind, record_id):
    record, can_write = get_record_for(request.user, kind, record_id)
    if not can_write:
        raise PermissionDenied
    plan_id = record.plan_id
    services.delete_record(record=record, by=request.user)
    messages.success(request, _("Đã xóa; lịch sử vẫn ghi lại nội dung đã xóa."))
    return redirect(f"{kind}_list", plan_id)


@login_required
def register_file(request, kind, record_id):
    """A register entry's evidence file, only to people who may read its plan."""
    record, _can_write = get_record_for(request.user, kind, record_id)
    if not record.file:
        raise Http404("No file")
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.file_name)


@login_required
def history(request, plan_id):
    """Every write to the registers and figures of the plan, newest first."""
    plan, membership = get_plan_registers_for(request.user, plan_id)
    changes = Change.objects.filter(plan=plan).select_related("author", "unit")
    if not reads_drafts(membership, plan):
        # Above the agency, the history tells no more than the reviewed figures do.
        changes = changes.exclude(record_kind="figure")
    page = paginate(request, changes)
    ctx = {**register_context(plan, membership, "history"), "page": page}
    return render(request, "activities/history.html", ctx)


# Indicators and figures.


@login_required
def indicator_list(request, plan_id):
    """The plan's indicators; the office adds them (or the default set) and edits them."""
    plan, membership = get_plan_registers_for(request.user, plan_id)
    ctx = register_context(plan, membership, "figures")
    form = IndicatorForm(plan=plan, instance=Indicator(plan=plan))
    status = 200
    if request.method == "POST":
        if not ctx["is_office"] or plan.is_archived:
            raise PermissionDenied
        if "defaults" in request.POST:
            added = services.add_default_indicators(plan=plan, by=request.user)
            messages.success(request, _("Đã thêm %(n)s chỉ tiêu.") % {"n": len(added)})
            return redirect("indicator_list", plan.pk)
        form = IndicatorForm(request.POST, plan=plan, instance=Indicator(plan=plan))
        if form.is_valid():
            services.save_indicator(indicator=form.save(commit=False), by=request.user)
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("indicator_list", plan.pk)
        status = 400
    indicators = plan.indicators.select_related("unit", "task", "area")
    ctx.update({"indicators": indicators, "form": form, "periods": plan.periods.all()})
    return render(request, "activities/indicator_list.html", ctx, status=status)


@login_required
def indicator_edit(request, plan_id, indicator_id):
    plan, membership = get_plan_registers_for(request.user, plan_id)
    ctx = register_context(plan, membership, "figures")
    if not ctx["is_office"] or plan.is_archived:
        raise PermissionDenied
    indicator = plan.indicators.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404("No such indicator")
    form = IndicatorForm(request.POST or None, plan=plan, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.save_indicator(indicator=form.save(commit=False), by=request.user)
        messages.success(request, _("Đã lưu chỉ tiêu."))
        return redirect("indicator_list", plan.pk)
    ctx.update({"form": form, "indicator": indicator})
    return render(
        request, "activities/indicator_edit.html", ctx, status=400 if form.errors else 200
    )


def unit_standings(period, rows, today):
    """[(unit, standing, reviewed)] for every unit with indicators: when its figures came."""
    first = defaultdict(list)
    reviewed = defaultdict(list)
    units = {}
    for indicator, figure in rows:
        units[indicator.unit_id] = indicator.unit
        first[indicator.unit_id].append(figure.first_entered_at if figure else None)
        reviewed[indicator.unit_id].append(bool(figure and figure.reviewed_at))
    standings = []
    for unit_id, unit in sorted(units.items(), key=lambda item: (item[1].order, item[1].name)):
        times = first[unit_id]
        # The unit's figures came when its last indicator got its first value.
        came = None if None in times else max(times)
        standings.append((unit, period.report_standing(came, today=today), all(reviewed[unit_id])))
    return standings


@login_required
def figure_period(request, period_id):
    """The period's figures: the table (with target and attainment), a chart and its table
    twin, the form for the figures the person enters, and the office's review per unit."""
    period = get_period_for(request.user, period_id)
    plan = period.plan
    membership = Membership.of(request.user)
    today = timezone.localdate()
    rows = figures_with_entries(plan.pk, period)
    writable = {u.pk for u in units_writable(membership, plan)}
    own = [(i, f) for i, f in rows if i.unit_id in writable]
    form = FigureForm(request.POST or None, rows=own)
    if request.method == "POST":
        if not own:
            raise PermissionDenied
        if form.is_valid():
            written = services.set_figures(period=period, values=form.values(), by=request.user)
            messages.success(request, _("Đã lưu %(n)s số liệu.") % {"n": len(written)})
            return redirect("figure_period", period.pk)
    shown = visible_figures(rows, membership, plan)
    lines = []
    for indicator, figure in shown:
        value = None if figure is None else figure.value
        percent, met = indicator.attainment(value)
        lines.append(
            {
                "indicator": indicator,
                "figure": figure,
                "value": number(value),
                "target": number(indicator.target),
                "attainment": attainment_text(indicator, value),
                "percent": float(percent) if percent is not None else None,
                "met": met,
            }
        )
    chart = [
        {"code": line["indicator"].code, "percent": line["percent"]}
        for line in lines
        if line["percent"] is not None
    ]
    ctx = register_context(plan, membership, "figures")
    ctx.update(
        {
            "period": period,
            "periods": plan.periods.all(),
            "lines": lines,
            "chart": {
                "labels": [c["code"] for c in chart],
                "percent": [c["percent"] for c in chart],
            },
            "form": form if own else None,
            "standings": unit_standings(period, rows, today)
            if reads_drafts(membership, plan)
            else [],
            "upload": SheetUploadForm() if own else None,
        }
    )
    return render(request, "activities/figure_period.html", ctx, status=400 if form.errors else 200)


@login_required
@require_POST
def figure_review(request, period_id, unit_id):
    """The office marks a unit's figures of the period reviewed (with its unit report)."""
    period = get_period_for(request.user, period_id)
    if not Membership.coordinates(request.user, period.plan.agency_id):
        raise PermissionDenied
    unit = period.plan.agency.units.filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such unit")
    count = services.review_figures(period=period, unit=unit, by=request.user)
    messages.success(
        request, _("Đã xem xét %(n)s số liệu của %(unit)s.") % {"n": count, "unit": unit.name}
    )
    return redirect("figure_period", period.pk)


@login_required
def figure_template(request, period_id):
    """The sheet to fill: the person's own indicators (the office's: every indicator)."""
    period = get_period_for(request.user, period_id)
    plan = period.plan
    writable = {u.pk for u in units_writable(Membership.of(request.user), plan)}
    if not writable:
        raise PermissionDenied
    rows = [(i, f) for i, f in figures_with_entries(plan.pk, period) if i.unit_id in writable]
    content = figure_sheet.template_xlsx(period, rows, plan.agency.name)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"so-lieu-chi-tieu-{period.kind}-{plan.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def figure_upload(request, period_id):
    """Read a filled sheet; nothing is written until the uploader confirms what was read."""
    period = get_period_for(request.user, period_id)
    plan = period.plan
    membership = Membership.of(request.user)
    writable = {u.pk for u in units_writable(membership, plan)}
    if not writable:
        raise PermissionDenied
    form = SheetUploadForm(request.POST, request.FILES)
    errors = []
    if not form.is_valid():
        errors = [_("Hãy chọn tệp .xlsx đã điền.")]
    else:
        upload = form.cleaned_data["file"]
        limit = settings.PARTRACK_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            errors = [_("Tệp vượt quá %(n)s MB.") % {"n": limit}]
        elif sniff_file_type(upload) != "xlsx":
            errors = [_("Tệp không phải bảng tính Excel (.xlsx).")]
        else:
            indicators = {i.code: i for i in plan.indicators.select_related("unit")}
            try:
                rows = figure_sheet.read_sheet(upload, period, indicators, writable)
            except figure_sheet.SheetRefused as refusal:
                errors = refusal.errors
            else:
                staged = services.stage_import(
                    period=period,
                    unit=membership.unit,
                    rows=rows,
                    file_name=upload.name,
                    by=request.user,
                )
                return redirect("figure_import_review", staged.pk)
    for error in errors:
        messages.error(request, error)
    return redirect("figure_period", period.pk)


@login_required
def figure_import_review(request, import_id):
    """What the sheet said, beside the figures it replaces; confirm writes them."""
    staged = get_figure_import_for(request.user, import_id)
    period = staged.period
    plan = period.plan
    membership = Membership.of(request.user)
    if request.method == "POST":
        if membership is None:
            raise PermissionDenied
        if staged.confirmed_at is None:
            try:
                written = services.confirm_import(
                    staged=staged, by=request.user, membership=membership
                )
            except services.ImportAlreadyConfirmed:
                written = None
            if written is not None:
                messages.success(request, _("Đã nhập %(n)s số liệu từ tệp.") % {"n": len(written)})
        return redirect("figure_period", period.pk)
    current = {i.pk: (i, f) for i, f in figures_with_entries(plan.pk, period)}
    lines = []
    for row in staged.rows:
        indicator, figure = current.get(row["indicator"], (None, None))
        if indicator is not None:
            lines.append(
                {
                    "indicator": indicator,
                    "old": number(figure.value) if figure else "",
                    "new": number(Decimal(row["value"])),
                    "note": row.get("note", ""),
                }
            )
    ctx = register_context(plan, membership, "figures")
    ctx.update({"staged": staged, "period": period, "lines": lines})
    return render(request, "activities/figure_import.html", ctx)
