from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack import failures
from partrack.org.models import Membership, Role
from partrack.pagination import paginate
from partrack.plans import services
from partrack.plans.access import get_evidence_for, get_plan_for, get_task_for
from partrack.plans.forms import (
    ArchivePlanForm,
    AssignForm,
    ContributionForm,
    DecisionForm,
    ExtensionRequestForm,
    PlanFactsForm,
    ProgressForm,
    SubItemForm,
    SubItemStatusForm,
    TaskFilterForm,
)
from partrack.plans.links import task_links
from partrack.plans.models import Plan, ReportingPeriod, Task, derive_status

# The roles whose work is their unit's: they land on "Cần làm".
WORKING_ROLES = (Role.MEMBER, Role.COORDINATOR)


@login_required
def home(request):
    """Each person lands where their work is: a unit's people on "Cần làm", a leader on the
    overview of the agency's current plan, anyone else on the plans they may read."""
    membership = Membership.of(request.user)
    if membership is not None and membership.unit_id and membership.role in WORKING_ROLES:
        return redirect("todo")
    if membership is not None and membership.role == Role.LEADER:
        plan = Plan.objects.current_of(membership.agency_id)
        if plan is not None:
            return redirect("plan_overview", plan.pk)
    plans = Plan.objects.visible_to(request.user).current()
    if "nam" not in request.GET:
        only = plans.order_by("pk")[:2]
        if len(only) == 1:
            return redirect("plan_overview", only[0].pk)
    return render_plan_list(request, plans)


@login_required
def plan_list(request):
    return render_plan_list(request, Plan.objects.visible_to(request.user).current())


def render_plan_list(request, plans):
    """The plans of one year (this year unless ?nam= says another, or "all"), a page at a time:
    a province's list grows with its agencies, not with the page's cost."""
    today = timezone.localdate()
    years = sorted(set(plans.order_by().values_list("year", flat=True).distinct()), reverse=True)
    # This year's plans by default; before any exists (a new deployment), the latest year's.
    default = today.year if today.year in years or not years else years[0]
    wanted = request.GET.get("nam", "")
    if wanted == "all":
        year = None
    else:
        year = int(wanted) if wanted.isdigit() and int(wanted) in years else default
    years = sorted(set(years) | {default}, reverse=True)
    if year is not None:
        plans = plans.filter(year=year)
    ctx = {
        "page": paginate(request, plans.order_by("-year", "agency__name", "pk")),
        "years": years,
        "year": year,
        "reads_several_agencies": Membership.reads_several_agencies(request.user),
    }
    return render(request, "plans/home.html", ctx)


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
        {
            "plan": plan,
            "filters": filters,
            "page": page,
            "period": period,
            "can_add": Membership.coordinates(request.user, plan.agency_id)
            and not plan.is_archived,
        },
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
    extension_form=None,
    sub_item_form=None,
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
    sub_items = list(task.sub_items.prefetch_related("evidence"))
    extension_requests = list(task.extension_requests.for_listing())
    if access.can_request_extension and extension_form is None:
        extension_form = ExtensionRequestForm()
    if access.can_edit_sub_items and sub_item_form is None:
        sub_item_form = SubItemForm()
    ctx = {
        "task": task,
        "plan": task.plan,
        "sub_items": sub_items,
        "derived": derive_status(sub_items),
        "sub_item_status_form": SubItemStatusForm() if access.can_edit_sub_items else None,
        "sub_item_form": sub_item_form,
        "extension_requests": extension_requests,
        "extension_pending": next((r for r in extension_requests if r.status == "pending"), None),
        "extension_form": extension_form,
        "extensions_left": task.extension_requests_allowed - len(extension_requests),
        "claim": services.pending_claim(task),
        "decision_form": DecisionForm() if access.can_decide else None,
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
                status_reason=data["status_reason"],
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
        except (OperationalError, InterfaceError, OSError) as e:
            # Database or disk failed midway: nothing was saved; show the typed text again.
            message = failures.save_failure_message(e)
            if message is None:
                raise
            if request.FILES:
                # The file input cannot be refilled by the server.
                message = f"{message} {_('Tệp đính kèm cần chọn lại.')}"
            messages.error(request, message)
            form = ProgressForm(request.POST, contributions=contributions)
            return render_task(request, task, access, progress_form=form, status=503)
        else:
            if task.awaits_confirmation:
                messages.success(
                    request,
                    _(
                        "Đã báo cáo hoàn thành: nhiệm vụ được tính hoàn thành khi Văn phòng "
                        "xác nhận."
                    ),
                )
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
            Task.objects.filter(plan__agency_id=unit.agency_id)
            .of_active_plans()
            .for_listing()
            .with_state(today)
        )
        # The current period of the agency's latest active plan marks what was reported.
        period = (
            ReportingPeriod.objects.filter(plan__agency_id=unit.agency_id)
            .of_active_plans()
            .order_by("-plan__year")
            .current(today)
        )
        if period is not None:
            tasks = tasks.reported_since(period.news_since())
        ctx["period"] = period
        ctx["led"] = paginate(request, tasks.led_by(unit).overdue_first(today), "page")
        # Finished work of other units is history, not work: shown only when asked for.
        show_done = request.GET.get("da_xong") == "1"
        coordinated = tasks.coordinated_by(unit)
        ctx["hidden_done"] = 0 if show_done else coordinated.finished().count()
        if not show_done:
            coordinated = coordinated.open()
        ctx["show_done"] = show_done
        ctx["coordinated"] = paginate(request, coordinated.overdue_first(today), "cpage")
    return render(request, "plans/my_unit.html", ctx)


