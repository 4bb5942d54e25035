"""Pages of the CCHC index: sets, the self-assessment, its criteria, appraisal, results, files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack.indices import criteria_io, documents, results, services
from partrack.indices.access import (
    get_criteria_set_for,
    get_score_for,
    get_self_assessment_for,
    may_manage_sets,
    visible_criteria_sets,
    visible_self_assessments,
)
from partrack.indices.evidence_sources import BY_KEY, SOURCES, suggestions
from partrack.indices.forms import (
    AnswerForm,
    AppraiseForm,
    AssignForm,
    LinkForm,
    LockForm,
    NationalValueForm,
    ScoreForm,
    SetImportForm,
    StartForm,
    SurveyForm,
    UploadForm,
)
from partrack.indices.models import (
    CriteriaSet,
    EvidenceLink,
    NationalIndexValue,
    ScoreChange,
    SelfAssessment,
)
from partrack.indices.scoring import compute_totals
from partrack.org.models import Membership, Role
from partrack.vietnamese import ascii_slug

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error_text(error):
    return " ".join(error.messages)


@login_required
def index(request):
    membership = Membership.of(request.user)
    assessments = list(visible_self_assessments(request.user))
    sets = list(visible_criteria_sets(membership))
    start_form = None
    if membership is not None and membership.role == Role.COORDINATOR:
        taken = {sa.criteria_set_id for sa in assessments if sa.agency_id == membership.agency_id}
        startable = CriteriaSet.objects.filter(
            pk__in=[
                s.pk
                for s in sets
                if s.purpose == CriteriaSet.Purpose.INDEX
                # The province appraises its agencies; it does not score itself.
                and membership.agency.parent_id is not None
                and s.pk not in taken
            ]
        )
        if startable.exists():
            start_form = StartForm(sets=startable)
    can_import = membership is not None and membership.role in (
        Role.COORDINATOR,
        Role.ADMINISTRATOR,
    )
    return render(
        request,
        "indices/index.html",
        {
            "assessments": assessments,
            "sets": sets,
            "start_form": start_form,
            "can_import": can_import,
            "membership": membership,
        },
    )


@login_required
def set_import(request):
    membership = Membership.of(request.user)
    if membership is None or not may_manage_sets(membership, membership.agency):
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        form = SetImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                names, letters, rows = criteria_io.read_table(data["file"])
                parsed = criteria_io.parse_set(names, letters, rows)
                errors = list(parsed.errors)
                grades = []
                if data["ratings"]:
                    grades, grade_errors = criteria_io.parse_ratings(
                        *criteria_io.read_table(data["ratings"])
                    )
                    errors += [_("Tệp xếp loại: %(e)s") % {"e": e} for e in grade_errors]
            except criteria_io.SetFileError as error:
                errors = [str(error)]
            if not errors:
                criteria_set = services.import_set(
                    owner=membership.agency,
                    by=request.user,
                    name=data["name"],
                    decision=data["decision"],
                    year=data["year"],
                    scale=data["scale"],
                    parsed=parsed,
                    grades=grades,
                    purpose=data["purpose"],
                    rescale_without_survey=data["rescale_without_survey"],
                )
                messages.success(
                    request,
                    _("Đã nhập %(n)s tiêu chí.") % {"n": len(parsed.criteria)},
                )
                return redirect(criteria_set)
    else:
        form = SetImportForm()
    status = 400 if (errors or form.errors) else 200
    return render(
        request, "indices/set_import.html", {"form": form, "errors": errors}, status=status
    )


@login_required
def set_detail(request, set_id):
    criteria_set = get_criteria_set_for(request.user, set_id)
    return render(
        request,
        "indices/set_detail.html",
        {
            "set": criteria_set,
            "criteria": criteria_set.criteria.order_by("order"),
            "grades": criteria_set.grades.all(),
        },
    )


@login_required
def set_export(request, set_id, kind):
    criteria_set = get_criteria_set_for(request.user, set_id)
    if kind not in ("csv", "xlsx"):
        raise Http404
    name = f"bo-tieu-chi-{criteria_set.year}-{criteria_set.pk}"
    if kind == "csv":
        response = HttpResponse(criteria_io.set_csv(criteria_set), content_type="text/csv")
    else:
        response = HttpResponse(criteria_io.set_xlsx(criteria_set), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@login_required
@require_POST
def sa_start(request):
    membership = Membership.of(request.user)
    if membership is None or membership.role != Role.COORDINATOR:
        raise PermissionDenied
    sets = visible_criteria_sets(membership).filter(purpose=CriteriaSet.Purpose.INDEX)
    form = StartForm(request.POST, sets=sets)
    if not form.is_valid():
        messages.error(request, _("Chọn một bộ tiêu chí."))
        return redirect("indices_index")
    try:
        sa = services.start_self_assessment(
            agency=membership.agency,
            criteria_set=form.cleaned_data["criteria_set"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("indices_index")
    return redirect(sa)


def _links_by_score(sa, scores):
    links = EvidenceLink.objects.filter(score__in=scores).prefetch_related("source")
    grouped = {}
    for link in links.order_by("added_at", "pk"):
        grouped.setdefault(link.score_id, []).append(link)
    return grouped


@login_required
def sa_detail(request, sa_id):
    sa, access = get_self_assessment_for(request.user, sa_id)
    criteria = list(sa.criteria_set.criteria.order_by("order"))
    scores = list(sa.scores_for_table(None if access.sees_all else access.unit_id))
    assign_form = None
    if access.can_manage and sa.is_draft:
        assign_form = AssignForm(criteria=criteria, units=sa.agency.units.all())
    context = {
        "sa": sa,
        "access": access,
        "scores": scores,
        "assign_form": assign_form,
        "statuses": SelfAssessment.Status,
    }
    if access.sees_all:
        context["totals"] = compute_totals(
            sa.criteria_set, criteria, {s.criterion_id: s.self_score for s in scores}
        )
        if sa.appraisal_started or (access.is_province and not sa.is_draft):
            context["appraised"] = compute_totals(
                sa.criteria_set, criteria, {s.criterion_id: s.appraised_score for s in scores}
            )
        unscored, no_evidence = services.lock_problems(sa) if sa.is_draft else ([], [])
        context.update(
            unscored=unscored,
            no_evidence={s.pk for s in no_evidence},
            no_evidence_count=len(no_evidence),
            lock_form=LockForm() if access.can_manage and sa.is_draft else None,
            area_rows=_area_rows(criteria, scores),
        )
    return render(request, "indices/self_assessment.html", context)


def _area_rows(criteria, scores):
    """The table grouped under its areas: [(area, [scores])]."""
    by_id = {c.pk: c for c in criteria}
    groups = {}
    for score in scores:
        top = by_id[score.criterion_id]
        while top.parent_id:
            top = by_id[top.parent_id]
        groups.setdefault(top.pk, (top, []))[1].append(score)
    return list(groups.values())


@login_required
@require_POST
def sa_assign(request, sa_id):
    sa, access = get_self_assessment_for(request.user, sa_id)
    if not access.can_manage:
        raise PermissionDenied
    criteria = list(sa.criteria_set.criteria.order_by("order"))
    units = sa.agency.units.all()
    form = AssignForm(request.POST, criteria=criteria, units=units)
    if form.is_valid():
        criterion = next(c for c in criteria if c.pk == form.cleaned_data["criterion"])
        unit = units.filter(pk=form.cleaned_data["unit"]).first()
        try:
            count = services.assign_units(
                self_assessment=sa, criterion=criterion, unit=unit, by=request.user
            )
            messages.success(request, _("Đã giao %(n)s tiêu chí.") % {"n": count})
        except ValidationError as error:
            messages.error(request, _error_text(error))
    else:
        messages.error(request, _("Chọn tiêu chí và đơn vị."))
    return redirect(sa)


STEPS = {
    "khoa": "lock",
    "mo-khoa": "reopen",
    "gui-vong-1": "send_round1",
    "gui-giai-trinh": "send_answers",
    "ket-thuc": "finalize",
}


@login_required
@require_POST
def sa_step(request, sa_id, step):
    sa, access = get_self_assessment_for(request.user, sa_id)
    action = STEPS.get(step)
    if action is None:
        raise Http404
    office_steps = {"lock", "reopen", "send_answers"}
    allowed = access.can_manage if action in office_steps else access.can_appraise
    if not allowed:
        raise PermissionDenied
    try:
        if action == "lock":
            form = LockForm(request.POST)
            form.is_valid()
            services.lock(
                self_assessment=sa,
                by=request.user,
                accept_missing_evidence=form.cleaned_data.get("accept_missing_evidence", False),
            )
            messages.success(request, _("Đã khóa bản tự đánh giá và gửi Sở Nội vụ thẩm định."))
        else:
            getattr(services, action)(self_assessment=sa, by=request.user)
            messages.success(
                request,
                _("Đã chuyển sang: %(s)s.")
                % {"s": SelfAssessment.objects.get(pk=sa.pk).get_status_display()},
            )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(sa)


def _score_forms(sa, score, access, bound=None, action=None):
    """The forms the person may use on this criterion, in its current state."""
    forms = {}

    def make(name, cls, **kwargs):
        if action == name and bound is not None:
            return cls(bound[0], bound[1], **kwargs)
        return cls(**kwargs)

    criterion = score.criterion
    Status = SelfAssessment.Status
    if access.may_fill(sa, score):
        forms["self"] = make(
            "self",
            ScoreForm,
            criterion=criterion,
            initial={"score": score.self_score, "explanation": score.explanation},
        )
    can_add_evidence = (access.may_fill(sa, score)) or (
        access.can_manage and sa.status == Status.EXPLANATION_REQUESTED
    )
    if can_add_evidence and criterion.kind != "survey":
        forms["upload"] = make("upload", UploadForm)
        forms["link"] = True
    if access.can_appraise and criterion.kind == "survey" and sa.status != Status.FINAL:
        forms["survey"] = make("survey", SurveyForm, initial={"score": score.appraised_score})
    elif access.can_appraise and sa.status == Status.LOCKED:
        forms["round1"] = make(
            "round1",
            AppraiseForm,
            initial={
                "score": score.round1_score if score.round1_score is not None else score.self_score,
                "note": score.round1_note,
            },
        )
    elif access.can_appraise and sa.status == Status.EXPLAINED:
        forms["final"] = make(
            "final",
            AppraiseForm,
            initial={"score": score.appraised_score, "note": score.final_reason},
        )
    if access.can_manage and sa.status == Status.EXPLANATION_REQUESTED:
        forms["answer"] = make("answer", AnswerForm, initial={"answer": score.answer})
    return forms


@login_required
def score_detail(request, sa_id, score_id):
    sa, score, access = get_score_for(request.user, sa_id, score_id)
    bound = None
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST":
        bound = (request.POST, request.FILES)
        forms = _score_forms(sa, score, access, bound, action)
        if action == "unlink":
            forms["unlink"] = forms.get("upload")
        if action == "task":
            forms["task"] = access.can_manage and sa.status == SelfAssessment.Status.FINAL
        if not forms.get(action):
            raise PermissionDenied
        try:
            done = _apply(request, sa, score, action, forms)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            done = False
        if done:
            return redirect("score_detail", sa.pk, score.pk)
    else:
        forms = _score_forms(sa, score, access)
    links = list(score.evidence_links.select_related("content_type"))
    linked = {(link.content_type_id, link.object_id) for link in links}
    shows_appraisal = sa.appraisal_started or access.is_province
    context = {
        "sa": sa,
        "score": score,
        "criterion": score.criterion,
        "access": access,
        "forms": forms,
        "links": links,
        "history": _visible_changes(score.changes.select_related("by"), shows_appraisal),
        "shows_appraisal": shows_appraisal,
    }
    if forms.get("link"):
        evidence_type = BY_KEY["task_evidence"].content_type()
        taken = [oid for ct, oid in linked if ct == evidence_type.pk]
        context["suggested"] = list(suggestions(sa, score.criterion, taken)[:20])
        context["sources"] = [
            (
                source,
                [
                    obj
                    for obj in source.candidates(sa)[:200]
                    if (source.content_type().pk, obj.pk) not in linked
                ],
            )
            for source in SOURCES
        ]
        context["cite"] = {source.key: source.cite for source in SOURCES}
    status = 400 if request.method == "POST" else 200
    return render(request, "indices/score.html", context, status=status)


APPRAISAL_STEPS = [ScoreChange.Step.ROUND1, ScoreChange.Step.FINAL, ScoreChange.Step.SURVEY]


def _visible_changes(changes, shows_appraisal):
    """The council's work in progress stays with the council until round 1 is sent."""
    if not shows_appraisal:
        changes = changes.exclude(step__in=APPRAISAL_STEPS)
    return changes.order_by("-at", "-pk")


