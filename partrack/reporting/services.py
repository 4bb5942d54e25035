"""Writing, submitting and reviewing unit reports: each step atomic and kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.org.models import Membership, Role
from partrack.plans.models import Evidence, ProgressUpdate, Task
from partrack.reporting.models import Notification, ReportEntry, ReportSubmission, UnitReport
from partrack.reporting.reminders import (
    Reminder,
    create_notifications,
    people_by_unit,
)
from partrack.reporting.signals import unit_report_changed


class StaleReport(Exception):
    """The report changed since the form was opened."""


@transaction.atomic
def start_unit_report(*, period, unit):
    """The unit's report for the period, created and prefilled from the tasks on first use.

    Lead tasks get their latest status, the lead unit's own words in the period and the
    evidence dated inside the period's window; coordinated tasks get the unit's contributions.
    """
    report, created = UnitReport.objects.get_or_create(period=period, unit=unit)
    if not created:
        return report
    tasks = Task.objects.filter(plan_id=period.plan_id)
    in_window = Q(created_at__date__gte=period.starts_on, created_at__date__lte=period.ends_on)
    lead = list(tasks.led_by(unit).order_by("area__order", "order"))
    coordinated = list(tasks.coordinated_by(unit).order_by("area__order", "order"))
    words = {}
    updates = ProgressUpdate.objects.filter(in_window, unit=unit, task__in=lead + coordinated)
    for update in updates.order_by("created_at"):
        if update.narrative:
            words.setdefault(update.task_id, []).append(update.narrative)
    entries = [
        ReportEntry(
            report=report,
            task=task,
            role=role,
            status=task.status,
            percent=task.percent,
            text="\n".join(words.get(task.pk, [])),
        )
        for role, group in (
            (ReportEntry.Role.LEAD, lead),
            (ReportEntry.Role.COORDINATING, coordinated),
        )
        for task in group
    ]
    ReportEntry.objects.bulk_create(entries)
    evidence = Evidence.objects.filter(task__in=lead).filter(
        Q(issued_on__gte=period.starts_on, issued_on__lte=period.ends_on)
        | Q(
            issued_on__isnull=True,
            created_at__date__gte=period.starts_on,
            created_at__date__lte=period.ends_on,
        )
    )
    by_task = {entry.task_id: entry for entry in entries}
    ReportEntry.evidence.through.objects.bulk_create(
        ReportEntry.evidence.through(reportentry_id=by_task[item.task_id].pk, evidence_id=item.pk)
        for item in evidence
    )
    return report


@transaction.atomic
def save_unit_report(*, report, results, difficulties, proposals, entry_texts, expected_version):
    """Save the unit's words on a draft or returned report. `entry_texts`: {entry id: text}."""
    if not report.is_editable:
        raise ValidationError(_("Báo cáo đã gửi nên không sửa được nữa."))
    changed = UnitReport.objects.filter(
        pk=report.pk,
        lock_version=expected_version,
        status__in=[UnitReport.Status.DRAFT, UnitReport.Status.RETURNED],
    ).update(
        results=results,
        difficulties=difficulties,
        proposals=proposals,
        lock_version=F("lock_version") + 1,
        updated_at=timezone.now(),
    )
    if not changed:
        raise StaleReport
    for entry in report.entries.all():
        if entry.pk in entry_texts and entry_texts[entry.pk] != entry.text:
            entry.text = entry_texts[entry.pk]
            entry.save(update_fields=["text"])
    report.refresh_from_db()
    return report


@transaction.atomic
def submit_unit_report(*, report, by, now=None):
    """Send the report to the office: it is locked and a frozen version is kept."""
    now = now or timezone.now()
    changed = UnitReport.objects.filter(
        pk=report.pk, status__in=[UnitReport.Status.DRAFT, UnitReport.Status.RETURNED]
    ).update(
        status=UnitReport.Status.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
        first_submitted_at=report.first_submitted_at or now,
        lock_version=F("lock_version") + 1,
    )
    if not changed:
        raise StaleReport
    report.refresh_from_db()
    submission = ReportSubmission.objects.create(
        report=report,
        number=report.submissions.count() + 1,
        submitted_at=now,
        submitted_by=by,
        content=snapshot(report),
    )
    notify_review_step(report=report, submission=submission, by=by, now=now)
    unit_report_changed.send(sender=UnitReport, report=report)
    return report


@transaction.atomic
def return_unit_report(*, report, by, comment, now=None):
    """The office sends the report back to the unit with what to fix."""
    if not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi rõ cần sửa gì khi trả lại báo cáo.")})
    return _review(report, by, now, UnitReport.Status.RETURNED, comment)


@transaction.atomic
def accept_unit_report(*, report, by, comment="", now=None):
    return _review(report, by, now, UnitReport.Status.ACCEPTED, comment)


