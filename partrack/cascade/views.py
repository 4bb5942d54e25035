from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.cascade import services
from partrack.cascade.access import (
    get_plan_to_link_for,
    get_province_for_report,
    get_province_task_for,
    get_task_to_link_for,
)
from partrack.cascade.forms import LinkForm, ProvinceReportForm
from partrack.cascade.report import headers, province_report, province_report_docx, table_rows

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def province_task(request, task_id):
    """A province task with its agencies' linked tasks and their progress rolled up."""
    task, agency_id = get_province_task_for(request.user, task_id)
    today = timezone.localdate()
    rows, total = services.rollup(task, today, agency_id)
    linked = list(
        services.linked_tasks(task, agency_id)
        .select_related("plan__agency", "area")
        .with_state(today)
        .order_by("plan__agency__name", "area__order", "order", "pk")
    )
    ctx = {
        "task": task,
        "plan": task.plan,
        "rows": rows,
        "total": total,
        "linked": linked,
        "lead_agencies": list(task.lead_agencies.all()),
        "coordinating_agencies": list(task.coordinating_agencies.all()),
        "own_agency_only": agency_id is not None,
    }
    return render(request, "cascade/province_task.html", ctx)


@login_required
def task_link(request, task_id):
    """The office picks the province task its agency's task carries out."""
    task = get_task_to_link_for(request.user, task_id)
    choices = services.province_tasks_for(task)
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"province_task": task.carries_out_id},
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                services.link_task(
                    task=task, province_task=form.cleaned_data["province_task"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Đã lưu nhiệm vụ của tỉnh mà nhiệm vụ này thực hiện."))
                return redirect(task)
    ctx = {"task": task, "plan": task.plan, "form": form, "has_choices": choices.exists()}
    return render(request, "cascade/task_link.html", ctx, status=status)


@login_required
def plan_links(request, plan_id):
    """Every task of the agency's plan with the province task it carries out: the office links
    them all at once, after the import."""
    plan = get_plan_to_link_for(request.user, plan_id)
    tasks = list(plan.tasks.select_related("area").order_by("area__order", "order", "number"))
    choices = list(services.province_tasks_for_plan(plan))
    if request.method == "POST":
        by_pk = {str(choice.pk): choice for choice in choices}
        wanted = {}
        for task in tasks:
            raw = request.POST.get(f"task-{task.pk}")
            if raw is None:
                continue
            if raw and raw not in by_pk:
                messages.error(request, _("Nhiệm vụ của tỉnh đã chọn không hợp lệ."))
                return redirect("plan_links", plan.pk)
            wanted[task] = by_pk.get(raw)
        changed = 0
        for task, target in wanted.items():
            if (target.pk if target else None) != task.carries_out_id:
                services.link_task(task=task, province_task=target, by=request.user)
                changed += 1
        messages.success(request, _("Đã lưu %(n)s thay đổi.") % {"n": changed})
        return redirect("plan_links", plan.pk)
    ctx = {"plan": plan, "tasks": tasks, "choices": choices}
    return render(request, "cascade/plan_links.html", ctx)


@login_required
def province_report_page(request):
    """Sở Nội vụ's consolidated report for a period: figures on the page, DOCX to download."""
    province = get_province_for_report(request.user)
    today = timezone.localdate()
    form = ProvinceReportForm(request.GET or {"year": today.year, "kind": "q1"})
    report = None
    if form.is_valid():
        report = province_report(
            province, year=form.cleaned_data["year"], kind=form.cleaned_data["kind"], today=today
        )
        if request.GET.get("tai") == "docx":
            response = HttpResponse(province_report_docx(report), content_type=DOCX_TYPE)
            name = f"bao-cao-cchc-tinh-{report.kind}-{report.year}.docx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    ctx = {
        "province": province,
        "form": form,
        "report": report,
        "headers": headers(),
        "overall": table_rows(report) if report else [],
        "by_area": [(area, table_rows(report, area[0])) for area in report.areas] if report else [],
    }
    return render(request, "cascade/province_report.html", ctx, status=200 if report else 400)
