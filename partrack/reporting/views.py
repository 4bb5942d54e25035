from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack import failures
from partrack.org.models import Membership
from partrack.pagination import paginate
from partrack.plans.access import get_plan_for
from partrack.reporting import services
from partrack.reporting.access import get_period_for, get_unit_report_for
from partrack.reporting.forms import PeriodForm, ReviewForm, UnitReportForm
from partrack.reporting.models import report_state
from partrack.reporting.todo import todo_for


@login_required
def period_list(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    can_edit = Membership.coordinates(request.user, plan.agency_id)
    periods = plan.periods.all()
    return render(
        request,
        "reporting/period_list.html",
        {"plan": plan, "periods": periods, "can_edit": can_edit, "today": timezone.localdate()},
    )


@login_required
def period_edit(request, period_id):
    period = get_period_for(request.user, period_id)
    if not Membership.coordinates(request.user, period.plan.agency_id):
        raise PermissionDenied
    fields = ["starts_on", "ends_on", "unit_due", "agency_due"]
    if request.method == "POST":
        form = PeriodForm(request.POST, year=period.plan.year)
        if form.is_valid():
            services.save_period(
                period=period,
                **{name: form.cleaned_data[name] for name in fields},
                report_due_day_on_time=form.cleaned_data["report_due_day_on_time"],
            )
            messages.success(request, _("Đã lưu kỳ báo cáo."))
            return redirect("period_list", period.plan_id)
    else:
        initial = {name: getattr(period, name) for name in fields}
        initial["report_due_day_on_time"] = period.plan.report_due_day_on_time
        form = PeriodForm(initial=initial, year=period.plan.year)
    status = 400 if form.errors else 200
    return render(
        request,
        "reporting/period_edit.html",
        {"period": period, "plan": period.plan, "form": form},
        status=status,
    )


@login_required
def period_board(request, period_id):
    """Every unit of the agency and where its report for the period stands."""
    period = get_period_for(request.user, period_id)
    today = timezone.localdate()
    reports = {r.unit_id: r for r in period.unit_reports.for_board()}
    rows = []
    for unit in period.plan.agency.units.all():
        report = reports.get(unit.pk)
        rows.append((unit, report, report_state(period, report, today)))
    return render(
        request,
        "reporting/period_board.html",
        {"period": period, "plan": period.plan, "rows": rows, "today": today},
    )


@login_required
def unit_report(request, period_id, unit_id):
    period, unit, report, access = get_unit_report_for(request.user, period_id, unit_id)
    return render_report(request, period, unit, report, access)


def render_report(request, period, unit, report, access, *, form=None, review=None, status=200):
    entries = submissions = ()
    if report is not None and access.reads_content:
        entries = report.entries.select_related("task__area").prefetch_related("evidence")
        if report.status == report.Status.ACCEPTED:
            entries = entries.changed_after_acceptance(report)
        submissions = report.submissions.select_related("submitted_by", "reviewed_by")
        if form is None and access.can_write and report.is_editable:
            form = UnitReportForm(
                initial={
                    "results": report.results,
                    "difficulties": report.difficulties,
                    "proposals": report.proposals,
                    "lock_version": report.lock_version,
                }
            )
    if form is not None and form.is_bound:
        # A form shown again (conflict, failed save) keeps each entry's typed text too.
        entries = list(entries)
        for entry in entries:
            entry.text = form.data.get(f"entry-{entry.pk}", entry.text)
    if review is None and access.can_review and report and report.status == "submitted":
        review = ReviewForm()
    ctx = {
        "period": period,
        "plan": period.plan,
        "unit": unit,
        "report": report,
        "access": access,
        "entries": entries,
        "submissions": submissions,
        "form": form,
        "review": review,
        "standing": report_state(period, report, timezone.localdate()),
    }
    return render(request, "reporting/unit_report.html", ctx, status=status)


def writable_report(request, period_id, unit_id):
    period, unit, report, access = get_unit_report_for(request.user, period_id, unit_id)
    if not access.can_write:
        raise PermissionDenied
    return period, unit, report, access


@login_required
@require_POST
def unit_report_start(request, period_id, unit_id):
    period, unit, _report, _access = writable_report(request, period_id, unit_id)
    services.start_unit_report(period=period, unit=unit)
    return redirect("unit_report", period.pk, unit.pk)


@login_required
@require_POST
def unit_report_save(request, period_id, unit_id):
    period, unit, report, access = writable_report(request, period_id, unit_id)
    if report is None:
        return redirect("unit_report", period.pk, unit.pk)
    form = UnitReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_unit_report(
                report=report,
                results=data["results"],
                difficulties=data["difficulties"],
                proposals=data["proposals"],
                entry_texts=form.entry_texts(report.entries.all()),
                expected_version=data["lock_version"],
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(report)
        except services.StaleReport:
            messages.error(
                request,
                _(
                    "Báo cáo vừa được người khác lưu hoặc gửi trong lúc bạn nhập. "
                    "Nội dung bạn nhập vẫn còn bên dưới: hãy xem lại rồi lưu lại."
                ),
            )
            report.refresh_from_db()
            form = UnitReportForm({**request.POST.dict(), "lock_version": report.lock_version})
            return render_report(request, period, unit, report, access, form=form, status=409)
        except (OperationalError, InterfaceError, OSError) as e:
            # Database or disk failed midway: nothing was saved; show the typed text again.
            message = failures.save_failure_message(e)
            if message is None:
                raise
            messages.error(request, message)
            return render_report(request, period, unit, report, access, form=form, status=503)
        if "submit" in request.POST:
            return unit_report_submit(request, period_id, unit_id)
        messages.success(request, _("Đã lưu bản nháp báo cáo."))
        return redirect(report)
    return render_report(request, period, unit, report, access, form=form, status=400)


@login_required
@require_POST
def unit_report_submit(request, period_id, unit_id):
    _period, _unit, report, _access = writable_report(request, period_id, unit_id)
    if report is None:
        raise PermissionDenied
    try:
        services.submit_unit_report(report=report, by=request.user)
    except services.StaleReport:
        messages.info(request, _("Báo cáo này đã được gửi."))
    else:
        messages.success(request, _("Đã gửi báo cáo đến Văn phòng Sở."))
    return redirect(report)


@login_required
@require_POST
def unit_report_review(request, period_id, unit_id):
    period, unit, report, access = get_unit_report_for(request.user, period_id, unit_id)
    if not access.can_review or report is None:
        raise PermissionDenied
    review = ReviewForm(request.POST)
    if not review.is_valid():
        return render_report(request, period, unit, report, access, review=review, status=400)
    comment = review.cleaned_data["comment"]
    try:
        if request.POST.get("decision") == "accept":
            services.accept_unit_report(report=report, by=request.user, comment=comment)
            messages.success(request, _("Đã chấp nhận báo cáo."))
        else:
            services.return_unit_report(report=report, by=request.user, comment=comment)
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
    except ValidationError as e:
        for field, errors in e.message_dict.items():
            review.add_error(field, errors)
        return render_report(request, period, unit, report, access, review=review, status=400)
    except services.StaleReport:
        messages.info(request, _("Báo cáo này đã được xem xét, hoặc đơn vị chưa gửi."))
    return redirect(report)


@login_required
def todo(request):
    """ "Cần làm": what the person's unit must update or report now, most urgent first."""
    today = timezone.localdate()
    page = paginate(request, todo_for(Membership.of(request.user), today))
    return render(request, "reporting/todo.html", {"page": page, "today": today})
