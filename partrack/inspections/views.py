"""Inspection pages: each view asks its access helper first, then reads or writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partrack.inspections import documents, services
from partrack.inspections.access import (
    get_inspected_unit_for,
    get_inspection_for,
    get_plan_inspection_for,
    get_unit_submission_for,
)
from partrack.inspections.forms import (
    RATING_CHOICES,
    ConclusionForm,
    FileForm,
    InspectionForm,
    IssueForm,
    RecommendationForm,
    ReviewForm,
    ScheduleForm,
    TeamForm,
    UnitsForm,
    posted_rows,
)
from partrack.inspections.models import InspectionFile, UnitSubmission
from partrack.inspections.summary import summarise
from partrack.plans.access import get_plan_for
from partrack.plans.services import StaleTask

HISTORY_SIZE = 30
DISK_FAILED = gettext_lazy(
    "Không ghi được tệp lên máy chủ (đĩa đầy hoặc lỗi ghi): không có gì thay đổi. "
    "Hãy thử lại sau hoặc báo quản trị hệ thống."
)


def managed(request, inspection_id):
    inspection, access = get_inspection_for(request.user, inspection_id)
    if not access.can_manage:
        raise PermissionDenied
    return inspection, access


def form_errors(form, error):
    """Put a service's ValidationError on the form, field by field when it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def plan_inspection(request, plan_id):
    """The plan year's inspection; the office starts it here the first time."""
    plan = get_plan_for(request.user, plan_id)
    inspection, access = get_plan_inspection_for(request.user, plan)
    if request.method == "POST":
        if not access.can_manage:
            raise PermissionDenied
        inspection = services.start_inspection(plan=plan, by=request.user)
        messages.success(request, _("Đã lập kế hoạch kiểm tra với nội dung mặc định."))
        return redirect(inspection)
    if inspection is not None:
        return redirect(inspection)
    return render(request, "inspections/start.html", {"plan": plan, "access": access})


@login_required
def inspection_progress(request, plan_id):
    """The overview's card: how far the year's inspection has come (a fragment)."""
    plan = get_plan_for(request.user, plan_id)
    inspection, access = get_plan_inspection_for(request.user, plan)
    summary = summarise(inspection) if inspection is not None else None
    return render(
        request,
        "inspections/_progress.html",
        {"plan": plan, "inspection": inspection, "summary": summary, "access": access},
    )


@login_required
def inspection_detail(request, inspection_id):
    inspection, access = get_inspection_for(request.user, inspection_id)
    summary = summarise(inspection)
    inspected = [u for u in summary.inspected if access.sees(u.unit_id)]
    self_lines = [line for line in summary.self_lines if access.sees(line.unit.pk)]
    files = inspection.files.select_related("inspected_unit__unit").order_by("kind", "-version")
    events = inspection.events.select_related("user", "unit")
    if not access.reads_all:
        own = access.own_unit_id
        files = files.filter(kind__in=["plan", "decision"]) | files.filter(
            inspected_unit__unit_id=own
        )
        events = events.filter(unit_id=own)
    ctx = {
        "inspection": inspection,
        "plan": inspection.plan,
        "access": access,
        "summary": summary,
        "inspected": inspected,
        "self_lines": self_lines,
        "files": list(files),
        "events": list(events[:HISTORY_SIZE]),
        "problems": services.issue_problems(inspection) if access.can_manage else [],
        "issue_form": IssueForm(initial={"symbol": f"/KH-{inspection.plan.agency.short_name}"}),
        "kinds": InspectionFile.Kind,
        "today": timezone.localdate(),
    }
    return render(request, "inspections/detail.html", ctx)


