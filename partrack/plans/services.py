"""Writes on tasks that touch several rows: each one atomic, each one in the task's history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.plans.models import Area, Plan, ProgressUpdate, Status, Task


class StaleTask(Exception):
    """The task changed since the form was opened: saving would overwrite someone's update."""


@transaction.atomic
def record_progress(
    *, task, by, unit, status, percent, narrative, done_on, expected_version, now=None
):
    """Record the lead unit's (or the office's) progress on a task and bump its version."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if status == Status.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("Nhiệm vụ đã hoàn thành cần có ngày hoàn thành.")})
        percent = 100
    elif done_on is not None:
        raise ValidationError({"done_on": _("Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.")})
    if done_on is not None and done_on > today:
        raise ValidationError({"done_on": _("Ngày hoàn thành không thể sau hôm nay.")})
    if status == Status.CANNOT_DO and not narrative.strip():
        raise ValidationError({"narrative": _("Hãy nêu lý do không thực hiện được.")})

    # The filtered update is the lock: it matches nothing when someone saved first.
    changed = Task.objects.filter(pk=task.pk, version=expected_version).update(
        status=status,
        percent=percent,
        done_on=done_on,
        version=F("version") + 1,
        updated_at=now,
    )
    if not changed:
        raise StaleTask
    update = ProgressUpdate.objects.create(
        task=task,
        unit=unit,
        author=by,
        kind=ProgressUpdate.Kind.UPDATE,
        status=status,
        previous_status=task.status,
        percent=percent,
        previous_percent=task.percent,
        narrative=narrative,
        done_on=done_on,
        created_at=now,
    )
    task.status, task.percent, task.done_on = status, percent, done_on
    task.version = expected_version + 1
    return update


@transaction.atomic
def add_contribution(*, task, by, unit, narrative, now=None):
    """A coordinating unit's account of its share; it leaves the task's status alone."""
    if not narrative.strip():
        raise ValidationError({"narrative": _("Hãy ghi nội dung đóng góp.")})
    return ProgressUpdate.objects.create(
        task=task,
        unit=unit,
        author=by,
        kind=ProgressUpdate.Kind.CONTRIBUTION,
        narrative=narrative,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def create_plan(*, agency, data, status=Plan.Status.ACTIVE):
    """Save a plan given in the schema of the seed's expected.json; returns (plan, unmatched).

    `unmatched` lists the lead names that match no unit of the agency: kept verbatim on the
    task and reported, never guessed.
    """
    head = data["plan"]
    year = head.get("year")
    plan = Plan.objects.create(
        agency=agency,
        year=year,
        title=head["title"],
        symbol=head.get("symbol", ""),
        issued_on=_parse_iso(head.get("issued_on")),
        status=status,
    )
    units = agency.units.all()
    unmatched = []
    order = 0
    for area_order, section in enumerate(data["sections"], start=1):
        area = Area.objects.create(
            plan=plan, order=area_order, numeral=section.get("roman", ""), title=section["title"]
        )
        for row in section["tasks"]:
            order += 1
            task = Task(
                plan=plan,
                area=area,
                number=row.get("no"),
                order=order,
                content=row["content"],
                deliverable=row.get("product", ""),
                lead_names=row.get("lead", []),
                coordinating_names=row.get("coordinators", []),
                note=row.get("note", ""),
                extra=row.get("extra", {}),
            )
            task.set_deadline(row.get("deadline_text", ""), year)
            # A person may have dated the deadline by hand while reviewing the import.
            if row.get("deadline_kind"):
                task.deadline_kind = row["deadline_kind"]
                task.due_date = _parse_iso(row.get("due_date"))
            lead_units, lead_unmatched = units.resolve(task.lead_names)
            coordinating, outside = units.resolve(task.coordinating_names)
            task.outside_bodies = outside
            task.save()
            task.lead_units.set(lead_units)
            task.coordinating_units.set([u for u in coordinating if u not in lead_units])
            unmatched.extend(lead_unmatched)
    return plan, unmatched


def _parse_iso(value):
    return date.fromisoformat(value) if value else None