def _review(report, by, now, status, comment):
    now = now or timezone.now()
    changed = UnitReport.objects.filter(pk=report.pk, status=UnitReport.Status.SUBMITTED).update(
        status=status,
        reviewed_at=now,
        reviewed_by=by,
        review_comment=comment,
        lock_version=F("lock_version") + 1,
    )
    if not changed:
        raise StaleReport
    pending = ReportSubmission.objects.filter(report=report, outcome="")
    submission = pending.order_by("-number").first()
    pending.update(outcome=status, comment=comment, reviewed_at=now, reviewed_by=by)
    report.refresh_from_db()
    if submission is not None:
        submission.outcome, submission.comment = status, comment
        notify_review_step(report=report, submission=submission, by=by, now=now)
    unit_report_changed.send(sender=UnitReport, report=report)
    return report


def notify_review_step(*, report, submission, by, now):
    """Tell the people concerned that a report was sent (the office) or reviewed (the unit).

    Through the reminders' path, so that one (person, key) is notified once and e-mail
    honours each person's opt-out. The e-mail is an outbox row written with the step: a step
    that rolls back announces nothing, and a mail server that is down does not undo the step.
    """
    period, unit = report.period, report.unit
    agency_id = period.plan.agency_id
    values = {"period": str(period), "unit": unit.name, "comment": submission.comment}
    if submission.outcome == ReportSubmission.Outcome.RETURNED:
        kind, step = Notification.Kind.REPORT_RETURNED, "returned"
        title = _("Báo cáo %(period)s của %(unit)s bị trả lại — chờ gửi lại") % values
        body = _("Ý kiến của Văn phòng Sở: %(comment)s") % values
        people = people_by_unit([agency_id]).get(unit.pk, [])
    elif submission.outcome == ReportSubmission.Outcome.ACCEPTED:
        kind, step = Notification.Kind.REPORT_ACCEPTED, "accepted"
        title = _("Báo cáo %(period)s của %(unit)s đã được chấp nhận") % values
        body = _("Ý kiến của Văn phòng Sở: %(comment)s") % values if submission.comment else ""
        people = people_by_unit([agency_id]).get(unit.pk, [])
    else:
        kind, step = Notification.Kind.REPORT_SUBMITTED, "submitted"
        title = _("%(unit)s đã gửi báo cáo %(period)s — chờ xem xét") % values
        body = report.state(timezone.localdate(now)).timing
        people = Membership.objects.filter(
            agency_id=agency_id, role=Role.COORDINATOR, user__is_active=True
        ).values_list("user_id", flat=True)
    key = f"report-{step}:{report.pk}:{submission.number}"
    url = report.get_absolute_url()
    reminders = [
        Reminder(user_id, kind, key, title, body, url) for user_id in people if user_id != by.pk
    ]
    # The notifications and their e-mails (outbox rows) are saved with the step; the next
    # send_reminders run sends the e-mails, retrying while the mail server is down.
    return create_notifications(reminders=reminders, now=now)


def snapshot(report):
    """The report as sent: general parts and each entry with its citations."""
    entries = report.entries.select_related("task").prefetch_related("evidence")
    return {
        "results": report.results,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "entries": [
            {
                "task": entry.task.number,
                "task_id": entry.task_id,
                "role": entry.role,
                "status": entry.status,
                "percent": entry.percent,
                "text": entry.text,
                "evidence": [item.citation() for item in entry.evidence.all()],
            }
            for entry in entries
        ],
    }


@transaction.atomic
def save_period(*, period, starts_on, ends_on, unit_due, agency_due, report_due_day_on_time):
    """The office's dates for a period, and the plan's rule on whether the named day is on time."""
    period.starts_on, period.ends_on = starts_on, ends_on
    period.unit_due, period.agency_due = unit_due, agency_due
    period.save(update_fields=["starts_on", "ends_on", "unit_due", "agency_due"])
    plan = period.plan
    if plan.report_due_day_on_time != report_due_day_on_time:
        plan.report_due_day_on_time = report_due_day_on_time
        plan.save(update_fields=["report_due_day_on_time"])
    return period


def mark_change_after_acceptance(*, update):
    """Mark a progress update that changes what an accepted report of its lead unit said.

    Such a change is allowed; it is marked when it falls inside the accepted period's data
    (made before the window closed, or a completion dated inside it), not when it is simply
    the next period's news.
    """
    if update.kind != ProgressUpdate.Kind.UPDATE:
        return None
    day = timezone.localdate(update.created_at)
    inside = Q(period__ends_on__gte=day)
    if update.done_on is not None:
        inside |= Q(period__ends_on__gte=update.done_on)
    report = (
        UnitReport.objects.filter(
            inside,
            status=UnitReport.Status.ACCEPTED,
            reviewed_at__lt=update.created_at,
            entries__task_id=update.task_id,
            entries__role=ReportEntry.Role.LEAD,
        )
        .select_related("period")
        .order_by("period__ends_on")
        .first()
    )
    if report is None:
        return None
    ProgressUpdate.objects.filter(pk=update.pk).update(after_acceptance_of=report.period)
    update.after_acceptance_of = report.period
    return report
