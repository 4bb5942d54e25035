"""Unit reports for a reporting period, their review by the office, and every version of them."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack import files
from partrack.org.models import Unit
from partrack.plans.models import Evidence, ReportingPeriod, Task


class UnitReportQuerySet(models.QuerySet):
    def for_board(self):
        return self.select_related("unit", "submitted_by", "reviewed_by")


class UnitReport(models.Model):
    """What one unit reports to the office for one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã chấp nhận")

    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="unit_reports", verbose_name=_("kỳ")
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="reports", verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    results = models.TextField(_("Kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("Khó khăn, vướng mắc và nguyên nhân"), blank=True)
    proposals = models.TextField(_("Đề xuất, kiến nghị"), blank=True)
    # Bumped on every write; an edit form carries it so that a stale save is refused.
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo đơn vị")
        verbose_name_plural = _("báo cáo đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_unit_period"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.period}"

    def get_absolute_url(self):
        return reverse("unit_report", args=[self.period_id, self.unit_id])

    @property
    def is_editable(self):
        """A submitted or accepted report is locked; a draft or a returned one is not."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def days_late(self):
        """Days the first submission came after the unit deadline; None if never submitted."""
        if self.first_submitted_at is None:
            return None
        return self.period.days_late(timezone.localdate(self.first_submitted_at))


class ReportEntry(models.Model):
    """One task in a unit report: what the unit says about it, with the evidence it cites."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COORDINATING = "coordinating", _("Phối hợp")

    report = models.ForeignKey(UnitReport, models.CASCADE, related_name="entries")
    task = models.ForeignKey(Task, models.CASCADE, related_name="report_entries")
    role = models.CharField(max_length=15, choices=Role)
    status = models.CharField(max_length=20, blank=True)  # the task's status when prefilled
    percent = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("Kết quả thực hiện"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="+")

    class Meta:
        # "coordinating" sorts before "lead"; the lead unit's own tasks come first.
        ordering = ["report", "-role", "task__area__order", "task__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="one_entry_per_task"),
        ]

    def __str__(self):
        return f"{self.report} — {self.task_id}"


class ReportSubmission(models.Model):
    """A submitted version of a unit report, frozen, with the office's decision on it."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Chờ xem xét")
        RETURNED = "returned", _("Trả lại")
        ACCEPTED = "accepted", _("Chấp nhận")

    report = models.ForeignKey(UnitReport, models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    content = models.JSONField()  # the general parts and every entry, as sent
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="submission_number_unique"),
        ]

    def __str__(self):
        return f"{self.report} #{self.number}"


class Notification(models.Model):
    """A reminder shown in the app (and e-mailed unless the person turned e-mail off).

    `key` names what the reminder is about and when ("task-due:12:7d"): one person gets one
    notification per key, which is what makes sending reminders safe to run twice.
    """

    class Kind(models.TextChoices):
        TASK_DUE = "task_due", _("Nhiệm vụ sắp đến hạn")
        TASK_OVERDUE = "task_overdue", _("Nhiệm vụ quá hạn")
        REPORT_DUE = "report_due", _("Sắp đến hạn báo cáo")
        REPORT_OVERDUE = "report_overdue", _("Quá hạn báo cáo")
        REPORT_REVIEWED = "report_reviewed", _("Báo cáo được xem xét")
        DIGEST = "digest", _("Tổng hợp hằng tuần")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key"),
        ]

    def __str__(self):
        return self.title


class ConsolidatedReport(models.Model):
    """The agency's report for a period: the text the office edits, and the files made from it."""

    period = models.ForeignKey(
        ReportingPeriod,
        models.CASCADE,
        related_name="consolidated_reports",
        verbose_name=_("kỳ"),
    )
    # {section key: text}, prefilled from the data and then the office's words.
    narrative = models.JSONField(_("nội dung"), default=dict, blank=True)
    # "/BC-SKHCN" until the clerk numbers it on issue.
    symbol = models.CharField(_("số, ký hiệu"), max_length=50, blank=True)
    issued_on = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    # Bumped on every write; the edit form carries it so that a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["period"], name="one_consolidated_report_per_period"),
        ]

    def __str__(self):
        return f"{_('Báo cáo tổng hợp')} {self.period}"

    def get_absolute_url(self):
        return reverse("consolidated_report", args=[self.period_id])


def report_file_path(report_file, filename):
    # A random name, so that a file's URL under MEDIA_ROOT cannot be guessed.
    period = report_file.report.period
    return f"reports/{period.plan_id}/{period.pk}/{uuid4().hex}.{report_file.kind}"


class ReportFile(models.Model):
    """One file produced from a consolidated report, kept as it was served the first time."""

    class Kind(models.TextChoices):
        DOCX = "docx", _("Word (DOCX)")
        XLSX = "xlsx", _("Excel (XLSX)")
        CSV = "csv", _("CSV")
        PDF = "pdf", _("PDF (xem trước)")

    CONTENT_TYPES = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
        "pdf": "application/pdf",
    }

    report = models.ForeignKey(ConsolidatedReport, models.CASCADE, related_name="files")
    version = models.PositiveIntegerField(_("phiên bản"))
    kind = models.CharField(_("loại tệp"), max_length=10, choices=Kind)
    file = models.FileField(upload_to=report_file_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The version the agency issued (signed and sent): kept whatever the retention.
    issued = models.BooleanField(_("đã ban hành"), default=False)

    class Meta:
        verbose_name = _("tệp báo cáo tổng hợp")
        verbose_name_plural = _("tệp báo cáo tổng hợp")
        ordering = ["report", "-version", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version", "kind"], name="one_file_per_kind_and_version"
            ),
        ]

    def __str__(self):
        return self.download_name()

    def get_absolute_url(self):
        return reverse("report_file_download", args=[self.report.period_id, self.pk])

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.kind]

    def download_name(self):
        """ "bao-cao-cchc-q1-2026-SKHCN-v2.docx": plain ASCII, which every browser keeps."""
        period = self.report.period
        agency = "".join(ch for ch in period.plan.agency.short_name if ch.isascii()) or "co-quan"
        year = period.plan.year
        return f"bao-cao-cchc-{period.kind}-{year}-{agency}-v{self.version}.{self.kind}"


post_delete.connect(files.remove_files_after_delete, sender=ReportFile)
