from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partrack.reporting.models import OutgoingEmail
from partrack.reporting.outbox import requeue


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
