"""The yearly CCHC inspection (section IV of the plan): who is inspected, by whom, what was found.

One inspection per plan year. The office selects a share of the units (not the office itself);
a team checks each on the inspection's contents, writes minutes signed off by its leader and a
conclusion whose recommendations become tasks of the plan. Every other unit inspects itself.
"""

import math
from datetime import date
from fractions import Fraction
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack import files
from partrack.org.models import Unit
from partrack.plans.models import Plan, Task

# The six contents of the seed plan's section IV.4, the default of every new inspection.
DEFAULT_CONTENTS = [
    "Triển khai thực hiện Kế hoạch cải cách hành chính, kiểm soát thủ tục hành chính",
    "Tuyên truyền cải cách hành chính",
    "Tham mưu xây dựng văn bản quy phạm pháp luật thuộc lĩnh vực của ngành",
    "Tiếp nhận và giải quyết thủ tục hành chính",
    "Hiện đại hóa nền hành chính",
    "Thực hiện phân cấp quản lý",
]
# The seed's "Kiểm tra 25% các phòng chuyên môn và đơn vị trực thuộc Sở".
DEFAULT_SHARE = 25
# The heading of the plan under which recommendations become tasks.
FOLLOW_UP_AREA = "Khắc phục sau kiểm tra"
# How far back a unit counts as recently inspected when PARtrack proposes whom to inspect.
RECENT_YEARS = 2


def units_needed(share, eligible):
    """How many units `share` percent of `eligible` units is, rounded up (a part of a unit is one).

    Rounding up is the rule, so that the share is met, never missed by a fraction.
    """
    if eligible <= 0:
        return 0
    return math.ceil(Fraction(share * eligible, 100))


def coverage_rule(share, eligible):
    """ "25% của 5 đơn vị = 1,25 → 2 đơn vị (làm tròn lên)": the rule, with its rounding shown."""
    exact = Fraction(share * eligible, 100)
    needed = units_needed(share, eligible)
    shown = f"{float(exact):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    rounding = " (làm tròn lên)" if exact != needed else ""
    return f"{share}% của {eligible} đơn vị = {shown} → {needed} đơn vị{rounding}"


def share_written_in(plan):
    """The share of units the plan's own text sets, as a percent (0.25 → 25), or None.

    Read from Plan.inspection_share where the importer keeps the plan's rules; a plan without
    it (or an older schema without the property) leaves the inspection's default.
    """
    share = getattr(plan, "inspection_share", None)
    if not share:
        return None
    percent = round(float(share) * 100)
    return percent if 1 <= percent <= 100 else None


class Rating(models.TextChoices):
    """The team's verdict on one content of the inspection."""

    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Chưa đạt")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")


class InspectionQuerySet(models.QuerySet):
    def for_page(self):
        return self.select_related("plan__agency", "task")


class Inspection(models.Model):
    """The year's inspection plan and everything done under it."""

    plan = models.OneToOneField(
        Plan, models.CASCADE, related_name="inspection", verbose_name=_("kế hoạch")
    )
    period_text = models.CharField(_("thời gian kiểm tra"), max_length=100)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    contents = models.JSONField(_("nội dung kiểm tra"), default=list)
    required_share = models.PositiveSmallIntegerField(
        _("tỷ lệ đơn vị được kiểm tra (%)"),
        default=DEFAULT_SHARE,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # The plan's task "Ban hành Kế hoạch kiểm tra CCHC": issuing marks it done, with evidence.
    task = models.ForeignKey(
        Task,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ ban hành kế hoạch kiểm tra"),
    )
    symbol = models.CharField(_("số, ký hiệu kế hoạch kiểm tra"), max_length=50, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    decision_symbol = models.CharField(
        _("số, ký hiệu quyết định thành lập đoàn"), max_length=50, blank=True
    )
    decision_issued_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    self_inspection_due = models.DateField(_("hạn gửi báo cáo tự kiểm tra"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")

    def __str__(self):
        return f"Kiểm tra CCHC năm {self.plan.year}"

    def get_absolute_url(self):
        return reverse("inspection_detail", args=[self.pk])

    @property
    def is_issued(self):
        return self.issued_at is not None

    @property
    def agency(self):
        return self.plan.agency

    @property
    def plan_share(self):
        return share_written_in(self.plan)

    def eligible_units(self):
        """The units the share counts: every unit of the agency but the office."""
        return self.plan.agency.units.exclude(is_coordinator=True).exclude(kind=Unit.Kind.OFFICE)


def default_period(year):
    """Quý III–IV of the plan year, as the seed plan schedules it."""
    return f"Quý III, IV năm {year}", date(year, 7, 1), date(year, 12, 31)


class TeamMember(models.Model):
    """A person of the inspection team (đoàn kiểm tra); one of them leads it."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    is_leader = models.BooleanField(_("trưởng đoàn"), default=False)

    class Meta:
        ordering = ["inspection", "-is_leader", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_seat_per_person"),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def team_role(self):
        return _("Trưởng đoàn") if self.is_leader else _("Thành viên")


class InspectedUnitQuerySet(models.QuerySet):
    def for_listing(self):
        return (
            self.select_related("unit", "minutes_signed_by", "concluded_by")
            .prefetch_related(
                "assignees", "recommendations__task", "recommendations__lead_unit", "minutes"
            )
            .order_by("visit_on", "unit__order", "unit__name")
        )


class InspectedUnit(models.Model):
    """A unit selected for inspection: its visit, the minutes and the conclusion."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="inspected_units")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    visit_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    # Team members who write this unit's minutes.
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("thành viên phụ trách"),
    )
    minutes_signed_at = models.DateTimeField(null=True, blank=True)
    minutes_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    findings = models.TextField(_("kết luận chung"), blank=True)
    conclusion_symbol = models.CharField(
        _("số, ký hiệu thông báo kết luận"), max_length=50, blank=True
    )
    conclusion_issued_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InspectedUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị được kiểm tra")
        verbose_name_plural = _("đơn vị được kiểm tra")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="inspect_a_unit_once"),
        ]

    def __str__(self):
        return str(self.unit)

    def get_absolute_url(self):
        return reverse("inspected_unit", args=[self.inspection_id, self.unit_id])

    @property
    def minutes_signed(self):
        return self.minutes_signed_at is not None

    @property
    def concluded(self):
        return self.concluded_at is not None

    def rating_counts(self):
        """{rating: count} over the minutes (prefetched by for_listing)."""
        counts = {rating.value: 0 for rating in Rating}
        for item in self.minutes.all():
            if item.rating:
                counts[item.rating] += 1
        return counts

    def fixed_count(self):
        return sum(1 for r in self.recommendations.all() if r.is_fixed)


class MinutesItem(models.Model):
    """One content of the minutes (biên bản kiểm tra): what was checked, found, and the rating."""

    inspected_unit = models.ForeignKey(InspectedUnit, models.CASCADE, related_name="minutes")
    position = models.PositiveSmallIntegerField()
    content = models.CharField(_("nội dung kiểm tra"), max_length=300)
    checked = models.TextField(_("nội dung đã kiểm tra"), blank=True)
    found = models.TextField(_("kết quả, phát hiện"), blank=True)
    rating = models.CharField(_("đánh giá"), max_length=20, choices=Rating, blank=True)

    class Meta:
        ordering = ["inspected_unit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspected_unit", "position"], name="one_minutes_item_per_content"
            ),
        ]

    def __str__(self):
        return self.content