def _apply(request, sa, score, action, forms):
    """Carry out a posted form; True when done, False to show the form with its errors."""
    post = request.POST
    if action == "self":
        form = forms["self"]
        if not form.is_valid():
            return False
        value = form.cleaned_data["score"]
        rate = form.cleaned_data.get("rate")
        if rate is not None:
            value = services.rate_score(score.criterion, rate)
        services.save_self_score(
            score=score,
            by=request.user,
            value=value,
            explanation=form.cleaned_data["explanation"],
        )
        messages.success(request, _("Đã lưu điểm tự chấm."))
    elif action == "link":
        form = LinkForm(post)
        if not form.is_valid():
            raise ValidationError(_("Chọn một tài liệu."))
        services.link_source(
            score=score,
            by=request.user,
            source_key=form.cleaned_data["source"],
            object_id=form.cleaned_data["object_id"],
        )
        messages.success(request, _("Đã thêm tài liệu kiểm chứng."))
    elif action == "upload":
        form = forms["upload"]
        if not form.is_valid():
            return False
        services.upload_evidence(
            score=score,
            by=request.user,
            upload=form.cleaned_data["file"],
            label=form.cleaned_data["label"],
        )
        messages.success(request, _("Đã tải lên tài liệu kiểm chứng."))
    elif action == "unlink":
        link = score.evidence_links.filter(pk=post.get("link")).first()
        if link is None:
            raise Http404
        services.remove_link(link=link, by=request.user)
        messages.success(request, _("Đã bỏ tài liệu."))
    elif action in ("round1", "final"):
        form = forms[action]
        if not form.is_valid():
            return False
        function = services.appraise_round1 if action == "round1" else services.appraise_final
        keyword = "note" if action == "round1" else "reason"
        function(
            score=score,
            by=request.user,
            value=form.cleaned_data["score"],
            **{keyword: form.cleaned_data["note"]},
        )
        messages.success(request, _("Đã lưu điểm thẩm định."))
    elif action == "survey":
        form = forms["survey"]
        if not form.is_valid():
            return False
        services.enter_survey(score=score, by=request.user, value=form.cleaned_data["score"])
        messages.success(request, _("Đã lưu điểm điều tra xã hội học."))
    elif action == "answer":
        form = forms["answer"]
        if not form.is_valid():
            return False
        services.answer(score=score, by=request.user, text=form.cleaned_data["answer"])
        messages.success(request, _("Đã lưu giải trình."))
    elif action == "task":
        plan = services.next_plan(sa)
        if plan is None:
            raise ValidationError(
                _("Chưa có kế hoạch CCHC năm %(y)s để thêm nhiệm vụ.") % {"y": sa.year + 1}
            )
        task = services.task_from_criterion(score=score, by=request.user, plan=plan)
        messages.success(
            request, _("Đã thêm nhiệm vụ %(n)s vào %(plan)s.") % {"n": task.number, "plan": plan}
        )
    return True


