"""The plan's work that is not one row of its appendix: communication activities, the registers of
initiatives and legal documents, and the period figures (indicators) units report.

Every record belongs to a plan and to the unit that did the work; the counts a report prints are
computed from the records' own dates against the period's data window, never stored.
"""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Count, Sum
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack import files
from partrack.org.models import Unit
from partrack.plans.models import Area, Plan, ReportingPeriod, Task


class Form(models.TextChoices):
    """How the seed plan (section III.2) says communication is done."""

    CONFERENCE = "conference", _("Hội nghị")
    TRAINING = "training", _("Tập huấn")
    DISCUSSION = "discussion", _("Tọa đàm")
    WORKSHOP = "workshop", _("Hội thảo")
    WEB_POST = "web_post", _("Bài đăng trên trang thông tin điện tử")
    MEETING = "meeting", _("Sinh hoạt chi bộ, đoàn thể")
    OTHER = "other", _("Hình thức khác")


# How a count of each form reads in a sentence: "12 bài đăng, 3 hội nghị".
FORM_COUNT_WORDS = {
    Form.CONFERENCE: "hội nghị",
    Form.TRAINING: "lớp tập huấn",
    Form.DISCUSSION: "tọa đàm",
    Form.WORKSHOP: "hội thảo",
    Form.WEB_POST: "bài đăng",
    Form.MEETING: "buổi sinh hoạt",
    Form.OTHER: "hoạt động khác",
}


class Topic(models.TextChoices):
    """What is communicated: the contents list of the seed plan's section III.1."""

    PROGRAMME = "programme", _("Chương trình tổng thể cải cách hành chính của Chính phủ")
    NATIONAL_PLAN = "national_plan", _("Kế hoạch cải cách hành chính nhà nước giai đoạn")
    PROVINCE_PLAN = "province_plan", _("Kế hoạch cải cách hành chính của tỉnh")
    PROCEDURES = "procedures", _("Công khai, tiếp nhận và giải quyết thủ tục hành chính")
    SCIENCE_LAW = "science_law", _("Quy định mới của pháp luật về khoa học và công nghệ")
    CIVIL_SERVICE = "civil_service", _("Quản lý, đánh giá, trách nhiệm của CB, CCVC")
    OTHER = "other", _("Nội dung khác")


def register_file_path(record, filename):
    # A random name under the plan, so that a URL cannot be guessed from a document's title.
    suffix = Path(filename).suffix.lower()[:8]
    return f"registers/{record.plan_id}/{uuid.uuid4().hex}{suffix}"


class RecordQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("unit", "task").order_by(f"-{self.model.DATE_FIELD}", "-pk")

    def within(self, first, last):
        """Records dated from `first` to `last`, both included."""
        field = self.model.DATE_FIELD
        return self.filter(**{f"{field}__gte": first, f"{field}__lte": last})


