"""Tasks as offices use them: added tasks, sub-items, extensions and confirmed completions.

Every view checks access through plans/access.py: the lead unit writes its own tasks, the
office all of its agency's, leaders and viewers read, other agencies see nothing (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack.org.models import Membership
from partrack.plans import services
from partrack.plans.access import (
    get_extension_request_for,
    get_plan_for,
    get_sub_item_for,
    get_task_for,
)
from partrack.plans.forms import (
    AddTaskForm,
    DecisionForm,
    DoneConfirmationForm,
    ExtensionRequestForm,
    SubItemForm,
    SubItemStatusForm,
)
from partrack.plans.views import render_task


def _errors_to_form(form, error):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _errors_to_messages(request, error):
    messages.error(request, " ".join(error.messages))


@login_required
def task_add(request, plan_id):
    """The office adds a task to the plan ("bổ sung"), saying why."""
    plan = get_plan_for(request.user, plan_id)
    if not Membership.coordinates(request.user, plan.agency_id) or plan.is_archived:
        raise PermissionDenied
    form = AddTaskForm(plan=plan)
    status = 200
    if request.method == "POST":
        form = AddTaskForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = services.add_task(
                    plan=plan,
                    by=request.user,
                    area=data["area"],
                    content=data["content"],
                    deliverable=data["deliverable"],
                    lead_units=list(data["lead_units"]),
                    deadline_text=data["deadline_text"],
                    due_date=data["due_date"],
                    reason=data["reason"],
                )
            except ValidationError as e:
                _errors_to_form(form, e)
            else:
                messages.success(request, _("Đã bổ sung nhiệm vụ vào kế hoạch."))
                return redirect(task)
        status = 400
    return render(request, "plans/task_add.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_POST
def plan_done_confirmation(request, plan_id):
    """The office turns on or off the confirmation of completions (a plan setting)."""
    plan = get_plan_for(request.user, plan_id)
    if not Membership.coordinates(request.user, plan.agency_id):
        raise PermissionDenied
    form = DoneConfirmationForm(request.POST)
    form.is_valid()
    required = form.cleaned_data.get("required", False)
    if services.set_done_confirmation(plan=plan, by=request.user, required=required) is None:
        messages.info(request, _("Không có gì thay đổi."))
    else:
        messages.success(request, _("Đã lưu cài đặt xác nhận hoàn thành."))
    return redirect("plan_facts", plan.pk)


@login_required
@require_POST
def sub_item_add(request, task_id):
    task, access = get_task_for(request.user, task_id)
    if not access.can_edit_sub_items:
        raise PermissionDenied
    form = SubItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_sub_item(task=task, by=request.user, content=form.cleaned_data["content"])
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, _("Đã thêm nội dung con."))
            return redirect(task)
    return render_task(request, task, access, sub_item_form=form, status=400)


@login_required
@require_POST
def sub_item_record(request, item_id):
    item, access = get_sub_item_for(request.user, item_id)
    if not access.can_edit_sub_items:
        raise PermissionDenied
    form = SubItemStatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_sub_item(
                item=item,
                by=request.user,
                unit=Membership.of(request.user).unit,
                status=data["status"],
                done_on=data["done_on"],
                note=data["note"],
                evidence=[form.new_evidence()],
                no_evidence_reason=data["no_evidence_reason"],
            )
        except ValidationError as e:
            _errors_to_messages(request, e)
        else:
            messages.success(request, _("Đã lưu nội dung con."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(item.task)


@login_required
@require_POST
def extension_request(request, task_id):
    task, access = get_task_for(request.user, task_id)
    if not access.can_request_extension:
        raise PermissionDenied
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_extension(
                task=task,
                by=request.user,
                unit=Membership.of(request.user).unit,
                to_date=form.cleaned_data["to_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            _errors_to_form(form, e)
        else:
            messages.success(request, _("Đã gửi đề nghị gia hạn tới Văn phòng Sở."))
            return redirect(task)
    return render_task(request, task, access, extension_form=form, status=400)


@login_required
@require_POST
def extension_decide(request, request_id):
    extension, access = get_extension_request_for(request.user, request_id)
    if not access.can_decide:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn chấp nhận hoặc không chấp nhận."))
        return redirect(extension.task)
    grant = form.cleaned_data["decision"] == "accept"
    try:
        services.decide_extension(
            request=extension, by=request.user, grant=grant, comment=form.cleaned_data["comment"]
        )
    except ValidationError as e:
        _errors_to_messages(request, e)
    else:
        if grant:
            messages.success(request, _("Đã chấp nhận gia hạn."))
        else:
            messages.success(request, _("Đã trả lời: không chấp nhận gia hạn."))
    return redirect(extension.task)


@login_required
@require_POST
def extension_allow_more(request, task_id):
    task, access = get_task_for(request.user, task_id)
    if not access.can_decide:
        raise PermissionDenied
    services.allow_another_extension(task=task, by=request.user)
    messages.success(request, _("Đơn vị chủ trì có thể đề nghị gia hạn thêm một lần."))
    return redirect(task)


@login_required
@require_POST
def completion_decide(request, task_id):
    """The office confirms a unit's "done", or returns it with a comment."""
    task, access = get_task_for(request.user, task_id)
    if not access.can_decide:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn xác nhận hoặc trả lại."))
        return redirect(task)
    try:
        if form.cleaned_data["decision"] == "accept":
            services.confirm_completion(task=task, by=request.user)
            messages.success(request, _("Đã xác nhận nhiệm vụ hoàn thành."))
        else:
            services.return_completion(
                task=task, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Đã trả lại báo cáo hoàn thành cho đơn vị."))
    except ValidationError as e:
        _errors_to_messages(request, e)
    return redirect(task)
