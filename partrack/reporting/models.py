"""Unit reports for a reporting period, their review by the office, and every version of them."""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack import files
from partrack.org.models import Unit
from partrack.plans.models import Evidence, ProgressUpdate, ReportingPeriod, Task


class UnitReportQuerySet(models.QuerySet):
    def for_board(self):
        return self.select_related("unit", "submitted_by", "reviewed_by")

    def waiting_for_review(self, agency_id):
        """Submitted reports of the agency's active plans, the longest waiting first."""
        return (
            self.filter(
                period__plan__agency_id=agency_id,
                period__plan__status="active",
                status=UnitReport.Status.SUBMITTED,
            )
            .select_related("unit", "period__plan")
            .order_by("submitted_at", "pk")
        )


@dataclass(frozen=True)
class ReportState:
    """Where a unit's report for a period stands in the review cycle on a day, with its timing
    (ReportingPeriod.report_standing), in words a clerk would sign.

    A report not sent by the unit deadline is late from the next day and stays late until it
    comes (docs/domain.md): nothing sent never reads better than sent late.
    """

    code: str  # not_started, draft, overdue, submitted, returned, accepted
    days_overdue: int  # days past the deadline with nothing sent (0 otherwise)
    sent_on: date | None  # the first submission's day; None while nothing was sent
    days_late: int | None  # days the first submission came after the deadline

    @property
    def has_reported(self):
        return self.sent_on is not None

    @property
    def is_overdue(self):
        return self.code == "overdue"

    @property
    def label(self):
        if self.code == "overdue":
            return _("Chưa gửi — quá hạn %(days)s ngày") % {"days": self.days_overdue}
        return str(STANDING_LABELS[self.code])

    @property
    def timing(self):
        """ "Gửi đúng hạn (05/03/2026)" or "Gửi chậm 81 ngày (30/11/2026)"; "" if not sent."""
        if self.sent_on is None:
            return ""
        day = self.sent_on.strftime("%d/%m/%Y")
        if self.days_late:
            return _("Gửi chậm %(days)s ngày (%(date)s)") % {"days": self.days_late, "date": day}
        return _("Gửi đúng hạn (%(date)s)") % {"date": day}


STANDING_LABELS = {
    "not_started": _("Chưa bắt đầu"),
    "draft": _("Đang soạn"),
    "submitted": _("Đã gửi — chờ xem xét"),
    "returned": _("Bị trả lại — chờ gửi lại"),
    "accepted": _("Đã chấp nhận"),
}


def report_state(period, report, today):
    """The ReportState of `report` (None: the unit has not started it) for `period`."""
    first_submitted_at = report.first_submitted_at if report is not None else None
    timing = period.report_standing(first_submitted_at, today=today)
    if timing.code == timing.MISSING:
        return ReportState("overdue", timing.days, None, None)
    status = report.status if report is not None else "not_started"
    if not timing.is_sent:
        return ReportState(status, 0, None, None)
    return ReportState(status, 0, timezone.localdate(first_submitted_at), timing.days)


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

    def standing(self, today):
        """Where the report stands on `today`: ReportingPeriod.report_standing."""
        return self.period.report_standing(self.first_submitted_at, today=today)

    def state(self, today):
        """The report's state and timing on `today` (report_state)."""
        return report_state(self.period, self, today)


class ReportEntryQuerySet(models.QuerySet):
    def changed_after_acceptance(self, report):
        """Annotate `changed_after_acceptance`: was the task's progress changed, after the
        report was accepted, in a way that touches the report's period?"""
        changes = ProgressUpdate.objects.filter(
            task=OuterRef("task_id"),
            after_acceptance_of_id=report.period_id,
            created_at__gt=report.reviewed_at,
        )
        return self.annotate(changed_after_acceptance=Exists(changes))


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

    objects = ReportEntryQuerySet.as_manager()

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
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã chấp nhận")

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


class OutgoingEmailQuerySet(models.QuerySet):
    def waiting(self):
        """Not sent yet, and not given up on: what the next runs will (re)try."""
        return self.filter(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING])

    def due(self, now):
        """Queued and its retry time has come, or claimed by a run whose lease has run out."""
        return self.filter(
            models.Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
            | models.Q(status=OutgoingEmail.Status.SENDING, claimed_at__lte=now - EMAIL_LEASE)
        )


# A run that claimed a message and has not confirmed it within this time is taken to have died.
# It is far longer than one SMTP conversation may take (EMAIL_TIMEOUT, 30 s by default).
EMAIL_LEASE = timedelta(minutes=10)
# After the n-th failed attempt a message waits EMAIL_RETRY_BASE * 2**(n-1), at most the cap.
EMAIL_RETRY_BASE = timedelta(minutes=5)
EMAIL_RETRY_CAP = timedelta(hours=6)
# A message that failed this many times on its own (not because the server was down) is given up.
EMAIL_MAX_ATTEMPTS = 12