@login_required
def link_file(request, sa_id, link_id):
    """An uploaded evidence file, to whoever may see its criterion."""
    sa, access = get_self_assessment_for(request.user, sa_id)
    link = (
        EvidenceLink.objects.select_related("score")
        .filter(pk=link_id, score__self_assessment=sa)
        .first()
    )
    if (
        link is None
        or not link.file
        or (not access.sees_all and link.score.unit_id != access.unit_id)
    ):
        raise Http404
    return FileResponse(link.file.open("rb"), as_attachment=True, filename=link.file_name)


def _document_data(sa, access):
    if not access.sees_all:
        raise PermissionDenied
    criteria = list(sa.criteria_set.criteria.order_by("order"))
    scores = list(sa.scores.select_related("criterion"))
    links = _links_by_score(sa, scores)
    appraisal = sa.appraisal_started
    rows = documents.table_rows(criteria, scores, links, appraisal)
    totals = compute_totals(
        sa.criteria_set, criteria, {s.criterion_id: s.self_score for s in scores}
    )
    appraised = (
        compute_totals(
            sa.criteria_set, criteria, {s.criterion_id: s.appraised_score for s in scores}
        )
        if appraisal
        else None
    )
    return criteria, scores, links, rows, totals, appraised


def _file_name(sa, suffix):
    return f"tu-danh-gia-cchc-{sa.year}-{ascii_slug(sa.agency.short_name)}.{suffix}"


