"""The CCHC index: criteria sets as data, self-assessments, appraisal, published values, grading.

A criteria set is a province's yearly tree of areas → criteria → sub-criteria with points; it is
loaded from a file, never written in code. An agency scores itself against it with evidence
(self-assessment), Sở Nội vụ appraises it in two rounds, and the same kind of set with its grades
(xếp loại) grades the agency's units.
"""

import re
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack import files
from partrack.org.models import Agency, Unit

POINTS = {"max_digits": 7, "decimal_places": 2}


class CriteriaSet(models.Model):
    """A province's criteria for one year: an index for its departments, or a grading regime."""

    class Purpose(models.TextChoices):
        INDEX = "index", _("Chỉ số CCHC (tự đánh giá, thẩm định)")
        GRADING = "grading", _("Xếp loại đơn vị")

    owner = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="criteria_sets",
        verbose_name=_("cơ quan ban hành"),
        help_text=_("Tỉnh (đối với chỉ số) hoặc cơ quan (đối với xếp loại đơn vị)."),
    )
    purpose = models.CharField(_("mục đích"), max_length=10, choices=Purpose, default=Purpose.INDEX)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    decision = models.CharField(_("quyết định ban hành"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    scale = models.DecimalField(_("thang điểm"), **POINTS, default=Decimal(100))
    # Hà Nội's model: without the survey, the appraised score is rescaled to the whole scale.
    rescale_without_survey = models.BooleanField(
        _("quy đổi về thang điểm khi không có điều tra xã hội học"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self):
        return reverse("criteria_set_detail", args=[self.pk])

    def tree(self):
        """Every criterion in file order, each with `children` filled in, in one query."""
        criteria = list(self.criteria.order_by("order"))
        by_id = {c.pk: c for c in criteria}
        for criterion in criteria:
            criterion.children_list = []
        for criterion in criteria:
            if criterion.parent_id:
                by_id[criterion.parent_id].children_list.append(criterion)
        return criteria


class Criterion(models.Model):
    """One row of the set: an area (level 1), a criterion or a sub-criterion."""

    class Kind(models.TextChoices):
        NORMAL = "normal", _("Tiêu chí")
        BONUS = "bonus", _("Điểm thưởng")
        DEDUCTION = "deduction", _("Điểm trừ")
        SURVEY = "survey", _("Điều tra xã hội học")

    class Rule(models.TextChoices):
        FREE = "free", _("Tự chấm trong khoảng")
        OPTIONS = "options", _("Chọn mức điểm")
        RATE = "rate", _("Theo tỷ lệ")

    # Points PARtrack can fill in from its own data for a unit's grading.
    class Computed(models.TextChoices):
        NONE = "", _("Không")
        TASKS_ON_TIME = "tasks_on_time", _("Tỷ lệ nhiệm vụ hoàn thành đúng hạn")
        REPORTS_ON_TIME = "reports_on_time", _("Tỷ lệ báo cáo đúng hạn")
        NOT_OVERDUE = "not_overdue", _("Tỷ lệ nhiệm vụ không quá hạn")

    criteria_set = models.ForeignKey(CriteriaSet, models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=30)
    level = models.PositiveSmallIntegerField(_("cấp"))
    order = models.PositiveIntegerField(_("thứ tự"))
    title = models.TextField(_("tiêu chí"))
    # Negative for a deduction item ("Điểm trừ", −3).
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    evidence_required = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    scoring_rule = models.TextField(_("cách chấm"), blank=True)  # as the decision words it
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.NORMAL)
    rule = models.CharField(_("kiểu chấm"), max_length=10, choices=Rule, default=Rule.FREE)
    # [[label, points], …] read from the scoring rule when it lists fixed levels.
    options = models.JSONField(_("các mức điểm"), default=list, blank=True)
    # The plan area (I … VII) whose tasks hold this criterion's evidence.
    area_numeral = models.CharField(_("lĩnh vực của kế hoạch"), max_length=10, blank=True)
    computed = models.CharField(
        _("tính từ dữ liệu"), max_length=20, choices=Computed, default="", blank=True
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="criterion_code_unique_in_set"
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title[:80]}"

    @property
    def is_extra(self):
        """Bonus and deduction items sit outside the scale."""
        return self.kind in (self.Kind.BONUS, self.Kind.DEDUCTION)

    def bounds(self):
        """(lowest, highest) score a leaf may get."""
        if self.max_points < 0:
            return self.max_points, Decimal(0)
        return Decimal(0), self.max_points

    def option_points(self):
        return [Decimal(str(points)) for _label, points in self.options]


class Grade(models.Model):
    """A grade of a grading regime (xếp loại): point bounds and conditions beyond points."""

    criteria_set = models.ForeignKey(CriteriaSet, models.CASCADE, related_name="grades")
    order = models.PositiveSmallIntegerField(_("thứ tự"))  # best grade first
    code = models.CharField(_("mã"), max_length=20)
    label = models.CharField(_("xếp loại"), max_length=200)
    lower = models.DecimalField(_("từ"), **POINTS, null=True, blank=True)
    lower_inclusive = models.BooleanField(default=True)
    upper = models.DecimalField(_("đến"), **POINTS, null=True, blank=True)
    upper_inclusive = models.BooleanField(default=False)
    conditions = models.TextField(_("điều kiện (nguyên văn)"), blank=True)
    # Read from the wording: "không có tiêu chí nào … chấm 0 điểm".
    requires_no_zero = models.BooleanField(_("không có tiêu chí nào 0 điểm"), default=False)
    # A row without bounds that only states a rule ("Các trường hợp hạ bậc xếp loại").
    is_rule_only = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["criteria_set", "order"]

    def __str__(self):
        return self.label

    def holds(self, points):
        if self.is_rule_only:
            return False
        if self.lower is not None and (
            points < self.lower or (points == self.lower and not self.lower_inclusive)
        ):
            return False
        return self.upper is None or (
            points < self.upper or (points == self.upper and self.upper_inclusive)
        )

    def holds_from_below(self, points):
        if self.is_rule_only:
            return False
        if self.lower is None:
            return True
        return points > self.lower or (points == self.lower and self.lower_inclusive)

    def bounds_text(self):
        parts = []
        if self.lower is not None:
            parts.append(f"{'≥' if self.lower_inclusive else '>'} {_points(self.lower)}")
        if self.upper is not None:
            parts.append(f"{'≤' if self.upper_inclusive else '<'} {_points(self.upper)}")
        return ", ".join(parts)


def _points(value):
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return text.replace(".", ",")


class SelfAssessmentQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("agency", "criteria_set")

    def submitted(self):
        """What the province may see: never a draft."""
        return self.exclude(status=SelfAssessment.Status.DRAFT)


class SelfAssessment(models.Model):
    """An agency's self-scoring against a criteria set for a year, and its appraisal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tự chấm")
        LOCKED = "locked", _("Đã khóa, chờ thẩm định")
        EXPLANATION_REQUESTED = "explaining", _("Thẩm định vòng 1: đề nghị giải trình")
        EXPLAINED = "explained", _("Đã giải trình, chờ thẩm định vòng 2")
        FINAL = "final", _("Đã có kết quả thẩm định")

    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="self_assessments", verbose_name=_("cơ quan")
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, models.PROTECT, related_name="self_assessments", verbose_name=_("bộ tiêu chí")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status, default=Status.DRAFT)
    locked_at = models.DateTimeField(_("ngày khóa"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản tự đánh giá")
        verbose_name_plural = _("bản tự đánh giá")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "criteria_set"], name="one_self_assessment_per_set"
            ),
        ]

    def __str__(self):
        return f"{self.agency} — {self.year}"

    def get_absolute_url(self):
        return reverse("self_assessment", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def appraisal_started(self):
        return self.status in (
            self.Status.EXPLANATION_REQUESTED,
            self.Status.EXPLAINED,
            self.Status.FINAL,
        )

    def scores_for_table(self, unit_id=None):
        """Every scored row with its criterion, unit and evidence count, in set order."""
        scores = self.scores.select_related("criterion", "unit").annotate(
            evidence_count=Count("evidence_links")
        )
        if unit_id is not None:
            scores = scores.filter(unit_id=unit_id)
        return scores.order_by("criterion__order")


class CriterionScore(models.Model):
    """One leaf criterion of a self-assessment: the agency's score, then the appraisal's."""

    self_assessment = models.ForeignKey(SelfAssessment, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="scores")
    # The unit the office asked to fill this criterion.
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đơn vị")
    )
    self_score = models.DecimalField(_("điểm tự chấm"), **POINTS, null=True, blank=True)
    explanation = models.TextField(_("giải trình, thuyết minh"), blank=True)
    # Round 1: the council's score and what it asks the agency to explain.
    round1_score = models.DecimalField(_("điểm thẩm định vòng 1"), **POINTS, null=True, blank=True)
    round1_note = models.TextField(_("ý kiến thẩm định vòng 1"), blank=True)
    answer = models.TextField(_("giải trình của cơ quan"), blank=True)
    # Round 2: the final score and why it differs from the agency's.
    final_score = models.DecimalField(_("điểm thẩm định"), **POINTS, null=True, blank=True)
    final_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["self_assessment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "criterion"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.self_score}"

    @property
    def appraised_score(self):
        """The council's latest word: round 2 when given, else round 1."""
        return self.final_score if self.final_score is not None else self.round1_score

    @property
    def best_score(self):
        """The appraised score once there is one, else the agency's own."""
        return self.appraised_score if self.appraised_score is not None else self.self_score

    @property
    def is_survey(self):
        return self.criterion.kind == Criterion.Kind.SURVEY


def evidence_upload_path(link, filename):
    suffix = Path(filename).suffix.lower()[:8]
    score = link.score
    return f"indices/{score.self_assessment_id}/{score.pk}/{uuid.uuid4().hex}{suffix}"


class EvidenceLink(models.Model):
    """A verification document for a criterion: something PARtrack holds, or an uploaded file.

    What PARtrack holds is linked generically (content type + id), so that new kinds of
    documents (inspection records, activities, registers) join by registering a source in
    `evidence_sources`, without a migration here.
    """

    score = models.ForeignKey(CriterionScore, models.CASCADE, related_name="evidence_links")
    content_type = models.ForeignKey(
        ContentType, models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    # How the link cites it, kept as it was when linked (the source may change later).
    label = models.CharField(_("tài liệu"), max_length=500)
    file = models.FileField(_("tệp"), upload_to=evidence_upload_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["score", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["score", "content_type", "object_id"],
                condition=Q(object_id__isnull=False),
                name="link_a_source_once_per_criterion",
            ),
        ]

    def __str__(self):
        return self.label


class StepChange(models.Model):
    """A line of a history: one step's value before and after, its note, who and when."""

    before = models.CharField(max_length=100, blank=True)
    after = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_step_display()} {self.before} → {self.after}"


class ScoreChange(StepChange):
    """The history of a criterion: every score, note, answer and link, who and when."""

    class Step(models.TextChoices):
        SELF = "self", _("Tự chấm")
        ASSIGN = "assign", _("Phân công")
        EVIDENCE = "evidence", _("Tài liệu kiểm chứng")
        ROUND1 = "round1", _("Thẩm định vòng 1")
        ANSWER = "answer", _("Giải trình")
        FINAL = "final", _("Thẩm định vòng 2")
        SURVEY = "survey", _("Điều tra xã hội học")
        STATUS = "status", _("Trạng thái")

    self_assessment = models.ForeignKey(SelfAssessment, models.CASCADE, related_name="changes")
    score = models.ForeignKey(
        CriterionScore, models.CASCADE, null=True, blank=True, related_name="changes"
    )
    step = models.CharField(max_length=10, choices=Step)

    class Meta(StepChange.Meta):
        verbose_name = _("lịch sử chấm điểm")
        verbose_name_plural = _("lịch sử chấm điểm")


class NationalIndexValue(models.Model):
    """A published value of a national index for the province, per year."""

    class Index(models.TextChoices):
        PAR_INDEX = "par_index", "PAR INDEX"
        SIPAS = "sipas", "SIPAS"
        PCI = "pci", "PCI"
        PAPI = "papi", "PAPI"
        DTI = "dti", "DTI"

    province = models.ForeignKey(Agency, models.CASCADE, related_name="national_values")
    year = models.PositiveSmallIntegerField(_("năm"))
    index = models.CharField(_("chỉ số"), max_length=10, choices=Index)
    value = models.DecimalField(_("giá trị"), max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    # {component name: value}, as published.
    components = models.JSONField(_("chỉ số thành phần"), default=dict, blank=True)
    source = models.CharField(_("nguồn công bố"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chỉ số công bố")
        verbose_name_plural = _("chỉ số công bố")
        ordering = ["-year", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "index"], name="one_value_per_index_year"
            ),
        ]

    def __str__(self):
        return f"{self.get_index_display()} {self.year}: {self.value}"


class UnitGrading(models.Model):
    """A unit's grading for a year: self-score, the office's proposal, the Director's approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đơn vị tự chấm")
        PROPOSED = "proposed", _("Văn phòng đã đề xuất")
        APPROVED = "approved", _("Giám đốc đã phê duyệt")

    regime = models.ForeignKey(CriteriaSet, models.PROTECT, related_name="unit_gradings")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="gradings")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    # A disqualifying event (corruption, serious disunity, discipline…): the lowest grade.
    disqualifying_event = models.TextField(_("sự việc làm không hoàn thành"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xếp loại đơn vị")
        verbose_name_plural = _("xếp loại đơn vị")
        ordering = ["regime", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "unit"], name="one_grading_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"


class UnitGradingScore(models.Model):
    """One leaf criterion of a unit's grading."""

    grading = models.ForeignKey(UnitGrading, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("đơn vị tự chấm"), **POINTS, null=True, blank=True)
    proposed_score = models.DecimalField(_("Văn phòng đề xuất"), **POINTS, null=True, blank=True)
    # What PARtrack computed and from what, shown beside the scores.
    computed_score = models.DecimalField(_("tính từ dữ liệu"), **POINTS, null=True, blank=True)
    computed_source = models.TextField(_("nguồn số liệu"), blank=True)

    class Meta:
        ordering = ["grading", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["grading", "criterion"], name="one_grading_score_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"

    @property
    def score(self):
        for value in (self.proposed_score, self.self_score, self.computed_score):
            if value is not None:
                return value
        return None


class GradingChange(StepChange):
    """The history of a unit's grading: each score, proposal and decision, who and when."""

    class Step(models.TextChoices):
        SELF = "self", _("Đơn vị tự chấm")
        PROPOSAL = "proposal", _("Văn phòng đề xuất")
        STATUS = "status", _("Trạng thái")

    grading = models.ForeignKey(UnitGrading, models.CASCADE, related_name="changes")
    criterion = models.ForeignKey(
        Criterion, models.CASCADE, null=True, blank=True, related_name="+"
    )
    step = models.CharField(max_length=10, choices=Step)

    class Meta(StepChange.Meta):
        verbose_name = _("lịch sử xếp loại")
        verbose_name_plural = _("lịch sử xếp loại")


def prefetch_links():
    return Prefetch("evidence_links", queryset=EvidenceLink.objects.select_related("content_type"))


ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")


def roman_area(code):
    """ "III" for "III", "III.2" or "III.2.a"; "" when the code does not start with a numeral."""
    head = code.split(".")[0].strip().upper()
    return head if head and ROMAN.match(head) else ""


post_delete.connect(files.remove_files_after_delete, sender=EvidenceLink)
