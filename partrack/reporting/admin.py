"""Reports in the admin: to read, never to rewrite. They change only through the app's pages,
where each submission, review and produced version is recorded."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partrack.org.admin import ReadOnlyAdmin, ReadOnlyInline, labelled
from partrack.reporting.models import (
    ConsolidatedReport,
    OutgoingEmail,
    ReportDelivery,
    ReportFile,
    ReportStep,
    ReportSubmission,
    UnitReport,
)
from partrack.reporting.outbox import requeue

SUBMITTED_AT = labelled("submitted_at", _("thời điểm gửi"))
SUBMITTED_BY = labelled("submitted_by", _("người gửi"))
REVIEWED_AT = labelled("reviewed_at", _("thời điểm xem xét"))
REVIEWED_BY = labelled("reviewed_by", _("người xem xét"))
CREATED_AT = labelled("created_at", _("thời điểm tạo"))
CREATED_BY = labelled("created_by", _("người tạo"))


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what waits, what failed and why; "gửi lại" puts mail back in line."""

    list_display = [
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("reporting.change_outgoingemail")

    @admin.action(description=_("Gửi lại"), permissions=["resend"])
    def send_again(self, request, queryset):
        count = requeue(queryset, now=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)s thư sẽ được gửi lại ở lần chạy send_reminders tới.",
                "%(count)s thư sẽ được gửi lại ở lần chạy send_reminders tới.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class ReportSubmissionInline(ReadOnlyInline):
    model = ReportSubmission
    verbose_name = _("lần gửi")
    verbose_name_plural = _("các lần gửi")
    readonly_fields = fields = [
        labelled("number", _("lần gửi")),
        SUBMITTED_AT,
        SUBMITTED_BY,
        labelled("outcome", _("kết quả")),
        labelled("comment", _("ý kiến")),
        REVIEWED_AT,
        REVIEWED_BY,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by", "reviewed_by")


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "status", SUBMITTED_AT, REVIEWED_AT]
    list_filter = ["status"]
    list_select_related = ["unit", "period__plan"]
    readonly_fields = fields = [
        "period",
        "unit",
        "status",
        "results",
        "difficulties",
        "proposals",
        labelled("first_submitted_at", _("lần gửi đầu")),
        SUBMITTED_AT,
        SUBMITTED_BY,
        REVIEWED_AT,
        REVIEWED_BY,
        "review_comment",
    ]
    inlines = [ReportSubmissionInline]


class ReportFileInline(ReadOnlyInline):
    model = ReportFile
    readonly_fields = fields = [
        "version",
        "kind",
        labelled("size", _("dung lượng (byte)")),
        labelled("sha256", _("mã băm SHA-256")),
        CREATED_AT,
        CREATED_BY,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class ReportStepInline(ReadOnlyInline):
    model = ReportStep
    readonly_fields = fields = ["action", "at", "by", "comment", "detail"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ReportDeliveryInline(ReadOnlyInline):
    model = ReportDelivery
    readonly_fields = fields = [
        "recipient",
        "agency",
        "address",
        "delivered_at",
        "received_at",
        "received_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "received_by")


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status",
        "symbol",
        "issued_on",
        labelled("updated_at", _("cập nhật lúc")),
    ]
    list_filter = ["status"]
    list_select_related = ["period__plan"]
    readonly_fields = fields = [
        "period",
        "status",
        "symbol",
        "issued_on",
        "sent_at",
        CREATED_AT,
        CREATED_BY,
        labelled("updated_at", _("cập nhật lúc")),
        labelled("updated_by", _("người cập nhật")),
    ]
    inlines = [ReportFileInline, ReportStepInline, ReportDeliveryInline]


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "version", "kind", CREATED_AT, CREATED_BY]
    list_filter = ["kind"]
    list_select_related = ["report__period__plan__agency", "created_by"]
    readonly_fields = fields = [
        labelled("report", _("báo cáo tổng hợp")),
        "version",
        "kind",
        labelled("size", _("dung lượng (byte)")),
        labelled("sha256", _("mã băm SHA-256")),
        CREATED_AT,
        CREATED_BY,
    ]