@login_required
def sa_export(request, sa_id, kind):
    sa, access = get_self_assessment_for(request.user, sa_id)
    if kind not in ("xlsx", "docx"):
        raise Http404
    _criteria, _scores, _links, rows, totals, appraised = _document_data(sa, access)
    if kind == "xlsx":
        content, content_type = documents.assessment_xlsx(sa, rows, totals, appraised), XLSX
    else:
        content, content_type = documents.assessment_docx(sa, rows, totals, appraised), DOCX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(sa, kind)}"'
    return response


@login_required
def sa_bundle(request, sa_id):
    sa, access = get_self_assessment_for(request.user, sa_id)
    criteria, scores, links, _rows, _totals, _appraised = _document_data(sa, access)
    response = StreamingHttpResponse(
        documents.evidence_bundle(sa, criteria, scores, links), content_type="application/zip"
    )
    name = f"minh-chung-cchc-{sa.year}-{ascii_slug(sa.agency.short_name)}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def sa_results(request, sa_id):
    sa, access = get_self_assessment_for(request.user, sa_id)
    if not access.sees_all:
        raise PermissionDenied
    criteria = list(sa.criteria_set.criteria.order_by("order"))
    scores = list(sa.scores.select_related("criterion", "unit"))
    which = "appraised" if sa.appraisal_started else "self"
    totals = results.totals_of(sa, criteria, scores, which)
    own = results.totals_of(sa, criteria, scores, "self")
    before, before_totals = results.previous_year(sa)
    before_areas = {row.criterion.code: row for row in before_totals.areas} if before_totals else {}
    area_rows = [
        (row, own_row, before_areas.get(row.criterion.code))
        for row, own_row in zip(totals.areas, own.areas, strict=True)
    ]
    standings = results.standings(sa.criteria_set, criteria)
    context = {
        "sa": sa,
        "access": access,
        "which": which,
        "totals": totals,
        "own": own,
        "area_rows": area_rows,
        "before": before,
        "before_totals": before_totals,
        "standings": standings,
        "mine": next((s for s in standings if s.sa.pk == sa.pk), None),
        "weakest": results.weakest(scores),
        "national": results.national_values(sa),
        "next_plan": services.next_plan(sa) if access.can_manage else None,
        "can_make_tasks": access.can_manage and sa.status == SelfAssessment.Status.FINAL,
    }
    return render(request, "indices/results.html", context)


