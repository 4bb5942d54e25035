"""Queueing webhook deliveries with their events, and sending them: signed, retried, once each.

Queueing happens inside the caller's transaction (the services of plans and reporting send a
signal; receivers.py calls `queue_event`), so a rolled-back write leaves no delivery and a
committed one always has it. Sending is `deliver`, run by `partrack deliver_webhooks`: each
delivery is claimed with a lease, posted, and marked, one at a time, like the e-mail outbox.
"""

import http.client
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from partrack.plans.models import State, Task
from partrack.webhooks.models import Event, Webhook, WebhookDelivery

# How many due deliveries one query fetches while sending.
BATCH = 100
# How much of a receiver's answer is kept to show on the hook's page.
KEPT_RESPONSE = 2000
# Seconds to wait before each new try at recording a delivery the receiver accepted, when the
# database fails right then; past them the run stops and the delivery goes again after its lease.
RECORD_RETRY_DELAYS = (1, 3, 10)


def envelope(delivery_id, *, event, agency, data, now):
    """The JSON body every delivery carries."""
    return json.dumps(
        {
            "id": str(delivery_id),
            "event": event,
            "created_at": now.isoformat(),
            "agency": {"id": agency.pk, "short_name": agency.short_name, "name": agency.name},
            "data": data,
        },
        ensure_ascii=False,
        default=str,
    )


def queue_event(*, agency, event, key, data, now=None):
    """Queue one delivery per active webhook of `agency` that wants `event`; the number queued.

    Runs in the caller's transaction. `key` names the event, so queueing it twice is harmless.
    """
    now = now or timezone.now()
    hooks = [hook for hook in Webhook.objects.filter(agency=agency, is_active=True)]
    deliveries = []
    for hook in hooks:
        if not hook.wants(event):
            continue
        delivery = WebhookDelivery(webhook=hook, event=event, key=key, created_at=now)
        delivery.next_attempt_at = now
        delivery.body = envelope(delivery.uuid, event=event, agency=agency, data=data, now=now)
        deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


def task_data(task, today):
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "number": task.number,
        "content": task.content,
        "deadline_text": task.deadline_text,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "status": task.status,
        "percent": task.percent,
        "done_on": task.done_on.isoformat() if task.done_on else None,
        "state": task.state(today),
        "version": task.version,
        "url": site_url(task.get_absolute_url()),
    }


def site_url(path):
    return settings.PARTRACK_SITE_URL.rstrip("/") + path


def queue_overdue(*, now):
    """Queue "task.overdue" for every task that became overdue since its webhook was registered.

    Overdue is computed from dates (never stored): a task is overdue the day after its due date.
    The key holds the due date, so a task gives one delivery per overdue transition: again only
    if it is re-dated and falls overdue once more. Each hook is looked at once a day (overdue
    changes with the date); a run that dies midway leaves its hook to the next run.
    """
    today = timezone.localdate(now)
    overdue = WebhookDelivery.objects.filter(event=Event.TASK_OVERDUE)
    before = overdue.count()
    hooks = Webhook.objects.filter(is_active=True).exclude(overdue_checked_on__gte=today)
    for hook in hooks.select_related("agency"):
        if not hook.wants(Event.TASK_OVERDUE):
            continue
        # Only what becomes overdue from the day the hook exists: not the whole past.
        since = timezone.localdate(hook.created_at) - timedelta(days=1)
        tasks = (
            Task.objects.filter(plan__agency_id=hook.agency_id, due_date__gte=since)
            .in_state(State.OVERDUE, today)
            .order_by("due_date", "pk")
        )
        deliveries = []
        for task in tasks:
            delivery = WebhookDelivery(
                webhook=hook,
                event=Event.TASK_OVERDUE,
                key=f"task.overdue:{task.pk}:{task.due_date.isoformat()}",
                created_at=now,
                next_attempt_at=now,
            )
            delivery.body = envelope(
                delivery.uuid,
                event=Event.TASK_OVERDUE,
                agency=hook.agency,
                data={"task": task_data(task, today)},
                now=now,
            )
            deliveries.append(delivery)
        with transaction.atomic():
            WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
            Webhook.objects.filter(pk=hook.pk).update(overdue_checked_on=today)
    return overdue.count() - before


@dataclass
class Delivery:
    delivered: int = 0
    failed: int = 0
    waiting: int = 0


def post(delivery, now):
    """POST the delivery, signed; (HTTP status, the start of the answer). Raises on no answer.

    http.client rather than urllib: a redirect is an answer to show, never followed with the body.
    """
    hook = delivery.webhook
    body = delivery.body.encode()
    timestamp = str(int(now.timestamp()))
    parts = urlsplit(hook.url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.PARTRACK_WEBHOOK_TIMEOUT
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "PARtrack-Webhook/1",
                "X-PARtrack-Event": delivery.event,
                "X-PARtrack-Delivery": str(delivery.uuid),
                "X-PARtrack-Timestamp": timestamp,
                "X-PARtrack-Signature": hook.signature(timestamp, body),
            },
        )
        response = connection.getresponse()
        answer = response.read(KEPT_RESPONSE).decode("utf-8", "replace")
        return response.status, answer
    finally:
        connection.close()


def describe(error):
    return f"{type(error).__name__}: {error}"


def deliver(*, now):
    """Send the due deliveries one by one; a receiver that fails waits for its retry.

    `now` advances with the real clock while the run goes on, so late claims get a fresh lease.
    """
    started = time.monotonic()

    def clock():
        return now + timedelta(seconds=time.monotonic() - started)

    result = Delivery()
    tried = set()
    while True:
        due = WebhookDelivery.objects.due(clock()).select_related("webhook")
        batch = [d for d in due.order_by("next_attempt_at", "pk")[:BATCH] if d.pk not in tried]
        if not batch:
            break
        for delivery in batch:
            tried.add(delivery.pk)
            if not delivery.claim(clock()):
                continue  # another run has it
            try:
                status, answer = post(delivery, clock())
            except (OSError, http.client.HTTPException, ValueError) as error:
                delivery.mark_failed(describe(error), clock())
                result.failed += 1
                continue
            if 200 <= status < 300:
                record_delivered(delivery, status, answer, clock)
                result.delivered += 1
            else:
                delivery.mark_failed(f"HTTP {status}", clock(), status=status, body=answer)
                result.failed += 1
    result.waiting = WebhookDelivery.objects.waiting().count()
    return result


def record_delivered(delivery, status, answer, clock):
    """Mark the delivery delivered, trying again while the database is briefly away.

    The receiver has it already: without the mark it would get it a second time after the lease.
    """
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            delivery.mark_delivered(status, answer, clock())
            return
        except (OperationalError, InterfaceError):
            if delay is None:
                raise
            time.sleep(delay)
            if not connection.is_usable():
                connection.close()  # a dropped connection: the next query opens a new one


def requeue(delivery, *, now):
    """Send a failed or waiting delivery again at the next run, with its tries counted afresh."""
    return (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status__in=[WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.SENDING])
        .update(
            status=WebhookDelivery.Status.QUEUED, next_attempt_at=now, claimed_at=None, attempts=0
        )
    )
