"""Writes on criteria sets, self-assessments and their appraisal: each atomic, each logged."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack import failures, files
from partrack.indices.criteria_io import fmt
from partrack.indices.evidence_sources import BY_KEY
from partrack.indices.models import (
    CriteriaSet,
    Criterion,
    CriterionScore,
    EvidenceLink,
    Grade,
    ScoreChange,
    SelfAssessment,
)
from partrack.indices.scoring import rounded
from partrack.plans.evidence import sniff_file_type
from partrack.plans.models import Area, Plan, Task

Status = SelfAssessment.Status
Step = ScoreChange.Step


@transaction.atomic
def import_set(
    *,
    owner,
    by,
    name,
    decision,
    year,
    scale,
    parsed,
    grades=(),
    purpose="index",
    rescale_without_survey=False,
):
    """Save a checked set (criteria_io.parse_set without errors) with its grades."""
    criteria_set = CriteriaSet.objects.create(
        owner=owner,
        purpose=purpose,
        name=name,
        decision=decision,
        year=year,
        scale=parsed.total if parsed.total is not None else scale,
        rescale_without_survey=rescale_without_survey,
        created_by=by,
    )
    saved = {}
    for order, item in enumerate(parsed.criteria, start=1):
        saved[item.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=saved.get(item.parent_code),
            code=item.code,
            level=item.level,
            order=order,
            title=item.title,
            max_points=item.max_points,
            evidence_required=item.evidence_required,
            scoring_rule=item.scoring_rule,
            kind=item.kind,
            rule=item.rule,
            options=item.options,
            area_numeral=item.area_numeral,
            computed=item.computed,
        )
    Grade.objects.bulk_create(
        Grade(
            criteria_set=criteria_set,
            order=g.order,
            code=g.code,
            label=g.label,
            lower=g.lower,
            lower_inclusive=g.lower_inclusive,
            upper=g.upper,
            upper_inclusive=g.upper_inclusive,
            conditions=g.conditions,
            requires_no_zero=g.requires_no_zero,
            is_rule_only=g.is_rule_only,
        )
        for g in grades
    )
    return criteria_set


def leaf_criteria(criteria_set):
    criteria = list(criteria_set.criteria.order_by("order"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


@transaction.atomic
def start_self_assessment(*, agency, criteria_set, by):
    """The agency's self-assessment for the set's year: one row per scored criterion."""
    if SelfAssessment.objects.filter(agency=agency, criteria_set=criteria_set).exists():
        raise ValidationError(_("Cơ quan đã có bản tự đánh giá theo bộ tiêu chí này."))
    sa = SelfAssessment.objects.create(
        agency=agency, criteria_set=criteria_set, year=criteria_set.year
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(self_assessment=sa, criterion=c) for c in leaf_criteria(criteria_set)
    )
    ScoreChange.objects.create(
        self_assessment=sa, step=Step.STATUS, after=sa.get_status_display(), by=by
    )
    return sa


def check_score(criterion, value):
    """Raise ValidationError unless `value` is a score the criterion allows."""
    low, high = criterion.bounds()
    if value < low or value > high:
        raise ValidationError(
            _("Điểm của tiêu chí %(code)s phải từ %(low)s đến %(high)s.")
            % {"code": criterion.code, "low": fmt(low), "high": fmt(high)}
        )
    if criterion.rule == Criterion.Rule.OPTIONS and value not in criterion.option_points():
        allowed = ", ".join(fmt(p) for p in criterion.option_points())
        raise ValidationError(
            _("Tiêu chí %(code)s chỉ chấm một trong các mức: %(allowed)s.")
            % {"code": criterion.code, "allowed": allowed}
        )


def rate_score(criterion, rate):
    """The score of a rate-based criterion: rate (0–100 %) × its maximum."""
    if rate < 0 or rate > 100:
        raise ValidationError(_("Tỷ lệ phải từ 0 đến 100%."))
    return rounded(criterion.max_points * rate / Decimal(100))


def _log(score, step, by, before="", after="", note="", now=None):
    ScoreChange.objects.create(
        self_assessment_id=score.self_assessment_id,
        score=score,
        step=step,
        before=before,
        after=after,
        note=note,
        by=by,
        at=now or timezone.now(),
    )


def _current(score):
    """The score's self-assessment as it is now, locked for this transaction: a page opened
    before the office locked it must not write into a locked one."""
    sa = SelfAssessment.objects.select_for_update().get(pk=score.self_assessment_id)
    score.self_assessment = sa
    return sa


def _require(sa, *statuses):
    if sa.status not in statuses:
        raise ValidationError(
            _("Không thực hiện được: bản tự đánh giá đang ở trạng thái “%(s)s”.")
            % {"s": sa.get_status_display()}
        )


@transaction.atomic
def assign_units(*, self_assessment, criterion, unit, by):
    """Give every scored criterion under `criterion` (or itself) to `unit` (None: the office)."""
    _require(self_assessment, Status.DRAFT)
    codes = {criterion.pk}
    criteria = list(self_assessment.criteria_set.criteria.only("pk", "parent_id"))
    grew = True
    while grew:
        more = {c.pk for c in criteria if c.parent_id in codes} - codes
        codes |= more
        grew = bool(more)
    scores = list(self_assessment.scores.filter(criterion_id__in=codes).select_related("unit"))
    for score in scores:
        if score.unit_id != (unit.pk if unit else None):
            _log(score, Step.ASSIGN, by, str(score.unit or ""), str(unit or ""))
            score.unit = unit
            score.save(update_fields=["unit"])
    return len(scores)


@transaction.atomic
def save_self_score(*, score, by, value, explanation):
    _require(_current(score), Status.DRAFT)
    if value is not None:
        check_score(score.criterion, value)
    if value != score.self_score or explanation != score.explanation:
        _log(score, Step.SELF, by, fmt(score.self_score), fmt(value), explanation)
    score.self_score, score.explanation = value, explanation
    score.updated_at = timezone.now()
    score.save(update_fields=["self_score", "explanation", "updated_at"])


@transaction.atomic
def link_source(*, score, by, source_key, object_id):
    """Link a document PARtrack holds; it must be the agency's, of the year."""
    sa = _current(score)
    _require(sa, Status.DRAFT, Status.EXPLANATION_REQUESTED)
    source = BY_KEY.get(source_key)
    obj = source.candidates(sa).filter(pk=object_id).first() if source else None
    if obj is None:
        raise ValidationError(_("Không tìm thấy tài liệu này trong dữ liệu của cơ quan."))
    content_type = source.content_type()
    if score.evidence_links.filter(content_type=content_type, object_id=obj.pk).exists():
        raise ValidationError(_("Tài liệu này đã có trong danh sách của tiêu chí."))
    link = EvidenceLink.objects.create(
        score=score,
        content_type=content_type,
        object_id=obj.pk,
        label=source.cite(obj)[:500],
        added_by=by,
    )
    _log(score, Step.EVIDENCE, by, after=link.label)
    return link