class Record(models.Model):
    """What every register entry has: its plan and unit, an optional task, and its evidence."""

    DATE_FIELD = "date"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+", verbose_name=_("kế hoạch"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    task = models.ForeignKey(
        Task,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ liên quan"),
    )
    file = models.FileField(_("tệp minh chứng"), upload_to=register_file_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # as uploaded, for the download
    file_type = models.CharField(max_length=10, blank=True)  # read from its bytes
    url = models.URLField(_("đường dẫn"), blank=True, max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


class Activity(Record):
    """One communication activity (tuyên truyền): a conference, a training, a web post…"""

    date = models.DateField(_("ngày"))
    form = models.CharField(_("hình thức"), max_length=20, choices=Form)
    topic = models.CharField(_("nội dung"), max_length=20, choices=Topic)
    title = models.CharField(_("tên hoạt động"), max_length=300)
    participants = models.PositiveIntegerField(_("số người tham dự"), null=True, blank=True)

    class Meta:
        verbose_name = _("hoạt động tuyên truyền")
        verbose_name_plural = _("hoạt động tuyên truyền")
        indexes = [models.Index(fields=["plan", "date"], name="activity_plan_date")]

    def __str__(self):
        return self.title


class Initiative(Record):
    """An initiative (sáng kiến) recognised by a decision."""

    class Level(models.TextChoices):
        AGENCY = "agency", _("Cấp cơ sở (Sở)")
        PROVINCE = "province", _("Cấp tỉnh")
        NATIONAL = "national", _("Cấp toàn quốc")

    title = models.CharField(_("tên sáng kiến"), max_length=300)
    authors = models.CharField(_("tác giả"), max_length=300)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=100)
    date = models.DateField(_("ngày quyết định"))
    level = models.CharField(_("cấp công nhận"), max_length=10, choices=Level)
    applied_where = models.CharField(_("phạm vi áp dụng"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        indexes = [models.Index(fields=["plan", "date"], name="initiative_plan_date")]

    def __str__(self):
        return self.title


class LegalDocument(Record):
    """A legal or administrative document the agency reviewed, drafted, issued or disseminated."""

    class Action(models.TextChoices):
        REVIEWED = "reviewed", _("Rà soát")
        DRAFTED = "drafted", _("Tham mưu, dự thảo")
        ISSUED = "issued", _("Ban hành")
        DISSEMINATED = "disseminated", _("Phổ biến, triển khai")

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Văn bản quy phạm pháp luật")
        ADMINISTRATIVE = "administrative", _("Văn bản hành chính")

    number_symbol = models.CharField(_("số, ký hiệu"), max_length=100)
    date = models.DateField(_("ngày"))
    action = models.CharField(_("công việc"), max_length=20, choices=Action)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind)
    summary = models.CharField(_("trích yếu"), max_length=500)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        indexes = [models.Index(fields=["plan", "date"], name="legaldoc_plan_date")]

    def __str__(self):
        return f"{self.number_symbol}: {self.summary}"


def activity_counts(plan_id, first, last, task_ids=None, unit_id=None):
    """{"total", "participants", "forms": {form: n}, "topics": {topic: n}} in one query."""
    activities = Activity.objects.filter(plan_id=plan_id).within(first, last)
    if task_ids is not None:
        activities = activities.filter(task_id__in=task_ids)
    if unit_id is not None:
        activities = activities.filter(unit_id=unit_id)
    forms = dict.fromkeys(Form.values, 0)
    topics = dict.fromkeys(Topic.values, 0)
    participants = 0
    groups = (
        activities.order_by()
        .values_list("form", "topic")
        .annotate(n=Count("pk"), people=Sum("participants"))
    )
    for form, topic, n, people in groups:
        forms[form] = forms.get(form, 0) + n
        topics[topic] = topics.get(topic, 0) + n
        participants += people or 0
    return {
        "total": sum(forms.values()),
        "participants": participants,
        "forms": forms,
        "topics": topics,
    }


def form_summary(forms):
    """ "12 bài đăng, 3 hội nghị": the forms held, most frequent first."""
    held = sorted(((n, form) for form, n in forms.items() if n), key=lambda x: (-x[0], x[1]))
    return ", ".join(f"{n} {FORM_COUNT_WORDS[form]}" for n, form in held)


class Indicator(models.Model):
    """A figure the plan asks for every period: dossiers settled on time, staff trained…"""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("Càng cao càng tốt (đạt khi không thấp hơn chỉ tiêu)")
        AT_MOST = "at_most", _("Càng thấp càng tốt (đạt khi không vượt chỉ tiêu)")

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="indicators", verbose_name=_("kế hoạch")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    measure = models.CharField(_("đơn vị tính"), max_length=30)
    target = models.DecimalField(
        _("chỉ tiêu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(
        _("cách đánh giá"), max_length=10, choices=Direction, default=Direction.AT_LEAST
    )
    area = models.ForeignKey(
        Area, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lĩnh vực")
    )
    task = models.ForeignKey(
        Task, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("nhiệm vụ")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("đơn vị nhập số liệu")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def attainment(self, value):
        """(percent of the target or None, met: True/False/None) for a value of a period."""
        if value is None or self.target is None:
            return None, None
        if self.direction == self.Direction.AT_MOST:
            return None, value <= self.target
        percent = (value * 100 / self.target).quantize(Decimal("0.1")) if self.target else None
        return percent, value >= self.target


class FigureQuerySet(models.QuerySet):
    def for_table(self):
        return self.select_related("indicator__unit", "entered_by", "reviewed_by")


class Figure(models.Model):
    """An indicator's value for one reporting period, as its unit entered (or imported) it."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="figures", verbose_name=_("chỉ tiêu")
    )
    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="+", verbose_name=_("kỳ báo cáo")
    )
    value = models.DecimalField(_("số liệu"), max_digits=14, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The first entry decides whether the unit was on time; a later correction does not.
    first_entered_at = models.DateTimeField(default=timezone.now)
    entered_at = models.DateTimeField(default=timezone.now)
    # The office's review, with the unit report; a new value clears it.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="figure_unique_per_indicator_period"
            )
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period_id}: {self.value}"


class FigureImport(models.Model):
    """An uploaded figures sheet waiting for its uploader to confirm what was read."""

    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="+")
    # [{"indicator": id, "value": "12.5", "note": "…"}]: read and checked, not yet written.
    rows = models.JSONField(default=list)
    file_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp số liệu chờ xác nhận")
        verbose_name_plural = _("tệp số liệu chờ xác nhận")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("figure_import_review", args=[self.pk])


class Change(models.Model):
    """One entry of the history of these registers: who wrote what, when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Thêm")
        UPDATED = "updated", _("Sửa")
        DELETED = "deleted", _("Xóa")
        IMPORTED = "imported", _("Nhập từ tệp")
        REVIEWED = "reviewed", _("Xem xét")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+")
    record_kind = models.CharField(max_length=20)  # a register's kind ("activity", "figure"…)
    record_id = models.PositiveIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action)
    summary = models.CharField(max_length=500)
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử sổ theo dõi")
        verbose_name_plural = _("lịch sử sổ theo dõi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "-created_at"], name="change_plan_time")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"


def figures_with_entries(plan_id, period):
    """[(indicator, figure or None)] of the plan, in order: two queries, whatever the data."""
    indicators = list(
        Indicator.objects.filter(plan_id=plan_id).select_related("unit", "task", "area")
    )
    figures = {
        figure.indicator_id: figure
        for figure in Figure.objects.filter(period=period, indicator__plan_id=plan_id)
    }
    return [(indicator, figures.get(indicator.pk)) for indicator in indicators]


def units_owing_figures(plan_id, period):
    """Unit ids with at least one indicator of the plan without a figure for `period`."""
    entered = Figure.objects.filter(period=period, indicator_id=models.OuterRef("pk"))
    return set(
        Indicator.objects.filter(plan_id=plan_id)
        .exclude(models.Exists(entered))
        .values_list("unit_id", flat=True)
    )


# A removed entry's evidence file goes once the removal commits (disk or bucket alike).
for _model in (Activity, Initiative, LegalDocument):
    post_delete.connect(files.remove_files_after_delete, sender=_model)
