from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack.org.models import Membership
from partrack.plans import services
from partrack.plans.access import get_evidence_for, get_plan_for, get_task_for
from partrack.plans.forms import AssignForm, ContributionForm, ProgressForm, TaskFilterForm
from partrack.plans.links import task_links
from partrack.plans.models import Plan, ReportingPeriod, Task


def paginate(request, queryset, param="page"):
    return Paginator(queryset, settings.PARTRACK_PAGE_SIZE).get_page(request.GET.get(param))


@login_required
def home(request):
    plans = list(Plan.objects.visible_to(request.user).order_by("-year", "agency__name"))
    if len(plans) == 1:
        return redirect("plan_overview", plans[0].pk)
    return render(request, "plans/home.html", {"plans": plans})


@login_required
def plan_detail(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    today = timezone.localdate()
    units = plan.agency.units.all()
    areas = plan.areas.all()
    filters = TaskFilterForm(request.GET, units=units, areas=areas)
    tasks = filters.filter(plan.tasks.for_listing().with_state(today), today)
    period = plan.periods.current(today)
    if period is not None:
        tasks = tasks.reported_since(period.news_since())
    page = paginate(request, tasks)
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "filters": filters, "page": page, "period": period},
    )


@login_required
def task_detail(request, task_id):
    task, access = get_task_for(request.user, task_id)
    return render_task(request, task, access)


def render_task(
    request,
    task,
    access,
    *,
    progress_form=None,
    contribution_form=None,
    assign_form=None,
    status=200,
):
    if access.can_update and progress_form is None:
        progress_form = ProgressForm(
            initial={
                "status": task.status,
                "percent": task.percent,
                "done_on": task.done_on,
                "version": task.version,
            },
            contributions=task.updates.contributions(),
        )
    if access.can_contribute and contribution_form is None:
        contribution_form = ContributionForm()
    if access.can_assign and assign_form is None:
        assign_form = AssignForm(
            initial={
                "lead_units": list(task.lead_units.all()),
                "due_date": task.due_date,
                "version": task.version,
            },
            units=task.plan.agency.units.all(),
        )
    ctx = {
        "task": task,
        "plan": task.plan,
        "state": task.state(timezone.localdate()),
        "access": access,
        "progress_form": progress_form,
        "contribution_form": contribution_form,
        "assign_form": assign_form,
        "history": paginate(request, task.updates.for_history()),
        "evidence": task.evidence.select_related("unit"),
        "links": task_links(task),
    }
    return render(request, "plans/task_detail.html", ctx, status=status)


@login_required
@require_POST
def task_progress(request, task_id):
    task, access = get_task_for(request.user, task_id)
    if not access.can_update:
        raise PermissionDenied
    contributions = task.updates.contributions()
    form = ProgressForm(request.POST, request.FILES, contributions=contributions)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_progress(
                task=task,
                by=request.user,
                unit=Membership.of(request.user).unit,
                status=data["status"],
                percent=data["percent"],
                narrative=data["narrative"],
                done_on=data["done_on"],
                expected_version=data["version"],
                evidence=[form.new_evidence()],
                no_evidence_reason=data["no_evidence_reason"],
                cited=form.cited_contributions(),
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field, errors)
        except services.StaleTask:
            messages.error(
                request,
                _(
                    "Nhiệm vụ vừa được người khác cập nhật trong lúc bạn nhập. "
                    "Nội dung bạn nhập vẫn còn bên dưới (tệp đính kèm cần chọn lại): "
                    "hãy xem lại lịch sử rồi lưu lại."
                ),
            )
            task, access = get_task_for(request.user, task_id)
            # The file input cannot be refilled by the server: the message asks to re-attach.
            form = ProgressForm(
                {**request.POST.dict(), "version": task.version}, contributions=contributions
            )
            return render_task(request, task, access, progress_form=form, status=409)
        else:
            messages.success(request, _("Đã lưu tiến độ nhiệm vụ."))
            return redirect(task)
    return render_task(request, task, access, progress_form=form, status=400)


@login_required
@require_POST
def task_contribute(request, task_id):
    task, access = get_task_for(request.user, task_id)
    if not access.can_contribute:
        raise PermissionDenied
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.add_contribution(
                task=task,
                by=request.user,
                unit=Membership.of(request.user).unit,
                narrative=form.cleaned_data["narrative"],
            )
        except ValidationError as e:
            form.add_error("narrative", e.message_dict["narrative"])
        else:
            messages.success(request, _("Đã ghi nội dung phối hợp."))
            return redirect(task)
    return render_task(request, task, access, contribution_form=form, status=400)


@login_required
@require_POST
def task_assign(request, task_id):
    """The office changes a task's lead units or sets its due date by hand."""
    task, access = get_task_for(request.user, task_id)
    if not access.can_assign:
        raise PermissionDenied
    form = AssignForm(request.POST, units=task.plan.agency.units.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            update = services.assign_task(
                task=task,
                by=request.user,
                lead_units=list(data["lead_units"]),
                due_date=data["due_date"],
                expected_version=data["version"],
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field, errors)
        except services.StaleTask:
            messages.error(
                request,
                _("Nhiệm vụ vừa được người khác cập nhật: hãy xem lại rồi điều chỉnh lại."),
            )
            return redirect(task)
        else:
            if update is None:
                messages.info(request, _("Không có gì thay đổi."))
            else:
                messages.success(request, _("Đã điều chỉnh nhiệm vụ."))
            return redirect(task)
    return render_task(request, task, access, assign_form=form, status=400)


@login_required
def my_unit(request):
    membership = Membership.of(request.user)
    unit = membership.unit if membership else None
    today = timezone.localdate()
    ctx = {"unit": unit, "today": today}
    if unit is not None:
        tasks = (
            Task.objects.filter(plan__agency_id=unit.agency_id, plan__status=Plan.Status.ACTIVE)
            .for_listing()
            .with_state(today)
        )
        # The current period of the agency's latest active plan marks what was reported.
        period = (
            ReportingPeriod.objects.filter(
                plan__agency_id=unit.agency_id, plan__status=Plan.Status.ACTIVE
            )
            .order_by("-plan__year")
            .current(today)
        )
        if period is not None:
            tasks = tasks.reported_since(period.news_since())
        ctx["period"] = period
        ctx["led"] = paginate(request, tasks.led_by(unit).overdue_first(today), "page")
        ctx["coordinated"] = paginate(
            request, tasks.coordinated_by(unit).overdue_first(today), "cpage"
        )
    return render(request, "plans/my_unit.html", ctx)


@login_required
def evidence_file(request, evidence_id):
    """An evidence file, only to people who may read its task."""
    evidence = get_evidence_for(request.user, evidence_id)
    if not evidence.file:
        raise Http404("No file")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name)