@login_required
def history(request, sa_id):
    sa, access = get_self_assessment_for(request.user, sa_id)
    if not access.sees_all:
        raise PermissionDenied
    changes = _visible_changes(
        ScoreChange.objects.filter(self_assessment=sa).select_related("by", "score__criterion"),
        sa.appraisal_started or access.is_province,
    )[:500]
    return render(request, "indices/history.html", {"sa": sa, "access": access, "changes": changes})


@login_required
def national_values(request):
    """Published national indices for the province: read by its agencies, entered by the
    province's coordinator (Sở Nội vụ)."""
    membership = Membership.of(request.user)
    if membership is None:
        raise Http404
    province = membership.agency.parent or membership.agency
    can_edit = membership.agency_id == province.pk and membership.role in (
        Role.COORDINATOR,
        Role.ADMINISTRATOR,
    )
    form = None
    if can_edit:
        if request.method == "POST":
            form = NationalValueForm(request.POST)
            if form.is_valid():
                NationalIndexValue.objects.update_or_create(
                    province=province,
                    year=form.cleaned_data["year"],
                    index=form.cleaned_data["index"],
                    defaults={
                        "value": form.cleaned_data["value"],
                        "rank": form.cleaned_data["rank"],
                        "source": form.cleaned_data["source"],
                        "components": form.cleaned_data["components_text"],
                    },
                )
                messages.success(request, _("Đã lưu chỉ số công bố."))
                return redirect("national_values")
        else:
            form = NationalValueForm()
    elif request.method == "POST":
        raise PermissionDenied
    values = NationalIndexValue.objects.filter(province=province).order_by("-year", "index")
    return render(
        request,
        "indices/national_values.html",
        {"values": values, "form": form, "province": province},
        status=400 if form is not None and form.errors else 200,
    )
