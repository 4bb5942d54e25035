"""Turn the events the services announce into deliveries, in the services' transactions."""

from django.dispatch import receiver
from django.utils import timezone

from partrack.plans.signals import progress_recorded
from partrack.reporting.models import UnitReport
from partrack.reporting.signals import (
    consolidated_report_issued,
    consolidated_report_produced,
    unit_report_changed,
)
from partrack.webhooks.models import Event
from partrack.webhooks.services import queue_event, site_url, task_data

UNIT_REPORT_EVENTS = {
    UnitReport.Status.SUBMITTED: Event.UNIT_REPORT_SUBMITTED,
    UnitReport.Status.RETURNED: Event.UNIT_REPORT_RETURNED,
    UnitReport.Status.ACCEPTED: Event.UNIT_REPORT_ACCEPTED,
}


@receiver(progress_recorded)
def on_progress_recorded(sender, task, update, **kwargs):
    now = update.created_at
    queue_event(
        agency=task.plan.agency,
        event=Event.PROGRESS_RECORDED,
        key=f"progress:{update.pk}",
        now=now,
        data={
            "task": task_data(task, timezone.localdate(now)),
            "update": {
                "id": update.pk,
                "unit": update.unit.name if update.unit else None,
                "status": update.status,
                "previous_status": update.previous_status,
                "percent": update.percent,
                "narrative": update.narrative,
                "done_on": update.done_on.isoformat() if update.done_on else None,
                "created_at": update.created_at.isoformat(),
            },
        },
    )


def period_data(period):
    return {"id": period.pk, "kind": period.kind, "name": str(period), "plan_id": period.plan_id}


@receiver(unit_report_changed)
def on_unit_report_changed(sender, report, **kwargs):
    event = UNIT_REPORT_EVENTS.get(report.status)
    if event is None:
        return
    period = report.period
    queue_event(
        agency=period.plan.agency,
        event=event,
        # The lock version grows with each step: a second submission is a second event.
        key=f"{event}:{report.pk}:{report.lock_version}",
        data={
            "unit_report": {
                "id": report.pk,
                "unit": {"id": report.unit_id, "name": report.unit.name},
                "period": period_data(period),
                "status": report.status,
                "submitted_at": report.submitted_at,
                "reviewed_at": report.reviewed_at,
                "review_comment": report.review_comment,
                "url": site_url(report.get_absolute_url()),
            }
        },
    )


def consolidated_data(report):
    return {
        "id": report.pk,
        "period": period_data(report.period),
        "symbol": report.symbol,
        "issued_on": report.issued_on,
        "url": site_url(report.get_absolute_url()),
    }


@receiver(consolidated_report_produced)
def on_consolidated_report_produced(sender, report, version, **kwargs):
    queue_event(
        agency=report.period.plan.agency,
        event=Event.CONSOLIDATED_REPORT_PRODUCED,
        key=f"consolidated.produced:{report.pk}:{version}",
        data={"consolidated_report": {**consolidated_data(report), "file_version": version}},
    )


@receiver(consolidated_report_issued)
def on_consolidated_report_issued(sender, report, **kwargs):
    queue_event(
        agency=report.period.plan.agency,
        event=Event.CONSOLIDATED_REPORT_ISSUED,
        key=f"consolidated.issued:{report.pk}:{report.symbol}:{report.issued_on}",
        data={"consolidated_report": consolidated_data(report)},
    )