ALLOWED_UPLOADS = {"pdf", "docx", "xlsx", "png", "jpeg"}


@files.atomic()  # the file is published with its row, or not kept at all
def upload_evidence(*, score, by, upload, label):
    _require(_current(score), Status.DRAFT, Status.EXPLANATION_REQUESTED)
    limit = settings.PARTRACK_MAX_EVIDENCE_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("Tệp lớn hơn %(mb)s MB.") % {"mb": settings.PARTRACK_MAX_EVIDENCE_MB}
        )
    if sniff_file_type(upload) not in ALLOWED_UPLOADS:
        raise ValidationError(_("Chỉ nhận tệp PDF, DOCX, XLSX, PNG hoặc JPEG."))
    name = Path(upload.name).name[:255]
    link = EvidenceLink(score=score, label=(label or name)[:500], file_name=name, added_by=by)
    try:
        files.stage(link.file, name, upload)
    except OSError as error:
        # Disk full, unwritable or object store down: nothing of this upload is kept, and the
        # person is told what happened in Vietnamese (never the system's English strerror).
        raise ValidationError(
            failures.save_failure_message(error)
            or _("Không lưu được tệp trên máy chủ. Chưa có gì thay đổi; hãy thử lại sau.")
        ) from error
    link.save()
    _log(score, Step.EVIDENCE, by, after=link.label)
    return link


