"""The person's notifications, their reminder settings, and their private calendar feed."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack.org.models import Agency, Membership
from partrack.pagination import paginate
from partrack.reporting.calendar import calendar_for
from partrack.reporting.models import Notification
from partrack.reporting.reminders import reminder_days


def layout(request):
    """Context processor: what the layout shows the person beyond their name, in one query: how
    many notifications are unread, and whether the menu links the province's consolidated report
    (the view's own check, Membership.acts_for_province, on the person's agency)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "reports_for_province": False}
    unread = (
        Notification.objects.filter(user_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            unread=Coalesce(Subquery(unread), 0),
            role=F("membership__role"),
            agency_id=F("membership__agency_id"),
            parent_id=F("membership__agency__parent_id"),
        )
        .first()
    ) or {"unread": 0, "agency_id": None}
    reports = False
    if row["agency_id"] is not None:
        # Built from the row, not fetched: the menu's link costs the layout no query.
        membership = Membership(user_id=user.pk, agency_id=row["agency_id"], role=row["role"])
        agency = Agency(pk=row["agency_id"], parent_id=row["parent_id"])
        reports = membership.acts_for_province(agency)
    return {"unread_notifications": row["unread"], "reports_for_province": reports}


def get_notification_for(user, notification_id):
    """The person's own notification; 404 for anyone else's."""
    notification = Notification.objects.filter(pk=notification_id, user_id=user.pk).first()
    if notification is None:
        raise Http404("No such notification")
    return notification


def get_membership_for(user):
    """The person's membership; 404 for an account not placed in an agency."""
    membership = Membership.of(user)
    if membership is None:
        raise Http404("No membership")
    return membership


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["email_reminders"]


@login_required
def notification_list(request):
    # Unread first, then newest first.
    notifications = (
        Notification.objects.filter(user_id=request.user.pk)
        .annotate(read_rank=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("read_rank", "-created_at", "-pk")
    )
    page = paginate(request, notifications)
    return render(request, "reporting/notifications/list.html", {"page": page})


def back_to_list(request):
    url = reverse("notification_list")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@login_required
@require_POST
def notification_read(request, notification_id):
    """Mark one notification read; with `open`, go on to what it is about."""
    notification = get_notification_for(request.user, notification_id)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if request.POST.get("open") and notification.url and safe:
        return redirect(notification.url)
    return redirect(back_to_list(request))


@login_required
@require_POST
def notification_read_all(request):
    count = Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("notification_list")


@login_required
def notification_settings(request):
    membership = get_membership_for(request.user)
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST, instance=membership)
        if form.is_valid():
            form.save()
            if membership.email_reminders:
                messages.success(request, _("Đã bật nhắc việc qua thư điện tử."))
            else:
                messages.success(request, _("Đã tắt nhắc việc qua thư điện tử."))
            return redirect("notification_settings")
    else:
        form = ReminderSettingsForm(instance=membership)
    calendar_url = request.build_absolute_uri(
        reverse("calendar_feed", args=[membership.calendar_token])
    )
    ctx = {
        "form": form,
        "membership": membership,
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
        "reminder_days": reminder_days(),
    }
    return render(request, "reporting/notifications/settings.html", ctx)


@login_required
@require_POST
def calendar_reset(request):
    """A new secret calendar link; the old one stops working at once."""
    membership = get_membership_for(request.user)
    membership.reset_calendar_token()
    messages.success(request, _("Đã tạo đường dẫn lịch mới. Đường dẫn cũ không còn dùng được nữa."))
    return redirect("notification_settings")


def calendar_feed(request, token):
    """The person's deadlines as iCalendar. No sign-in: the secret token in the URL is the key."""
    membership = (
        Membership.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such calendar")
    body = calendar_for(
        membership,
        absolute_url=request.build_absolute_uri,
        host=request.get_host(),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partrack.ics"'
    # The URL is a secret: keep it out of shared caches and of other sites' logs.
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
