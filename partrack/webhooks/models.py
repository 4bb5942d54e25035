"""An agency's webhooks and their deliveries: queued with the event, sent and retried later."""

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack.org.models import Agency


class Event(models.TextChoices):
    TASK_OVERDUE = "task.overdue", _("Nhiệm vụ trở thành quá hạn")
    PROGRESS_RECORDED = "progress.recorded", _("Ghi tiến độ nhiệm vụ")
    UNIT_REPORT_SUBMITTED = "unit_report.submitted", _("Đơn vị gửi báo cáo")
    UNIT_REPORT_RETURNED = "unit_report.returned", _("Văn phòng trả lại báo cáo đơn vị")
    UNIT_REPORT_ACCEPTED = "unit_report.accepted", _("Văn phòng chấp nhận báo cáo đơn vị")
    CONSOLIDATED_REPORT_PRODUCED = (
        "consolidated_report.produced",
        _("Xuất tệp báo cáo tổng hợp (một phiên bản mới)"),
    )
    CONSOLIDATED_REPORT_ISSUED = (
        "consolidated_report.issued",
        _("Báo cáo tổng hợp được ban hành (có số và ngày)"),
    )


def new_secret():
    return secrets.token_hex(32)


class Webhook(models.Model):
    """An address of another system that PARtrack tells about the agency's events."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="webhooks", verbose_name=_("cơ quan")
    )
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    events = models.JSONField(_("sự kiện"), default=list)
    # Signs every delivery (HMAC-SHA256); the receiver keeps a copy to verify them.
    secret = models.CharField(_("khóa ký"), max_length=64, default=new_secret)
    is_active = models.BooleanField(_("đang bật"), default=True)
    # The last day the background command looked for tasks that became overdue: once a day.
    overdue_checked_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")
        ordering = ["agency", "-created_at", "-pk"]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("webhook_detail", args=[self.pk])

    def wants(self, event):
        return self.is_active and event in self.events

    def event_labels(self):
        return [Event(e).label for e in self.events if e in Event.values]

    def signature(self, timestamp, body):
        """ "sha256=<hex>": HMAC-SHA256 with the hook's secret over "<timestamp>.<body>"."""
        signed = f"{timestamp}.".encode() + body
        return "sha256=" + hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()


class WebhookDeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Queued and its retry time has come, or claimed by a run whose lease has run out."""
        return self.filter(webhook__is_active=True).filter(
            models.Q(status=WebhookDelivery.Status.QUEUED, next_attempt_at__lte=now)
            | models.Q(status=WebhookDelivery.Status.SENDING, claimed_at__lte=now - DELIVERY_LEASE)
        )

    def waiting(self):
        return self.filter(
            status__in=[WebhookDelivery.Status.QUEUED, WebhookDelivery.Status.SENDING]
        )


# A run that claimed a delivery and has not confirmed it within this time is taken to have died;
# far longer than one request may take (PARTRACK_WEBHOOK_TIMEOUT, 10 s by default).
DELIVERY_LEASE = timedelta(minutes=5)
# After the n-th failure a delivery waits RETRY_BASE * 2**(n-1), at most RETRY_CAP.
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)
# Given up after this many failures (about two days of tries).
MAX_ATTEMPTS = 15


class WebhookDelivery(models.Model):
    """One event for one webhook: the exact body to send, and how sending it went.

    `key` names the event ("progress:12"), so one event is queued once per webhook: what makes
    the overdue check and a repeated run safe.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ gửi")
        SENDING = "sending", _("Đang gửi")
        DELIVERED = "delivered", _("Đã nhận")
        FAILED = "failed", _("Gửi không được")

    webhook = models.ForeignKey(Webhook, models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("sự kiện"), max_length=40, choices=Event)
    key = models.CharField(max_length=200)
    body = models.TextField()  # the JSON sent, byte for byte what is signed
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("mã trả lời"), null=True, blank=True)
    response_body = models.TextField(_("trả lời"), blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("lần gửi webhook")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "key"], name="one_delivery_per_event"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event} → {self.webhook_id}"

    @staticmethod
    def retry_delay(attempts):
        return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)

    def claim(self, now):
        """Take this delivery if it is still due; False when another run has it."""
        claimed = (
            WebhookDelivery.objects.due(now)
            .filter(pk=self.pk)
            .update(status=self.Status.SENDING, claimed_at=now, attempts=models.F("attempts") + 1)
        )
        if claimed:
            self.status, self.claimed_at = self.Status.SENDING, now
            self.attempts += 1
        return bool(claimed)

    def mark_delivered(self, status, body, now):
        WebhookDelivery.objects.filter(pk=self.pk).update(
            status=self.Status.DELIVERED,
            delivered_at=now,
            response_status=status,
            response_body=body,
            last_error="",
        )

    def mark_failed(self, error, now, *, status=None, body=""):
        """Back in the queue for a later run (after a backoff), or given up."""
        give_up = self.attempts >= MAX_ATTEMPTS
        WebhookDelivery.objects.filter(pk=self.pk).update(
            status=self.Status.FAILED if give_up else self.Status.QUEUED,
            last_error=error[:2000],
            response_status=status,
            response_body=body,
            next_attempt_at=now + self.retry_delay(self.attempts),
            claimed_at=None,
        )
