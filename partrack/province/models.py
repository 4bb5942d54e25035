"""Requests from Sở Nội vụ to the province's agencies, and the agencies' answers (issue 16).

Whether an agency answered on time, late or not yet is computed from the due date and the day
of its first answer every time, never stored (docs/domain.md, "Requests from Sở Nội vụ").
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from partrack.org.models import Agency
from partrack.plans.evidence import content_type, download_name, storage_name


def template_path(request, filename):
    # A random name ending in the type found in the file: nothing of the uploader's.
    return f"requests/{request.province_id}/{storage_name(request.template_type)}"


def answer_path(answer, filename):
    return (
        f"requests/{answer.request.province_id}/{answer.request_id}/{answer.agency_id}/"
        f"{storage_name(answer.file_type)}"
    )


class RequestQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("province", "created_by")

    def open(self):
        return self.filter(cancelled_at__isnull=True)


class ReportRequest(models.Model):
    """What Sở Nội vụ asks the province's agencies to report, and by when."""

    # The province (root agency) in whose name Sở Nội vụ asks.
    province = models.ForeignKey(
        Agency, models.CASCADE, related_name="sent_requests", verbose_name=_lazy("tỉnh")
    )
    topic = models.CharField(_lazy("chủ đề"), max_length=300)
    outline = models.TextField(_lazy("đề cương, nội dung yêu cầu"), blank=True)
    template = models.FileField(
        _lazy("tệp mẫu"), upload_to=template_path, blank=True, max_length=300
    )
    template_name = models.CharField(max_length=255, blank=True)
    template_type = models.CharField(max_length=10, blank=True)
    # Addressed to every agency of the province (as it stood when sent) or to chosen ones.
    to_all = models.BooleanField(_lazy("gửi tất cả cơ quan"), default=False)
    agencies = models.ManyToManyField(
        Agency, through="RequestRecipient", related_name="received_requests"
    )
    due_date = models.DateField(_lazy("hạn trả lời"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _lazy("yêu cầu báo cáo")
        verbose_name_plural = _lazy("yêu cầu báo cáo")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("report_request", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def template_content_type(self):
        return content_type(self.template_type) or "application/octet-stream"

    @property
    def template_download_name(self):
        return download_name(self.template_name, self.template_type)


@dataclass(frozen=True)
class Standing:
    """Where one agency stands on a request on a given day."""

    code: str  # "answered" | "late" | "waiting" | "missing" | "cancelled"
    answered_on: date | None
    days: int  # days late (answered late) or overdue (missing); 0 otherwise

    ORDER = {"missing": 0, "late": 1, "waiting": 2, "answered": 3, "cancelled": 4}

    @property
    def label(self):
        if self.code == "answered":
            return _("Trả lời đúng hạn (%(date)s)") % {"date": f"{self.answered_on:%d/%m/%Y}"}
        if self.code == "late":
            return _("Trả lời chậm %(days)s ngày (%(date)s)") % {
                "days": self.days,
                "date": f"{self.answered_on:%d/%m/%Y}",
            }
        if self.code == "missing":
            return _("Chưa trả lời — quá hạn %(days)s ngày") % {"days": self.days}
        if self.code == "cancelled":
            return _("Yêu cầu đã hủy")
        return _("Chưa trả lời, chưa đến hạn")

    @property
    def is_answered(self):
        return self.answered_on is not None

    @property
    def css(self):
        return {
            "answered": "text-bg-success",
            "late": "text-bg-warning",
            "missing": "text-bg-danger",
        }.get(self.code, "text-bg-secondary")


def standing(due_date, first_answered_at, *, today, cancelled=False):
    """The agency's standing: the first answer's day against the due date (inclusive)."""
    if first_answered_at is not None:
        answered_on = timezone.localdate(first_answered_at)
        late = (answered_on - due_date).days
        if late > 0:
            return Standing("late", answered_on, late)
        return Standing("answered", answered_on, 0)
    if cancelled:
        return Standing("cancelled", None, 0)
    overdue = (today - due_date).days
    if overdue > 0:
        return Standing("missing", None, overdue)
    return Standing("waiting", None, 0)


class RecipientQuerySet(models.QuerySet):
    def for_board(self):
        return self.select_related("agency", "answer", "answer__report__period__plan")

    def unanswered(self):
        return self.filter(answer__isnull=True, request__cancelled_at__isnull=True)


class RequestRecipient(models.Model):
    """One agency a request is addressed to, and its current answer."""

    request = models.ForeignKey(ReportRequest, models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="request_slots")
    # The answer that stands (a replaced one stays in RequestAnswer, marked replaced).
    answer = models.OneToOneField(
        "RequestAnswer", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the agency first answered: on time or late is judged on it, whatever replaced it.
    first_answered_at = models.DateTimeField(null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "agency"], name="one_slot_per_agency"),
        ]

    def __str__(self):
        return f"{self.request} → {self.agency}"

    def standing(self, today):
        return standing(
            self.request.due_date,
            self.first_answered_at,
            today=today,
            cancelled=self.request.is_cancelled,
        )


class RequestAnswer(models.Model):
    """An agency's answer: its document (file and number/symbol) or its issued periodic report.

    Every answer is kept; replacing one marks it replaced and links the new one to the slot.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _lazy("Văn bản trả lời")
        REPORT = "report", _lazy("Báo cáo định kỳ đã ban hành")

    request = models.ForeignKey(ReportRequest, models.CASCADE, related_name="answers")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="request_answers")
    kind = models.CharField(max_length=10, choices=Kind)
    number_symbol = models.CharField(_lazy("số, ký hiệu"), max_length=100, blank=True)
    issued_on = models.DateField(_lazy("ngày văn bản"), null=True, blank=True)
    note = models.TextField(_lazy("ghi chú"), blank=True)
    file = models.FileField(_lazy("tệp"), upload_to=answer_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=10, blank=True)
    report = models.ForeignKey(
        "reporting.ConsolidatedReport", models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]

    def __str__(self):
        return self.citation()

    @property
    def content_type(self):
        return content_type(self.file_type) or "application/octet-stream"

    @property
    def download_name(self):
        return download_name(self.file_name, self.file_type) if self.file_type else "tra-loi"

    def citation(self):
        """ "Văn bản số 12/SKHCN-VP ngày 15/04/2026" or "Báo cáo số 05/BC-SKHCN ngày …"."""
        if self.kind == self.Kind.REPORT and self.report_id:
            report = self.report
            text = _("Báo cáo %(period)s số %(symbol)s") % {
                "period": report.period.get_kind_display(),
                "symbol": report.symbol,
            }
            if report.issued_on:
                text += _(" ngày %(date)s") % {"date": f"{report.issued_on:%d/%m/%Y}"}
            return text
        parts = [_("Văn bản")]
        if self.number_symbol:
            parts.append(_("số %(n)s") % {"n": self.number_symbol})
        if self.issued_on:
            parts.append(_("ngày %(date)s") % {"date": f"{self.issued_on:%d/%m/%Y}"})
        if len(parts) == 1 and self.file_name:
            parts.append(f"({self.file_name})")
        return " ".join(parts)


class RequestEvent(models.Model):
    """A line of a request's history: sent, due date changed, cancelled, answered, replaced."""

    class Kind(models.TextChoices):
        CREATED = "created", _lazy("Gửi yêu cầu")
        DUE_CHANGED = "due_changed", _lazy("Đổi hạn trả lời")
        CANCELLED = "cancelled", _lazy("Hủy yêu cầu")
        ANSWERED = "answered", _lazy("Trả lời")
        REPLACED = "replaced", _lazy("Thay văn bản trả lời")

    request = models.ForeignKey(ReportRequest, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    # The agency the line is about (an answer); empty for the province's own steps.
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="+")
    summary = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"
