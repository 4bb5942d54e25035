"""Reminders: what is due on a day, the notifications it makes, and the e-mail that carries them.

Each reminder has a key that names what it is about and when ("task-due:12:7d"). A person gets
one notification per key, so computing the reminders of a moment twice sends nothing new.

When an N-day reminder is due: on any day with 0 <= days left <= N, if that reminder was not
sent before, and only the smallest such N (with 7 and 1: the 7-day one from 7 to 2 days
before, the 1-day one on the last day and the day before). A run that was missed for a few days
still sends the reminder, and one run never sends two reminders about the same deadline.
An overdue task reminder goes out from the day after the deadline for OVERDUE_CATCH_UP_DAYS
days, so that a newly installed site does not announce months-old arrears; the Monday digest
does. A unit report is different: one not sent stays late until it comes (docs/domain.md), so its
unit is reminded the day after the deadline and every REPORT_CHASE_DAYS days after that.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from hashlib import sha256

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from partrack.org.models import Membership, Role, Unit
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import Completion, Plan, ReportingPeriod, State, Task
from partrack.reporting import sections
from partrack.reporting.models import Notification, OutgoingEmail, UnitReport
from partrack.reporting.outbox import MailServerDown, deliver
from partrack.templatetags.partrack import dmy

# How many days after a deadline its overdue reminder may still go out (a job that was down).
OVERDUE_CATCH_UP_DAYS = 7
# A report still missing after its deadline is chased again every this many days.
REPORT_CHASE_DAYS = 7
# The longest list of overdue tasks a digest spells out; the rest are counted.
DIGEST_TASK_LIMIT = 30
# How many keys one "which exist already" query asks about.
KEY_BATCH = 500
SUBMITTED = (UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED)


@dataclass(frozen=True)
class Reminder:
    """A notification to create for one person, unless one with its key exists."""

    user_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def reminder_days():
    """The N of "N days before", largest first: PARTRACK_REMINDER_DAYS, (7, 1) by default."""
    days = settings.PARTRACK_REMINDER_DAYS
    return sorted({int(n) for n in days if int(n) >= 0}, reverse=True)


def reminder_for(days_left, days):
    """The N whose reminder is due with `days_left` to go: the smallest N >= days_left, or None."""
    if days_left < 0:
        return None
    applicable = [n for n in days if days_left <= n]
    return min(applicable) if applicable else None


def send_reminders(*, now):
    """Create the new reminders due at `now`, then send every e-mail due; (notifications, Delivery).

    The notifications are saved even when the mail server is down: the MailServerDown raised
    then carries their number, and the e-mails wait in the outbox for the next run.
    """
    today = timezone.localdate(now)
    created = create_notifications(reminders=reminders_due(today), now=now)
    try:
        delivery = deliver(now=now)
    except MailServerDown as down:
        down.notifications = len(created)
        raise
    return len(created), delivery


def reminders_due(today):
    """Every reminder that should exist on `today`, sent before or not."""
    return [
        *task_reminders(today),
        *report_reminders(today),
        *weekly_digests(today),
        *sections.collect("reminders", today),
    ]


def people_by_unit(agency_ids):
    """{unit id: [user id, …]}: a unit's members; the office's also the agency's coordinators."""
    people = defaultdict(list)
    coordinators = defaultdict(list)
    memberships = Membership.objects.filter(
        agency_id__in=agency_ids,
        role__in=[Role.MEMBER, Role.COORDINATOR],
        user__is_active=True,
    ).values_list("user_id", "agency_id", "unit_id", "role")
    for user_id, agency_id, unit_id, role in memberships:
        if role == Role.COORDINATOR:
            coordinators[agency_id].append(user_id)
        elif unit_id is not None:
            people[unit_id].append(user_id)
    offices = Unit.objects.filter(agency_id__in=agency_ids, is_coordinator=True)
    for unit_id, agency_id in offices.values_list("pk", "agency_id"):
        people[unit_id] = list(dict.fromkeys(people[unit_id] + coordinators[agency_id]))
    return people