@login_required
def inspection_edit(request, inspection_id):
    inspection, _access = managed(request, inspection_id)
    plan = inspection.plan
    if request.method == "POST":
        form = InspectionForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                services.update_inspection(
                    inspection=inspection, by=request.user, **form.cleaned_data
                )
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.success(request, _("Đã lưu kế hoạch kiểm tra."))
                return redirect(inspection)
    else:
        form = InspectionForm(
            plan=plan,
            initial={
                "period_text": inspection.period_text,
                "starts_on": inspection.starts_on,
                "ends_on": inspection.ends_on,
                "contents": "\n".join(inspection.contents),
                "required_share": inspection.required_share,
                "task": inspection.task_id,
                "self_inspection_due": inspection.self_inspection_due,
                "decision_symbol": inspection.decision_symbol,
                "decision_issued_on": inspection.decision_issued_on,
            },
        )
    return render(
        request,
        "inspections/edit.html",
        {"inspection": inspection, "plan": plan, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def inspection_units(request, inspection_id):
    """Choose the units to inspect; those not inspected in the last two years come first."""
    inspection, _access = managed(request, inspection_id)
    proposals = services.propose_units(inspection)
    chosen = set(inspection.inspected_units.values_list("unit_id", flat=True))
    if request.method == "POST":
        form = UnitsForm(request.POST, inspection=inspection)
        if form.is_valid():
            try:
                services.select_units(
                    inspection=inspection, by=request.user, units=list(form.cleaned_data["units"])
                )
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.success(request, _("Đã lưu danh sách đơn vị được kiểm tra."))
                return redirect(inspection)
        chosen = {int(pk) for pk in request.POST.getlist("units") if pk.isdigit()}
    else:
        form = UnitsForm(inspection=inspection)
    summary_rule = summarise(inspection).rule
    return render(
        request,
        "inspections/units.html",
        {
            "inspection": inspection,
            "plan": inspection.plan,
            "form": form,
            "proposals": proposals,
            "chosen": chosen if chosen else {p.unit.pk for p in proposals if p.proposed},
            "rule": summary_rule,
        },
        status=400 if form.errors else 200,
    )


@login_required
def inspection_team(request, inspection_id):
    inspection, _access = managed(request, inspection_id)
    if request.method == "POST":
        form = TeamForm(request.POST, inspection=inspection)
        if form.is_valid():
            try:
                services.set_team(
                    inspection=inspection,
                    by=request.user,
                    members=list(form.cleaned_data["members"]),
                    leader=form.cleaned_data["leader"],
                )
            except ValidationError as e:
                form_errors(form, e)
            else:
                messages.success(request, _("Đã lưu đoàn kiểm tra."))
                return redirect(inspection)
    else:
        seats = list(inspection.team.all())
        leader = next((seat.user_id for seat in seats if seat.is_leader), None)
        form = TeamForm(
            inspection=inspection,
            initial={"members": [seat.user_id for seat in seats], "leader": leader},
        )
    return render(
        request,
        "inspections/team.html",
        {"inspection": inspection, "plan": inspection.plan, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def inspection_issue(request, inspection_id):
    """Record the plan as issued: its file is kept and its task is marked done with it."""
    inspection, _access = managed(request, inspection_id)
    form = IssueForm(request.POST)
    if form.is_valid():
        inspection.symbol = form.cleaned_data["symbol"]
        inspection.issued_on = form.cleaned_data["issued_on"]
        try:
            services.issue_plan(
                inspection=inspection,
                by=request.user,
                symbol=form.cleaned_data["symbol"],
                issued_on=form.cleaned_data["issued_on"],
                document=documents.plan_docx(summarise(inspection)),
            )
        except ValidationError as e:
            inspection.refresh_from_db()
            messages.error(request, " ".join(e.messages))
        except OSError:
            # The disk refused the file: the transaction undid the issue and the task's progress.
            messages.error(request, DISK_FAILED)
        except StaleTask:
            messages.error(
                request,
                _("Nhiệm vụ của kế hoạch vừa được người khác cập nhật: hãy ban hành lại."),
            )
        else:
            messages.success(request, _("Đã ban hành kế hoạch kiểm tra."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(inspection)


def render_unit(request, inspection, inspected, access, *, status=200, **forms):
    summary_submission = UnitSubmission.objects.filter(
        inspection=inspection, unit=inspected.unit
    ).first()
    if access.can_manage:
        forms.setdefault(
            "schedule_form",
            ScheduleForm(
                inspection=inspection,
                initial={
                    "visit_on": inspected.visit_on,
                    "place": inspected.place,
                    "assignees": [u.pk for u in inspected.assignees.all()],
                },
            ),
        )
        if inspected.minutes_signed:
            forms.setdefault(
                "conclusion_form",
                ConclusionForm(
                    initial={
                        "findings": inspected.findings,
                        "symbol": inspected.conclusion_symbol
                        or f"/TB-{inspection.plan.agency.short_name}",
                        "issued_on": inspected.conclusion_issued_on,
                    }
                ),
            )
        if inspected.concluded:
            forms.setdefault(
                "recommendation_form",
                RecommendationForm(inspection=inspection, initial={"lead_unit": inspected.unit}),
            )
    recommendations = [
        (item, item.task.state(timezone.localdate()) if item.task else None)
        for item in inspected.recommendations.all()
    ]
    ctx = {
        "inspection": inspection,
        "plan": inspection.plan,
        "inspected": inspected,
        "access": access,
        "items": list(inspected.minutes.all()),
        "submission": summary_submission,
        "recommendations": recommendations,
        "can_write_minutes": access.can_write_minutes(inspected),
        "files": list(inspected.files.order_by("kind", "-version")),
        **forms,
    }
    return render(request, "inspections/unit.html", ctx, status=status)


@login_required
def inspected_unit(request, inspection_id, unit_id):
    inspection, inspected, access = get_inspected_unit_for(request.user, inspection_id, unit_id)
    return render_unit(request, inspection, inspected, access)


@login_required
@require_POST
def inspected_schedule(request, inspection_id, unit_id):
    inspection, inspected, access = get_inspected_unit_for(request.user, inspection_id, unit_id)
    if not access.can_manage:
        raise PermissionDenied
    form = ScheduleForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            services.schedule_unit(
                inspected=inspected,
                by=request.user,
                visit_on=form.cleaned_data["visit_on"],
                place=form.cleaned_data["place"],
                assignees=list(form.cleaned_data["assignees"]),
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Đã lưu lịch kiểm tra."))
            return redirect(inspected)
    return render_unit(request, inspection, inspected, access, schedule_form=form, status=400)


@login_required
def minutes_edit(request, inspection_id, unit_id):
    """The minutes, one row per content: team members assigned to the unit, or the leader."""
    inspection, inspected, access = get_inspected_unit_for(request.user, inspection_id, unit_id)
    if not access.can_write_minutes(inspected):
        raise PermissionDenied
    items = services.minutes_items(inspected)
    error = None
    if request.method == "POST":
        rows = posted_rows(request.POST, len(items), ("checked", "found", "rating"))
        try:
            services.save_minutes(inspected=inspected, by=request.user, rows=rows)
        except ValidationError as e:
            error = " ".join(e.messages)
            for item in items:
                item.checked, item.found, item.rating = rows[item.position]
        else:
            messages.success(request, _("Đã lưu biên bản kiểm tra."))
            return redirect(inspected)
    return render(
        request,
        "inspections/minutes.html",
        {
            "inspection": inspection,
            "plan": inspection.plan,
            "inspected": inspected,
            "items": items,
            "ratings": RATING_CHOICES,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def minutes_sign(request, inspection_id, unit_id):
    inspection, inspected, access = get_inspected_unit_for(request.user, inspection_id, unit_id)
    if not access.is_team_leader:
        raise PermissionDenied
    try:
        services.sign_minutes(inspected=inspected, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Trưởng đoàn đã ký biên bản."))
    return redirect(inspected)


@login_required
@require_POST
def conclusion(request, inspection_id, unit_id):
    inspection, inspected, access = get_inspected_unit_for(request.user, inspection_id, unit_id)
    if not access.can_manage:
        raise PermissionDenied
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.conclude(
                inspected=inspected,
                by=request.user,
                findings=form.cleaned_data["findings"],
                symbol=form.cleaned_data["symbol"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Đã lưu kết luận kiểm tra."))
            return redirect(inspected)
    return render_unit(request, inspection, inspected, access, conclusion_form=form, status=400)


@login_required
@require_POST
def recommendation(request, inspection_id, unit_id):
    """A recommendation of the conclusion: it becomes a task of the plan at once."""
    inspection, inspected, access = get_inspected_unit_for(request.user, inspection_id, unit_id)
    if not access.can_manage:
        raise PermissionDenied
    form = RecommendationForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            item = services.add_recommendation(
                inspected=inspected, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(
                request,
                _("Đã giao nhiệm vụ khắc phục số %(n)s cho %(unit)s.")
                % {"n": item.task.number, "unit": item.lead_unit.name},
            )
            return redirect(inspected)
    return render_unit(request, inspection, inspected, access, recommendation_form=form, status=400)


def render_submission(
    request, inspection, unit, submission, access, writer, *, review=None, error=None, status=200
):
    if review is None and writer.can_review and submission and submission.status == "submitted":
        review = ReviewForm()
    versions = submission.versions.select_related("submitted_by") if submission else ()
    inspected = inspection.inspected_units.filter(unit=unit).exists()
    ctx = {
        "inspection": inspection,
        "plan": inspection.plan,
        "unit": unit,
        "submission": submission,
        "writer": writer,
        "editable": writer.can_write and submission is not None and submission.is_editable,
        "inspected": inspected,
        "is_office": unit.is_coordinator or unit.kind == "office",
        "review": review,
        "versions": versions,
        "ratings": RATING_CHOICES,
        "error": error,
    }
    return render(request, "inspections/unit_report.html", ctx, status=status)


@login_required
def unit_report(request, inspection_id, unit_id):
    """The unit's report (inspected) or self-inspection: start, save, submit."""
    inspection, unit, submission, access, writer = get_unit_submission_for(
        request.user, inspection_id, unit_id
    )
    if request.method != "POST":
        return render_submission(request, inspection, unit, submission, access, writer)
    if not writer.can_write:
        raise PermissionDenied
    if submission is None:
        try:
            services.start_unit_submission(inspection=inspection, unit=unit, by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return redirect("inspection_unit_report", inspection.pk, unit.pk)
    try:
        count = len(submission.answers)
        texts = {n: request.POST.get(f"text-{n}", "")[:20_000] for n in range(count)}
        ratings = {n: request.POST.get(f"rating-{n}", "") for n in range(count)}
        version = request.POST.get("lock_version", "")
        services.save_unit_submission(
            submission=submission,
            by=request.user,
            texts=texts,
            ratings=ratings,
            expected_version=int(version) if version.isdigit() else -1,
        )
        if "submit" in request.POST:
            services.submit_unit_submission(submission=submission, by=request.user)
            messages.success(request, _("Đã gửi báo cáo đến Văn phòng Sở."))
        else:
            messages.success(request, _("Đã lưu bản nháp."))
    except ValidationError as e:
        submission.answers = [
            {**a, "text": texts.get(n, a["text"]), "rating": ratings.get(n, a.get("rating", ""))}
            for n, a in enumerate(submission.answers)
        ]
        submission.refresh_from_db(fields=["lock_version", "status"])
        return render_submission(
            request,
            inspection,
            unit,
            submission,
            access,
            writer,
            error=" ".join(e.messages),
            status=400,
        )
    except services.StaleSubmission:
        submission.answers = [
            {**a, "text": texts[n], "rating": ratings[n]} for n, a in enumerate(submission.answers)
        ]
        submission.refresh_from_db(fields=["lock_version", "status"])
        error = _(
            "Báo cáo vừa được người khác lưu hoặc gửi trong lúc bạn nhập. Nội dung bạn nhập "
            "vẫn còn bên dưới: hãy xem lại rồi lưu lại."
        )
        return render_submission(
            request, inspection, unit, submission, access, writer, error=error, status=409
        )
    return redirect("inspection_unit_report", inspection.pk, unit.pk)


@login_required
@require_POST
def unit_report_review(request, inspection_id, unit_id):
    inspection, unit, submission, access, writer = get_unit_submission_for(
        request.user, inspection_id, unit_id
    )
    if not writer.can_review or submission is None:
        raise PermissionDenied
    review = ReviewForm(request.POST)
    if review.is_valid():
        try:
            services.review_unit_submission(
                submission=submission,
                by=request.user,
                accept=request.POST.get("decision") == "accept",
                comment=review.cleaned_data["comment"],
            )
        except ValidationError as e:
            form_errors(review, e)
        except services.StaleSubmission:
            messages.info(request, _("Báo cáo này đã được xem xét, hoặc đơn vị chưa gửi."))
            return redirect(submission)
        else:
            messages.success(request, _("Đã ghi ý kiến của Văn phòng."))
            return redirect(submission)
    return render_submission(
        request, inspection, unit, submission, access, writer, review=review, status=400
    )


@login_required
@require_POST
def produce_file(request, inspection_id):
    """Write one document as a new version; earlier versions stay downloadable as they were."""
    inspection, access = managed(request, inspection_id)
    form = FileForm(request.POST)
    if not form.is_valid():
        raise Http404("No such document")
    kind, inspected = form.cleaned_data["kind"], None
    if kind in InspectionFile.PER_UNIT:
        inspected = (
            inspection.inspected_units.for_listing()
            .filter(unit_id=form.cleaned_data["unit"])
            .first()
        )
        if inspected is None:
            raise Http404("No such inspected unit")
    summary = summarise(inspection)
    if inspected is not None:
        inspected = next(u for u in summary.inspected if u.pk == inspected.pk)
    content = documents.write(kind, summary, inspected)
    try:
        record = services.store_file(
            inspection=inspection, kind=kind, content=content, by=request.user, inspected=inspected
        )
    except OSError:
        messages.error(request, DISK_FAILED)
        return redirect(inspected or inspection)
    messages.success(
        request,
        _("Đã tạo %(doc)s, phiên bản %(v)s.")
        % {"doc": record.get_kind_display(), "v": record.version},
    )
    return redirect(inspected or inspection)


@login_required
def download_file(request, inspection_id, file_id):
    """The stored file, byte for byte as it was produced."""
    inspection, access = get_inspection_for(request.user, inspection_id)
    record = (
        InspectionFile.objects.select_related("inspected_unit")
        .filter(pk=file_id, inspection=inspection)
        .first()
    )
    if record is None:
        raise Http404("No such file")
    if record.inspected_unit_id and not access.sees(record.inspected_unit.unit_id):
        raise Http404("No such file")
    if record.kind == InspectionFile.Kind.RESULTS and not access.reads_all:
        raise Http404("No such file")
    record.inspection = inspection
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.download_name(),
        content_type=InspectionFile.CONTENT_TYPE,
    )
    response["ETag"] = f'"{record.sha256}"'
    return response
