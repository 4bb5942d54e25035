"""A person's deadlines as an iCalendar feed: their tasks and their agency's report dates.

A unit member sees the open tasks their unit leads; the office sees every open task of the
agency. Everyone sees when unit reports are due; the office and the leaders also see when the
agency's report goes to Sở Nội vụ.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from partrack.org.models import Role
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import ReportingPeriod, Task
from partrack.templatetags.partrack import person

# How often a calendar application should fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=1)  # also X-PUBLISHED-TTL below, for Outlook


def feed_tasks(membership):
    """The open, dated tasks in the person's calendar, soonest first."""
    if membership.role == Role.COORDINATOR:
        tasks = Task.objects.filter(plan__agency_id=membership.agency_id)
    elif membership.role == Role.MEMBER and membership.unit_id is not None:
        tasks = Task.objects.filter(plan__agency_id=membership.agency_id).led_by(membership.unit_id)
    else:
        return Task.objects.none()
    return (
        tasks.of_active_plans()
        .filter(due_date__isnull=False)
        .open()
        .exclude(deadline_kind=DeadlineKind.CONTINUOUS)
        .prefetch_related("lead_units")
        .order_by("due_date", "plan", "order")
    )


def feed_periods(membership):
    """The reporting periods of the agency's active plans."""
    return (
        ReportingPeriod.objects.filter(plan__agency_id=membership.agency_id)
        .of_active_plans()
        .select_related("plan")
        .order_by("unit_due")
    )


def all_day(uid, day, summary, *, url, description, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make the person busy
    return event


def calendar_for(membership, *, absolute_url, host, now):
    """The person's deadlines as iCalendar bytes. `absolute_url(path)` makes a link."""
    calendar = Calendar()
    calendar.add("prodid", "-//PARtrack//Nhắc việc CCHC//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add(
        "x-wr-calname", _("PARtrack — hạn của %(name)s") % {"name": person(membership.user)}
    )
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")

    for task in feed_tasks(membership):
        summary = _("Hạn nhiệm vụ %(number)s: %(content)s") % {
            "number": task.number or "",
            "content": Truncator(task.content).chars(100),
        }
        description = "\n".join(
            [
                task.content,
                _("Thời gian hoàn thành: %(text)s") % {"text": task.deadline_text},
                _("Đơn vị chủ trì: %(units)s")
                % {"units": ", ".join(unit.name for unit in task.lead_units.all())},
            ]
        )
        calendar.add_component(
            all_day(
                f"task-{task.pk}@{host}",
                task.due_date,
                summary,
                url=absolute_url(task.get_absolute_url()),
                description=description,
                stamp=now,
            )
        )

    sees_agency_dates = membership.role in (Role.COORDINATOR, Role.LEADER)
    for period in feed_periods(membership):
        if membership.role == Role.MEMBER and membership.unit_id is not None:
            url = reverse("unit_report", args=[period.pk, membership.unit_id])
        else:
            url = reverse("period_board", args=[period.pk])
        values = {"period": str(period)}
        calendar.add_component(
            all_day(
                f"period-{period.pk}-units@{host}",
                period.unit_due,
                _("Hạn đơn vị gửi báo cáo %(period)s") % values,
                url=absolute_url(url),
                description=_("Các đơn vị gửi báo cáo %(period)s cho Văn phòng Sở.") % values,
                stamp=now,
            )
        )
        if sees_agency_dates and period.agency_due is not None:
            calendar.add_component(
                all_day(
                    f"period-{period.pk}-agency@{host}",
                    period.agency_due,
                    _("Hạn gửi báo cáo %(period)s đến Sở Nội vụ") % values,
                    url=absolute_url(url),
                    description=_("Báo cáo %(period)s của cơ quan gửi Sở Nội vụ.") % values,
                    stamp=now,
                )
            )
    return calendar.to_ical()