@transaction.atomic
def remove_link(*, link, by):
    score = link.score
    _require(_current(score), Status.DRAFT, Status.EXPLANATION_REQUESTED)
    _log(score, Step.EVIDENCE, by, before=link.label, note=_("Bỏ tài liệu"))
    link.delete()


def lock_problems(sa):
    """(unscored, without evidence): criteria that cannot be locked as they are."""
    scores = list(sa.scores_for_table())
    unscored = [
        s for s in scores if s.self_score is None and s.criterion.kind == Criterion.Kind.NORMAL
    ]
    no_evidence = [
        s
        for s in scores
        if s.evidence_count == 0
        and s.criterion.kind in (Criterion.Kind.NORMAL, "bonus")
        and s.self_score
    ]
    return unscored, no_evidence


@transaction.atomic
def lock(*, self_assessment, by, accept_missing_evidence=False, now=None):
    """The office locks the self-assessment and sends it to Sở Nội vụ."""
    sa = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    _require(sa, Status.DRAFT)
    unscored, no_evidence = lock_problems(sa)
    if unscored:
        raise ValidationError(
            _("Chưa chấm điểm các tiêu chí: %(codes)s.")
            % {"codes": ", ".join(s.criterion.code for s in unscored)}
        )
    if no_evidence and not accept_missing_evidence:
        raise ValidationError(
            _("Các tiêu chí chưa có tài liệu kiểm chứng: %(codes)s. Bổ sung, hoặc xác nhận khóa.")
            % {"codes": ", ".join(s.criterion.code for s in no_evidence)}
        )
    return _move(sa, Status.LOCKED, by, now, locked=True)


def _move(sa, status, by, now=None, locked=False, note=""):
    before = sa.get_status_display()
    sa.status = status
    fields = ["status"]
    if locked:
        sa.locked_at, sa.locked_by = now or timezone.now(), by
        fields += ["locked_at", "locked_by"]
    sa.save(update_fields=fields)
    ScoreChange.objects.create(
        self_assessment=sa,
        step=Step.STATUS,
        before=before,
        after=sa.get_status_display(),
        note=note,
        by=by,
        at=now or timezone.now(),
    )
    return sa


@transaction.atomic
def reopen(*, self_assessment, by):
    """The office unlocks a self-assessment the province has not started appraising."""
    sa = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    _require(sa, Status.LOCKED)
    if sa.scores.exclude(round1_score=None).exclude(criterion__kind="survey").exists():
        raise ValidationError(_("Sở Nội vụ đã bắt đầu thẩm định; không mở khóa được."))
    return _move(sa, Status.DRAFT, by)


@transaction.atomic
def appraise_round1(*, score, by, value, note):
    """Round 1: the council's score and, where it differs or doubts, what to explain."""
    _require(_current(score), Status.LOCKED)
    check_score(score.criterion, value)
    if value != score.self_score and not note.strip():
        raise ValidationError(_("Ghi rõ lý do hoặc nội dung đề nghị giải trình khi đổi điểm."))
    _log(score, Step.ROUND1, by, fmt(score.round1_score), fmt(value), note)
    score.round1_score, score.round1_note = value, note
    score.save(update_fields=["round1_score", "round1_note"])


@transaction.atomic
def enter_survey(*, score, by, value):
    """Survey-based items are scored by Sở Nội vụ, in either round."""
    _require(_current(score), Status.LOCKED, Status.EXPLANATION_REQUESTED, Status.EXPLAINED)
    if score.criterion.kind != Criterion.Kind.SURVEY:
        raise ValidationError(_("Tiêu chí này không chấm theo điều tra xã hội học."))
    check_score(score.criterion, value)
    _log(score, Step.SURVEY, by, fmt(score.appraised_score), fmt(value))
    score.round1_score = score.final_score = value
    score.save(update_fields=["round1_score", "final_score"])