def days_text(days_left):
    if days_left == 0:
        return _("hạn cuối là hôm nay")
    return _("còn %(days)s ngày") % {"days": days_left}


def task_reminders(today):
    """N days before an open, dated task is due, and on the day after it, to its lead units."""
    days = reminder_days()
    # An extended task is reminded of its new date (issue 14), under its own key.
    tasks = (
        Task.objects.of_active_plans()
        .with_working_due()
        .filter(
            working_due__gte=today - timedelta(days=OVERDUE_CATCH_UP_DAYS),
            working_due__lte=today + timedelta(days=max(days, default=-1)),
        )
        .open()
        .exclude(completion=Completion.PENDING)
        .exclude(deadline_kind=DeadlineKind.CONTINUOUS)
        .select_related("plan")
        .prefetch_related("lead_units")
        .order_by("working_due", "order")
    )
    tasks = list(tasks)
    people = people_by_unit({task.plan.agency_id for task in tasks})
    reminders = []
    for task in tasks:
        days_left = (task.working_due - today).days
        values = {
            "number": task.number or "",
            "date": dmy(task.working_due),
            "left": days_text(days_left),
        }
        # The new date is a new deadline: its reminders are not those of the plan's date.
        extended = f"@{task.extended_to:%Y%m%d}" if task.extended_to else ""
        if days_left >= 0:
            n = reminder_for(days_left, days)
            if n is None:
                continue
            kind, key = Notification.Kind.TASK_DUE, f"task-due:{task.pk}:{n}d{extended}"
            title = _("Nhiệm vụ %(number)s sắp đến hạn ngày %(date)s (%(left)s)") % values
        else:
            kind, key = Notification.Kind.TASK_OVERDUE, f"task-overdue:{task.pk}{extended}"
            title = _("Nhiệm vụ %(number)s đã quá hạn (hạn %(date)s)") % values
        deadline = task.deadline_text
        if task.extended_to:
            deadline = f"{deadline} ({task.extension_text})"
        body = "\n".join(
            [
                Truncator(task.content).chars(400),
                _("Thời gian hoàn thành: %(text)s") % {"text": deadline},
            ]
        )
        url = task.get_absolute_url()
        for unit in task.lead_units.all():
            for user_id in people.get(unit.pk, []):
                reminders.append(Reminder(user_id, kind, key, title, body, url))
    return reminders


def report_reminders(today):
    """N days before a unit report is due, to units that have not sent it; once it is late,
    every REPORT_CHASE_DAYS days from the day after the deadline until it comes."""
    days = reminder_days()
    periods = list(
        ReportingPeriod.objects.of_active_plans()
        .filter(
            unit_due__lte=today + timedelta(days=max(days, default=-1)),
        )
        .select_related("plan")
    )
    if not periods:
        return []
    agency_ids = {period.plan.agency_id for period in periods}
    units = defaultdict(list)
    for unit in Unit.objects.filter(agency_id__in=agency_ids):
        units[unit.agency_id].append(unit)
    reports = UnitReport.objects.filter(period__in=periods)
    submitted = set(reports.filter(status__in=SUBMITTED).values_list("period_id", "unit_id"))
    # A report sent once and returned has come: the return told the unit, no chase says "late".
    came = set(reports.filter(first_submitted_at__isnull=False).values_list("period_id", "unit_id"))
    people = people_by_unit(agency_ids)
    reminders = []
    for period in periods:
        days_left = (period.unit_due - today).days
        if days_left >= 0:
            n = reminder_for(days_left, days)
            if n is None:
                continue
        for unit in units[period.plan.agency_id]:
            if (period.pk, unit.pk) in submitted or not people.get(unit.pk):
                continue
            values = {
                "period": str(period),
                "unit": unit.name,
                "date": dmy(period.unit_due),
                "left": days_text(days_left),
                "days": -days_left,
            }
            if days_left < 0 and (period.pk, unit.pk) in came:
                continue
            if days_left >= 0:
                kind = Notification.Kind.REPORT_DUE
                key = f"report-due:{period.pk}:{unit.pk}:{n}d"
                title = _("Hạn gửi báo cáo %(period)s của %(unit)s: %(date)s (%(left)s)") % values
                body = _("Đơn vị chưa gửi báo cáo %(period)s cho Văn phòng Sở.") % values
            else:
                kind = Notification.Kind.REPORT_OVERDUE
                key = overdue_report_key(period, unit, -days_left)
                title = (
                    _("Báo cáo %(period)s của %(unit)s: chưa gửi, quá hạn %(days)s ngày") % values
                )
                body = _("Đơn vị chưa gửi báo cáo %(period)s; hạn gửi là %(date)s.") % values
            url = reverse("unit_report", args=[period.pk, unit.pk])
            for user_id in people[unit.pk]:
                reminders.append(Reminder(user_id, kind, key, title, body, url))
    return reminders


