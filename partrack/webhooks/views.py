"""The agency's webhooks: register an address for events, see each delivery and its answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partrack.pagination import paginate
from partrack.webhooks import services
from partrack.webhooks.access import get_webhook_agency_for, get_webhook_for
from partrack.webhooks.forms import WebhookForm
from partrack.webhooks.models import Webhook


@login_required
def webhook_list(request):
    agency = get_webhook_agency_for(request.user)
    if request.method == "POST":
        form = WebhookForm(request.POST, instance=Webhook(agency=agency, created_by=request.user))
        if form.is_valid():
            webhook = form.save()
            messages.success(
                request,
                _("Đã đăng ký webhook. Hãy chép khóa ký bên dưới sang hệ thống nhận."),
            )
            return redirect(webhook)
        status = 400
    else:
        form, status = WebhookForm(), 200
    webhooks = Webhook.objects.filter(agency=agency).order_by("-created_at", "-pk")
    ctx = {"agency": agency, "webhooks": webhooks, "form": form}
    return render(request, "webhooks/list.html", ctx, status=status)


@login_required
def webhook_detail(request, webhook_id):
    webhook = get_webhook_for(request.user, webhook_id)
    deliveries = webhook.deliveries.order_by("-created_at", "-pk")
    ctx = {"webhook": webhook, "page": paginate(request, deliveries)}
    return render(request, "webhooks/detail.html", ctx)


@login_required
@require_POST
def webhook_toggle(request, webhook_id):
    webhook = get_webhook_for(request.user, webhook_id)
    webhook.is_active = not webhook.is_active
    webhook.save(update_fields=["is_active"])
    if webhook.is_active:
        messages.success(request, _("Đã bật webhook: các lần gửi đang chờ sẽ được gửi tiếp."))
    else:
        messages.success(request, _("Đã tắt webhook: không gửi gì đến địa chỉ này nữa."))
    return redirect(webhook)


@login_required
@require_POST
def webhook_delete(request, webhook_id):
    webhook = get_webhook_for(request.user, webhook_id)
    webhook.delete()
    messages.success(request, _("Đã xóa webhook và lịch sử gửi của nó."))
    return redirect("webhook_list")


@login_required
@require_POST
def delivery_retry(request, webhook_id, delivery_id):
    webhook = get_webhook_for(request.user, webhook_id)
    delivery = webhook.deliveries.filter(pk=delivery_id).first()
    if delivery is not None and services.requeue(delivery, now=timezone.now()):
        messages.success(request, _("Sẽ gửi lại ở lượt gửi tiếp theo."))
    else:
        messages.info(request, _("Lần gửi này đã được nhận hoặc đang được gửi."))
    return redirect(webhook)