@transaction.atomic
def send_round1(*, self_assessment, by):
    """Close round 1: criteria the council did not touch keep the agency's score."""
    sa = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    _require(sa, Status.LOCKED)
    for score in sa.scores.filter(round1_score=None).exclude(criterion__kind="survey"):
        score.round1_score = score.self_score
        score.save(update_fields=["round1_score"])
    return _move(sa, Status.EXPLANATION_REQUESTED, by)


@transaction.atomic
def answer(*, score, by, text):
    _require(_current(score), Status.EXPLANATION_REQUESTED)
    if text != score.answer:
        _log(score, Step.ANSWER, by, note=text)
    score.answer = text
    score.save(update_fields=["answer"])


@transaction.atomic
def send_answers(*, self_assessment, by):
    sa = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    _require(sa, Status.EXPLANATION_REQUESTED)
    return _move(sa, Status.EXPLAINED, by)


@transaction.atomic
def appraise_final(*, score, by, value, reason):
    """Round 2: the final score, with a reason whenever it differs from the agency's."""
    _require(_current(score), Status.EXPLAINED)
    check_score(score.criterion, value)
    if value != score.self_score and not reason.strip():
        raise ValidationError(_("Ghi lý do khi điểm thẩm định khác điểm tự chấm."))
    _log(score, Step.FINAL, by, fmt(score.appraised_score), fmt(value), reason)
    score.final_score, score.final_reason = value, reason
    score.save(update_fields=["final_score", "final_reason"])


@transaction.atomic
def finalize(*, self_assessment, by):
    """Publish the result: every criterion ends with its round 2 score (round 1 if untouched)."""
    sa = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    _require(sa, Status.EXPLAINED)
    for score in sa.scores.filter(final_score=None).select_related("criterion"):
        score.final_score = score.round1_score
        if score.final_score != score.self_score and not score.final_reason:
            score.final_reason = score.round1_note
        score.save(update_fields=["final_score", "final_reason"])
    return _move(sa, Status.FINAL, by)


@transaction.atomic
def task_from_criterion(*, score, by, plan):
    """A task of the next plan to lift a weak criterion, in the plan's matching area."""
    criterion = score.criterion
    if plan.agency_id != score.self_assessment.agency_id:
        raise ValidationError(_("Kế hoạch không thuộc cơ quan."))
    area = plan.areas.filter(numeral=criterion.area_numeral).first() or plan.areas.first()
    if area is None:
        area = Area.objects.create(
            plan=plan, order=1, numeral=criterion.area_numeral, title=criterion.title[:300]
        )
    last = plan.tasks.order_by("-number").values_list("number", flat=True).first() or 0
    task = Task(
        plan=plan,
        area=area,
        number=last + 1,
        order=last + 1,
        content=_("Khắc phục tiêu chí %(code)s của Chỉ số CCHC năm %(year)s: %(title)s")
        % {"code": criterion.code, "year": score.self_assessment.year, "title": criterion.title},
        deliverable=criterion.evidence_required,
        note=_("Điểm năm %(year)s: %(score)s/%(max)s")
        % {
            "year": score.self_assessment.year,
            "score": fmt(
                score.appraised_score if score.appraised_score is not None else score.self_score
            ),
            "max": fmt(criterion.max_points),
        },
    )
    task.set_deadline(f"Năm {plan.year}", plan.year)
    task.save()
    coordinators = [score.unit] if score.unit else []
    task.lead_units.set(coordinators or list(plan.agency.units.filter(is_coordinator=True)))
    _log(
        score,
        Step.STATUS,
        by,
        note=_("Tạo nhiệm vụ %(n)s của kế hoạch %(plan)s") % {"n": task.number, "plan": plan},
    )
    return task


def next_plan(sa):
    return Plan.objects.filter(agency_id=sa.agency_id, year=sa.year + 1).first()