def overdue_report_key(period, unit, days_overdue):
    """One key per REPORT_CHASE_DAYS days late: a late report is chased until it comes."""
    round_ = (days_overdue - 1) // REPORT_CHASE_DAYS
    key = f"report-overdue:{period.pk}:{unit.pk}"
    return key if round_ == 0 else f"{key}:{round_ + 1}"


def weekly_digests(today):
    """On Mondays, to each agency's leaders: the overdue tasks and the units yet to report."""
    if today.weekday() != 0:
        return []
    leaders = defaultdict(list)
    for user_id, agency_id in Membership.objects.filter(
        role=Role.LEADER, user__is_active=True
    ).values_list("user_id", "agency_id"):
        leaders[agency_id].append(user_id)
    year, week, _weekday = today.isocalendar()
    reminders = []
    for agency_id, user_ids in sorted(leaders.items()):
        digest = agency_digest(agency_id, today)
        if digest is None:
            continue
        key = f"digest:{agency_id}:{year}-W{week:02d}"
        for user_id in user_ids:
            reminders.append(
                Reminder(
                    user_id, Notification.Kind.DIGEST, key, digest.title, digest.body, digest.url
                )
            )
    return reminders


@dataclass(frozen=True)
class Digest:
    title: str
    body: str
    url: str


def agency_digest(agency_id, today):
    """The week's digest of an agency's active plans, or None when there is nothing to say."""
    plans = Plan.objects.active().filter(agency_id=agency_id)
    plan = plans.order_by("-year", "-pk").first()
    if plan is None:
        return None
    overdue = list(
        Task.objects.filter(plan__in=plans)
        .in_state(State.OVERDUE, today)
        .order_by("due_date", "plan", "area__order", "order")
    )
    period = ReportingPeriod.objects.filter(plan__in=plans).select_related("plan").current(today)
    missing = []
    if period is not None:
        done = UnitReport.objects.filter(period=period, status__in=SUBMITTED).values("unit_id")
        missing = list(Unit.objects.filter(agency_id=agency_id).exclude(pk__in=done))
    if not overdue and not missing:
        return None
    title = _("Tổng hợp tuần: %(tasks)s nhiệm vụ quá hạn, %(units)s đơn vị chưa gửi báo cáo") % {
        "tasks": len(overdue),
        "units": len(missing),
    }
    lines = []
    if overdue:
        lines.append(_("Nhiệm vụ quá hạn:"))
        for task in overdue[:DIGEST_TASK_LIMIT]:
            content = Truncator(task.content).chars(120)
            lines.append(
                _("- %(number)s. %(content)s (hạn %(date)s)")
                % {"number": task.number or "", "content": content, "date": dmy(task.due_date)}
            )
        if len(overdue) > DIGEST_TASK_LIMIT:
            lines.append(
                _("… và %(count)s nhiệm vụ khác.") % {"count": len(overdue) - DIGEST_TASK_LIMIT}
            )
    if missing:
        lines.append(
            _("Đơn vị chưa gửi báo cáo %(period)s (hạn %(date)s):")
            % {"period": str(period), "date": dmy(period.unit_due)}
        )
        lines.extend(f"- {unit.name}" for unit in missing)
    url = reverse("plan_overview", args=[(period.plan_id if period else plan.pk)])
    return Digest(title=title, body="\n".join(lines), url=url)