class UnitSubmissionQuerySet(models.QuerySet):
    def for_board(self):
        return self.select_related("unit", "submitted_by", "reviewed_by")


class UnitSubmission(models.Model):
    """What a unit writes for the inspection: its report (inspected) or its self-inspection."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo của đơn vị được kiểm tra")
        SELF = "self", _("Báo cáo tự kiểm tra")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã chấp nhận")

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="unit_submissions")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    kind = models.CharField(max_length=10, choices=Kind)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    # [{"content": …, "text": …, "rating": …}], one per content of the inspection.
    answers = models.JSONField(default=list)
    lock_version = models.PositiveIntegerField(default=1)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("Ý kiến của Văn phòng"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo kiểm tra của đơn vị")
        verbose_name_plural = _("báo cáo kiểm tra của đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "unit"], name="one_inspection_report_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.unit}"

    def get_absolute_url(self):
        return reverse("inspection_unit_report", args=[self.inspection_id, self.unit_id])

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_sent(self):
        return self.first_submitted_at is not None


class SubmissionVersion(models.Model):
    """A sent version of a unit's inspection report, frozen, with the office's decision."""

    submission = models.ForeignKey(UnitSubmission, models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    content = models.JSONField()
    outcome = models.CharField(max_length=10, blank=True)
    comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="inspection_submission_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.submission} #{self.number}"


class Recommendation(models.Model):
    """A recommendation of the conclusion, and the plan task that carries it out."""

    inspected_unit = models.ForeignKey(
        InspectedUnit, models.CASCADE, related_name="recommendations"
    )
    finding = models.TextField(_("tồn tại, hạn chế"), blank=True)
    text = models.TextField(_("kiến nghị"))
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị thực hiện")
    )
    due_date = models.DateField(_("hạn khắc phục"))
    task = models.OneToOneField(
        Task,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_recommendation",
        verbose_name=_("nhiệm vụ khắc phục"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inspected_unit", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_fixed(self):
        """Fixed when its task is done; the task's status is the one record of it."""
        from partrack.plans.models import Status

        return self.task is not None and self.task.status == Status.DONE


def inspection_file_path(record, filename):
    # A random name, so that a file's URL under MEDIA_ROOT cannot be guessed.
    return f"inspections/{record.inspection_id}/{uuid4().hex}.docx"


class InspectionFile(models.Model):
    """One version of one of the inspection's documents, kept byte for byte as first served."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch kiểm tra")
        DECISION = "decision", _("Quyết định thành lập đoàn kiểm tra")
        MINUTES = "minutes", _("Biên bản kiểm tra")
        CONCLUSION = "conclusion", _("Thông báo kết luận kiểm tra")
        RESULTS = "results", _("Báo cáo kết quả kiểm tra")

    PER_UNIT = {"minutes", "conclusion"}
    CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="files")
    inspected_unit = models.ForeignKey(
        InspectedUnit, models.CASCADE, null=True, blank=True, related_name="files"
    )
    kind = models.CharField(max_length=12, choices=Kind)
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=inspection_file_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["inspection", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "inspected_unit", "kind", "version"],
                name="one_inspection_file_per_version",
            ),
        ]

    def __str__(self):
        return self.download_name()

    def get_absolute_url(self):
        return reverse("inspection_file", args=[self.inspection_id, self.pk])

    def download_name(self):
        """ "kiem-tra-cchc-2026-plan-v2.docx": plain ASCII, which every browser keeps."""
        unit = f"-dv{self.inspected_unit.unit_id}" if self.inspected_unit_id else ""
        return f"kiem-tra-cchc-{self.inspection.plan.year}-{self.kind}{unit}-v{self.version}.docx"


class InspectionEvent(models.Model):
    """The inspection's history: every write, by whom and when."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="events")
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.action


post_delete.connect(files.remove_files_after_delete, sender=InspectionFile)