class OutgoingEmail(models.Model):
    """One e-mail to send: written with what it announces, sent after commit, retried until sent.

    `key` names what the e-mail is for, so the same e-mail is never queued twice. A run claims a
    message (status SENDING, `claimed_at`) before it talks to the mail server and marks it SENT
    right after; a claim older than EMAIL_LEASE belongs to a run that died and is taken over.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    key = models.CharField(_("khóa"), max_length=200, unique=True)
    to = models.EmailField(_("người nhận"), max_length=254)
    subject = models.TextField(_("tiêu đề"))
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)
    # A file under MEDIA_ROOT sent with the message (a signed report), and its name in the mail.
    attachment = models.CharField(_("tệp đính kèm"), max_length=300, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("thư đi")
        verbose_name_plural = _("thư đi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due")]

    def __str__(self):
        return f"{self.to}: {self.subject}"

    @staticmethod
    def retry_delay(attempts):
        """How long to wait after the `attempts`-th failure: doubling, capped."""
        return min(EMAIL_RETRY_BASE * 2 ** max(attempts - 1, 0), EMAIL_RETRY_CAP)

    def claim(self, now):
        """Take this message for sending if it is still due; False when another run has it.

        A filtered update: of two runs that try at once, exactly one changes the row.
        """
        claimed = (
            OutgoingEmail.objects.due(now)
            .filter(pk=self.pk)
            .update(status=self.Status.SENDING, claimed_at=now, attempts=models.F("attempts") + 1)
        )
        if claimed:
            # The row was as this object saw it (else it would not have been due): no re-read.
            self.status, self.claimed_at = self.Status.SENDING, now
            self.attempts += 1
        return bool(claimed)

    def mark_sent(self, now):
        with transaction.atomic():
            OutgoingEmail.objects.filter(pk=self.pk).update(
                status=self.Status.SENT, sent_at=now, last_error=""
            )
            self.notifications.update(emailed_at=now)

    def mark_failed(self, error, now, *, permanent=False):
        """Put the message back for a later run (after a backoff), or give it up."""
        give_up = permanent or self.attempts >= EMAIL_MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=self.pk).update(
            status=self.Status.FAILED if give_up else self.Status.QUEUED,
            last_error=error[:2000],
            next_attempt_at=now + self.retry_delay(self.attempts),
            claimed_at=None,
        )


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
        REPORT_SUBMITTED = "report_submitted", _("Báo cáo chờ xem xét")
        REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
        REPORT_ACCEPTED = "report_accepted", _("Báo cáo được chấp nhận")
        DIGEST = "digest", _("Tổng hợp hằng tuần")
        CONSOLIDATED_PENDING = "cr_pending", _("Báo cáo tổng hợp chờ duyệt")
        CONSOLIDATED_RETURNED = "cr_returned", _("Báo cáo tổng hợp bị trả lại")
        CONSOLIDATED_APPROVED = "cr_approved", _("Báo cáo tổng hợp được duyệt")
        CONSOLIDATED_REOPENED = "cr_reopened", _("Báo cáo tổng hợp sửa sau khi duyệt")
        CONSOLIDATED_ISSUED = "cr_issued", _("Báo cáo tổng hợp đã ban hành")
        CONSOLIDATED_SIGNED = "cr_signed", _("Báo cáo tổng hợp đã ký số")
        CONSOLIDATED_SENT = "cr_sent", _("Báo cáo tổng hợp đã gửi")
        REPORT_ARRIVED = "cr_arrived", _("Văn bản đến")
        REPORT_RECEIVED = "cr_received", _("Nơi nhận đã nhận báo cáo")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The e-mail that carries this notification, written in the same transaction.
    email = models.ForeignKey(
        OutgoingEmail, models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key"),
        ]

    def __str__(self):
        return self.title


class ConsolidatedReportQuerySet(models.QuerySet):
    def issued(self):
        """Reports issued (numbered and dated after the leaders' approval), sent or not."""
        return self.filter(
            status__in=[ConsolidatedReport.Status.ISSUED, ConsolidatedReport.Status.SENT]
        ).select_related("period__plan__agency")

    def sent(self):
        """Reports the office sent to their recipients (sent_at says when)."""
        return self.filter(status=ConsolidatedReport.Status.SENT).select_related(
            "period__plan__agency"
        )


class ConsolidatedReport(models.Model):
    """The agency's report for a period: the text the office edits, and the files made from it.

    Its way up the chain (reporting/approval.py, reporting/dispatch.py): draft → sent to the
    leaders the office picks → approved, or returned with their comment → issued with its number
    and date → sent with its signed PDF. Editing the text after the approval takes it back to draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PENDING = "pending", _("Chờ lãnh đạo duyệt")
        RETURNED = "returned", _("Lãnh đạo trả lại")
        APPROVED = "approved", _("Lãnh đạo đã duyệt")
        ISSUED = "issued", _("Đã ban hành")
        SENT = "sent", _("Đã gửi")

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
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    # The leaders the office asked to approve the current round.
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("lãnh đạo duyệt")
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    objects = ConsolidatedReportQuerySet.as_manager()

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

    @property
    def is_issued(self):
        """Issued (numbered and dated after the leader's approval), and perhaps sent since."""
        return self.status in (self.Status.ISSUED, self.Status.SENT)

    @property
    def text_locked(self):
        """An issued report's text is the document signed: it no longer changes."""
        return self.is_issued

    @property
    def has_number(self):
        """Numbered ("05/BC-SKHCN", not the bare "/BC-SKHCN")."""
        return bool(self.symbol and not self.symbol.startswith("/"))


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


class ReportStep(models.Model):
    """One step of a consolidated report's way up the chain: who, when, and what they said."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Trình lãnh đạo duyệt")
        RETURNED = "returned", _("Lãnh đạo trả lại")
        APPROVED = "approved", _("Lãnh đạo duyệt")
        REOPENED = "reopened", _("Sửa sau khi trình/duyệt — trở lại dự thảo")
        ISSUED = "issued", _("Ban hành")
        SIGNED = "signed", _("Tải lên bản đã ký số")
        SENT = "sent", _("Gửi nơi nhận")
        RECEIVED = "received", _("Nơi nhận đã nhận")

    report = models.ForeignKey(ConsolidatedReport, models.CASCADE, related_name="steps")
    action = models.CharField(_("bước"), max_length=10, choices=Action)
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    # What the step concerned, in words: the leaders asked, the number given, the recipients.
    detail = models.TextField(_("chi tiết"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý báo cáo tổng hợp")
        verbose_name_plural = _("các bước xử lý báo cáo tổng hợp")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action} {self.at:%d/%m/%Y %H:%M}"


def signed_file_path(signed, filename):
    period = signed.report.period
    return f"reports/{period.plan_id}/{period.pk}/signed-{uuid4().hex}.pdf"


class SignedReport(models.Model):
    """The signed PDF of an issued report, as the office uploaded it, with its verification.

    Only a file whose every signature is intact is kept (reporting/approval.py); the newest one
    is the report's signed document until the report is sent.
    """

    report = models.ForeignKey(ConsolidatedReport, models.CASCADE, related_name="signed_files")
    file = models.FileField(upload_to=signed_file_path, max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # partrack.signatures.SignatureCheck as data: ok, message, signatures [{signer, …}].
    verification = models.JSONField(default=dict)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("bản báo cáo đã ký số")
        verbose_name_plural = _("bản báo cáo đã ký số")
        ordering = ["report", "-uploaded_at", "-pk"]

    def __str__(self):
        return self.download_name()

    @property
    def trusted(self):
        """Every signature chains to a trust root the administrator installed."""
        signatures = self.verification.get("signatures") or []
        return bool(signatures) and all(s.get("trusted") for s in signatures)

    def download_name(self):
        period = self.report.period
        agency = "".join(ch for ch in period.plan.agency.short_name if ch.isascii()) or "co-quan"
        return f"bao-cao-cchc-{period.kind}-{period.plan.year}-{agency}-da-ky.pdf"


post_delete.connect(files.remove_files_after_delete, sender=SignedReport)


class ReportDeliveryQuerySet(models.QuerySet):
    def inbox_of(self, agency_id):
        """What was sent to the agency inside PARtrack, newest first."""
        return (
            self.filter(agency_id=agency_id)
            .select_related("report__period__plan__agency", "received_by", "unit")
            .order_by("-delivered_at", "-pk")
        )


class ReportDelivery(models.Model):
    """A sent report and one of its recipients ("Nơi nhận"), one row per recipient line.

    A body of the same PARtrack (`agency`, perhaps one of its units) has it in its inbox from
    `delivered_at`; `received_at` is when one of its people first opened it ("đã nhận lúc …").
    Any other recipient gets an e-mail (`email`) with the signed PDF attached, through the outbox.
    """

    report = models.ForeignKey(ConsolidatedReport, models.CASCADE, related_name="deliveries")
    recipient = models.CharField(_("nơi nhận"), max_length=200)
    agency = models.ForeignKey(
        "org.Agency", models.CASCADE, null=True, blank=True, related_name="inbox"
    )
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    address = models.EmailField(_("thư điện tử"), max_length=254, blank=True)
    email = models.ForeignKey(
        OutgoingEmail, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed = models.ForeignKey(SignedReport, models.PROTECT, related_name="deliveries")
    delivered_at = models.DateTimeField(_("gửi lúc"))
    received_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReportDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("nơi nhận báo cáo")
        verbose_name_plural = _("nơi nhận báo cáo")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="one_delivery_per_line"),
        ]

    def __str__(self):
        return f"{self.report} → {self.recipient}"

    def get_absolute_url(self):
        return reverse("inbox_item", args=[self.pk])

    @property
    def is_internal(self):
        return self.agency_id is not None