def create_notifications(*, reminders, now):
    """Save the reminders whose (person, key) is new, with their e-mails; the notifications made.

    This is how PARtrack notifies people: the notifications and the outbox rows that e-mail them
    are written in one transaction, so there is never one without the other. The e-mails go out
    at the next `send_reminders` run.
    """
    wanted = {(r.user_id, r.key): r for r in reminders}
    if not wanted:
        return []
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = existing_keys(wanted)
                new = [
                    Notification(
                        user_id=r.user_id,
                        kind=r.kind,
                        key=r.key,
                        title=r.title[:300],
                        body=r.body,
                        url=r.url,
                        created_at=now,
                    )
                    for pair, r in wanted.items()
                    if pair not in existing
                ]
                created = Notification.objects.bulk_create(new, batch_size=KEY_BATCH)
                email_notifications(created, now=now)
                return created
        except IntegrityError:
            # Another run saved some of them since we looked: look again, once.
            if attempt:
                raise
    return []


def existing_keys(wanted):
    keys = sorted({key for _user, key in wanted})
    user_ids = {user_id for user_id, _key in wanted}
    existing = set()
    for start in range(0, len(keys), KEY_BATCH):
        existing.update(
            Notification.objects.filter(
                user_id__in=user_ids, key__in=keys[start : start + KEY_BATCH]
            ).values_list("user_id", "key")
        )
    return existing


def email_notifications(notifications, *, now):
    """Queue one e-mail per person who wants e-mail, listing their notifications; the number queued.

    Runs in the caller's transaction. Notifications already in an e-mail are skipped, so calling
    it twice queues nothing new.
    """
    with transaction.atomic():
        return queue_emails(notifications, now=now)


def queue_emails(notifications, *, now):
    pks = [n.pk for n in notifications if n.email_id is None]
    # Asked of the database, so that a stale copy of a notification is not e-mailed twice.
    unsent = set(
        Notification.objects.filter(pk__in=pks, email__isnull=True).values_list("pk", flat=True)
    )
    by_user = defaultdict(list)
    for notification in notifications:
        if notification.pk in unsent:
            by_user[notification.user_id].append(notification)
    if not by_user:
        return 0
    recipients = {
        membership.user_id: membership.user
        for membership in Membership.objects.filter(user_id__in=by_user, email_reminders=True)
        .exclude(user__email="")
        .select_related("user")
    }
    emails, linked = [], []
    for user_id, items in by_user.items():
        user = recipients.get(user_id)
        if user is None:
            continue
        subject, body = reminder_email(user, items)
        pks = ",".join(str(n.pk) for n in sorted(items, key=lambda n: n.pk))
        email = OutgoingEmail(
            key=f"notifications:{user_id}:{sha256(pks.encode()).hexdigest()[:40]}",
            to=user.email,
            subject=subject,
            body=body,
            created_at=now,
            next_attempt_at=now,
        )
        emails.append(email)
        for notification in items:
            notification.email = email
            linked.append(notification)
    OutgoingEmail.objects.bulk_create(emails, batch_size=KEY_BATCH)
    Notification.objects.bulk_update(linked, ["email"], batch_size=KEY_BATCH)
    return len(emails)


def reminder_email(user, notifications):
    """The subject and text of the e-mail that brings a person their new notifications."""
    site_url = settings.PARTRACK_SITE_URL.rstrip("/")
    site_name = settings.SITE_NAME
    if len(notifications) == 1:
        subject = notifications[0].title
    else:
        subject = _("%(count)s nhắc việc mới") % {"count": len(notifications)}
    body = render_to_string(
        "reporting/notifications/email.txt",
        {
            "user": user,
            "notifications": notifications,
            "site_url": site_url,
            "site_name": site_name,
            "settings_url": reverse("notification_settings"),
            "list_url": reverse("notification_list"),
        },
    )
    return f"[{site_name}] {subject}", body