@login_required
def evidence_file(request, evidence_id):
    """An evidence file, only to people who may read its task."""
    evidence = get_evidence_for(request.user, evidence_id)
    if not evidence.file:
        raise Http404("No file")
    # Named and typed from what the file was found to be; always a download, never sniffed,
    # and sandboxed should a browser render it anyway.
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def plan_facts(request, plan_id):
    """The plan's own facts as issued and as read from its preamble; the office corrects them."""
    plan = get_plan_for(request.user, plan_id)
    can_edit = Membership.coordinates(request.user, plan.agency_id)
    today = timezone.localdate()
    form = PlanFactsForm(
        initial={name: getattr(plan, name) for name in services.PLAN_FACTS}, plan=plan, today=today
    )
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = PlanFactsForm(request.POST, plan=plan, today=today)
        if form.is_valid():
            facts = {name: form.cleaned_data[name] for name in services.PLAN_FACTS}
            if services.set_plan_facts(plan=plan, by=request.user, facts=facts) is None:
                messages.info(request, _("Không có gì thay đổi."))
            else:
                messages.success(request, _("Đã lưu thông tin kế hoạch."))
            return redirect("plan_facts", plan.pk)
        status = 400
    ctx = {
        "plan": plan,
        "form": form if can_edit else None,
        "archive_form": ArchivePlanForm() if can_edit and not plan.is_archived else None,
        "can_edit": can_edit,
        "history": paginate(request, plan.events.select_related("author")),
    }
    return render(request, "plans/plan_facts.html", ctx, status=status)


@login_required
@require_POST
def plan_archive(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    if not Membership.coordinates(request.user, plan.agency_id):
        raise PermissionDenied
    form = ArchivePlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("plan_facts", plan.pk)
    services.archive_plan(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _(
            "Đã lưu trữ kế hoạch: kế hoạch không còn trong danh sách, nhắc việc, lịch và xếp hạng; "
            "vẫn xem được trong mục Kế hoạch đã lưu trữ."
        ),
    )
    return redirect("plan_facts", plan.pk)


@login_required
@require_POST
def plan_restore(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    if not Membership.coordinates(request.user, plan.agency_id):
        raise PermissionDenied
    try:
        services.restore_plan(plan=plan, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Đã khôi phục kế hoạch."))
    return redirect("plan_facts", plan.pk)


@login_required
def plan_archive_list(request):
    """Plans archived by mistake, still readable."""
    plans = Plan.objects.visible_to(request.user).archived().order_by("-archived_at", "-pk")
    return render(request, "plans/archive.html", {"page": paginate(request, plans)})
