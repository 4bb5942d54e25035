"""Writes on tasks that touch several rows: each one atomic, each one in the task's history."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack import files
from partrack.plans.evidence import detect_file_type
from partrack.plans.models import Area, Evidence, Plan, PlanEvent, ProgressUpdate, Status, Task
from partrack.plans.revision import plan_changes
from partrack.plans.signals import progress_recorded


class StaleTask(Exception):
    """The task changed since the form was opened: saving would overwrite someone's update."""


@dataclass
class NewEvidence:
    """An evidence item as a form gives it, before it is checked and saved."""

    number_symbol: str = ""
    issued_on: date | None = None
    summary: str = ""
    file: object = None  # an UploadedFile
    url: str = ""

    def is_empty(self):
        return not (self.number_symbol or self.summary or self.file or self.url)


def check_evidence(item, *, today):
    """Raise ValidationError unless the item says what it is; returns the file's real type."""
    if not (item.file or item.url or item.number_symbol):
        raise ValidationError(
            {
                "evidence_number": _(
                    "Minh chứng cần số, ký hiệu văn bản, tệp đính kèm hoặc đường dẫn."
                )
            }
        )
    if item.issued_on and item.issued_on > today:
        raise ValidationError({"evidence_date": _("Ngày văn bản không thể sau hôm nay.")})
    if not item.file:
        return ""
    limit = settings.PARTRACK_MAX_EVIDENCE_MB
    if item.file.size > limit * 1024 * 1024:
        raise ValidationError({"evidence_file": _("Tệp vượt quá %(n)s MB.") % {"n": limit}})
    try:
        return detect_file_type(item.file)
    except ValidationError as error:
        raise ValidationError({"evidence_file": error.messages}) from error


@files.atomic()  # a failed save leaves no evidence file behind
def record_progress(
    *,
    task,
    by,
    unit,
    status,
    percent,
    narrative,
    done_on,
    expected_version,
    evidence=(),
    no_evidence_reason="",
    cited=(),
    now=None,
):
    """Record the lead unit's (or the office's) progress on a task and bump its version."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    evidence = [item for item in evidence if not item.is_empty()]
    file_types = [check_evidence(item, today=today) for item in evidence]
    if status == Status.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("Nhiệm vụ đã hoàn thành cần có ngày hoàn thành.")})
        if not (evidence or no_evidence_reason.strip() or task.evidence.exists()):
            raise ValidationError(
                {
                    "no_evidence_reason": _(
                        "Nhiệm vụ đã hoàn thành cần ít nhất một minh chứng, "
                        "hoặc ghi lý do không có minh chứng."
                    )
                }
            )
        percent = 100
    elif done_on is not None:
        raise ValidationError({"done_on": _("Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.")})
    if done_on is not None and done_on > today:
        raise ValidationError({"done_on": _("Ngày hoàn thành không thể sau hôm nay.")})
    if done_on is not None and done_on < (start := plan_start(task.plan)):
        raise ValidationError(
            {
                "done_on": _("Ngày hoàn thành không thể trước khi Kế hoạch bắt đầu (%(date)s).")
                % {"date": start.strftime("%d/%m/%Y")}
            }
        )
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
        no_evidence_reason=no_evidence_reason,
        created_at=now,
    )
    update.cited.set([c for c in cited if c.task_id == task.pk])
    for item, file_type in zip(evidence, file_types, strict=True):
        record = Evidence(
            task=task,
            update=update,
            unit=unit,
            added_by=by,
            number_symbol=item.number_symbol,
            issued_on=item.issued_on,
            summary=item.summary,
            url=item.url,
            created_at=now,
        )
        if item.file:
            record.file_type = file_type
            record.file_name = Path(item.file.name).name[:255]
            files.stage(record.file, record.file_name, item.file)
        record.save()
    task.status, task.percent, task.done_on = status, percent, done_on
    task.version = expected_version + 1
    progress_recorded.send(sender=Task, task=task, update=update)
    return update


def plan_start(plan):
    """The first day a plan's work can count: its first data window (15/12 of the year
    before, by 581/BNV) or its issue date, whichever is earlier."""
    first_window = plan.periods.aggregate(first=Min("starts_on"))["first"]
    days = [d for d in (first_window, plan.issued_on) if d is not None]
    return min(days) if days else date(plan.year - 1, 12, 15)


@transaction.atomic
def assign_task(*, task, by, lead_units, due_date, expected_version, now=None):
    """The office changes who leads a task and when it is due; returns the history entry.

    A due date set by hand dates an "on request" or unreadable deadline; the words of the plan
    stay as written. Nothing changed: nothing recorded (returns None).
    """
    before_units = list(task.lead_units.all())
    changes = []
    if {u.pk for u in lead_units} != {u.pk for u in before_units}:
        if not lead_units:
            raise ValidationError({"lead_units": _("Nhiệm vụ cần ít nhất một đơn vị chủ trì.")})
        names = "; ".join(u.name for u in before_units) or "—"
        changes.append(f"Cơ quan chủ trì: {names} → {'; '.join(u.name for u in lead_units)}")
    if due_date != task.due_date:
        old = task.due_date.strftime("%d/%m/%Y") if task.due_date else "—"
        new = due_date.strftime("%d/%m/%Y") if due_date else "—"
        changes.append(f"Hạn hoàn thành: {old} → {new}")
    if not changes:
        return None
    changed = Task.objects.filter(pk=task.pk, version=expected_version).update(
        due_date=due_date, version=F("version") + 1, updated_at=now or timezone.now()
    )
    if not changed:
        raise StaleTask
    task.due_date, task.version = due_date, expected_version + 1
    task.lead_units.set(lead_units)
    coordinating = [u for u in task.coordinating_units.all() if u not in lead_units]
    # A unit that no longer leads still works on the task: it becomes a coordinating unit.
    coordinating += [u for u in before_units if u not in lead_units and u not in coordinating]
    task.coordinating_units.set(coordinating)
    return ProgressUpdate.objects.create(
        task=task,
        author=by,
        kind=ProgressUpdate.Kind.REVISION,
        narrative="\n".join(changes),
        created_at=now or timezone.now(),
    )


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
    task and reported, never guessed. Tasks and their units are written in bulk, so that a
    plan of thousands of tasks holds SQLite's write lock for a moment only.
    """
    head = data["plan"]
    plan = Plan(agency=agency, year=head.get("year"), status=status)
    plan.title = head["title"]
    set_facts(plan, head)
    plan.save()
    units = agency.units.all()
    unmatched = []
    tasks, links = [], []
    for area, section in _save_areas(plan, data):
        for row in section["tasks"]:
            task = Task(plan=plan, area=area, order=len(tasks) + 1)
            lead_units, coordinating, missing = _set_task(task, row, plan.year, units)
            task.derive_fields()
            tasks.append(task)
            links.append((lead_units, coordinating))
            unmatched += missing
    Task.objects.bulk_create(tasks, batch_size=500)
    Task.lead_units.through.objects.bulk_create(
        [
            Task.lead_units.through(task_id=task.pk, unit_id=unit.pk)
            for task, (lead_units, _coordinating) in zip(tasks, links, strict=True)
            for unit in lead_units
        ],
        batch_size=500,
    )
    Task.coordinating_units.through.objects.bulk_create(
        [
            Task.coordinating_units.through(task_id=task.pk, unit_id=unit.pk)
            for task, (_lead_units, coordinating) in zip(tasks, links, strict=True)
            for unit in coordinating
        ],
        batch_size=500,
    )
    plan.ensure_periods()
    return plan, unmatched


# The plan's own facts in the "plan" block of expected.json's schema, by the Plan field.
def set_facts(plan, head):
    """Set the plan's number, date, signer, legal basis, recipients and rules from a head block."""
    signer = head.get("signer") or {}
    plan.symbol = head.get("symbol") or ""
    plan.issued_on = _parse_iso(head.get("issued_on"))
    plan.legal_basis = head.get("legal_basis") or ""
    plan.signer_name = signer.get("name") or ""
    plan.signer_title = signer.get("title") or ""
    plan.signer_on_behalf = signer.get("on_behalf") or ""
    plan.recipients = list(head.get("recipients") or [])
    plan.rules = {name: head[name] for name in PLAN_RULES if head.get(name)}


# The rules a plan's body writes that the importer reads ("reporting", "inspection").
PLAN_RULES = ("reporting", "inspection")


@transaction.atomic
def revise_plan(*, plan, data, by, now=None):
    """Bring the plan to a revised version, keeping the progress of the tasks that stay.

    Each task that changes gets a line in its history saying what changed.
    """
    now = now or timezone.now()
    changes = plan_changes(plan, data)
    head = data["plan"]
    plan.title = head.get("title") or plan.title
    plan.symbol = head.get("symbol") or plan.symbol
    plan.issued_on = _parse_iso(head.get("issued_on")) or plan.issued_on
    plan.save(update_fields=["title", "symbol", "issued_on"])
    units = plan.agency.units.all()
    saved = _save_areas(plan, data, keep=True)
    area_of = {section.get("roman", ""): area for area, section in saved}
    rows = [row for section in data["sections"] for row in section["tasks"]]
    order = {id(row): n for n, row in enumerate(rows, start=1)}
    for change in changes.removed:
        change.task.delete()
    for change in changes.changed + changes.unchanged:
        task = change.task
        task.area, task.order = area_of[change.area], order[id(change.row)]
        _fill_task(task, change.row, plan.year, units)
        if change.fields:
            Task.objects.filter(pk=task.pk).update(version=F("version") + 1)
            ProgressUpdate.objects.create(
                task=task,
                author=by,
                kind=ProgressUpdate.Kind.REVISION,
                narrative=change.describe(),
                created_at=now,
            )
    for change in changes.added:
        task = Task(plan=plan, area=area_of[change.area], order=order[id(change.row)])
        _fill_task(task, change.row, plan.year, units)
    plan.areas.exclude(pk__in=[area.pk for area, _section in saved]).delete()
    return changes


def _save_areas(plan, data, keep=False):
    """[(Area, section)] in the document's order, reusing the plan's areas when revising."""
    existing = {area.order: area for area in plan.areas.all()} if keep else {}
    saved = []
    for order, section in enumerate(data["sections"], start=1):
        area = existing.get(order) or Area(plan=plan, order=order)
        area.numeral, area.title = section.get("roman", ""), section["title"]
        area.save()
        saved.append((area, section))
    return saved


def _fill_task(task, row, year, units):
    """Set a task from a row of expected.json's schema and save it; returns unmatched leads."""
    lead_units, coordinating, unmatched = _set_task(task, row, year, units)
    task.save()
    task.lead_units.set(lead_units)
    task.coordinating_units.set(coordinating)
    return unmatched


def _set_task(task, row, year, units):
    """Set a task's fields from a row; returns (lead units, coordinating units, unmatched)."""
    task.number = row.get("no")
    task.content = row["content"]
    task.deliverable = row.get("product", "")
    task.lead_names = list(row.get("lead", []))
    task.coordinating_names = list(row.get("coordinators", []))
    task.note = row.get("note", "")
    task.extra = row.get("extra", {})
    task.set_deadline(row.get("deadline_text", ""), year)
    # A person may have dated the deadline by hand while reviewing the import.
    if row.get("deadline_kind"):
        task.deadline_kind = row["deadline_kind"]
        task.due_date = _parse_iso(row.get("due_date"))
    lead_units, unmatched = units.resolve(task.lead_names)
    coordinating, outside = units.resolve(task.coordinating_names)
    task.outside_bodies = outside
    return lead_units, [u for u in coordinating if u not in lead_units], unmatched


def _parse_iso(value):
    return date.fromisoformat(value) if value else None


# The plan facts the office sets by hand, with the label its history shows.
PLAN_FACTS = {
    "symbol": "Số, ký hiệu",
    "issued_on": "Ngày ban hành",
    "signer_on_behalf": "Thay mặt",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Người ký",
    "legal_basis": "Căn cứ",
}


def _written(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@transaction.atomic
def set_plan_facts(*, plan, by, facts, now=None):
    """The office sets or corrects the plan's number, date, signer and legal basis.

    Each change is a line of the plan's history ("Số, ký hiệu: /KH-SKHCN → 15/KH-SKHCN").
    Returns the history entry, or None when nothing changed.
    """
    plan.refresh_from_db(fields=list(facts))
    lines = []
    for name, value in facts.items():
        before = getattr(plan, name)
        if before != value:
            lines.append(f"{PLAN_FACTS[name]}: {_written(before)} → {_written(value)}")
            setattr(plan, name, value)
    if not lines:
        return None
    plan.save(update_fields=list(facts))
    return PlanEvent.objects.create(
        plan=plan,
        author=by,
        kind=PlanEvent.Kind.FACTS,
        narrative="\n".join(lines),
        created_at=now or timezone.now(),
    )


@transaction.atomic
def archive_plan(*, plan, by, reason, now=None):
    """Take a plan made by mistake out of every list, reminder and ranking; nothing is deleted."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do lưu trữ kế hoạch.")})
    now = now or timezone.now()
    if not Plan.objects.filter(pk=plan.pk, archived_at__isnull=True).update(
        archived_at=now, archived_by=by
    ):
        return None  # archived already (a second click)
    plan.archived_at, plan.archived_by = now, by
    return PlanEvent.objects.create(
        plan=plan, author=by, kind=PlanEvent.Kind.ARCHIVED, narrative=reason, created_at=now
    )


@transaction.atomic
def restore_plan(*, plan, by, now=None):
    """Bring an archived plan back into the lists, unless another plan of its year is followed."""
    other = Plan.objects.same_year_as(agency=plan.agency_id, year=plan.year).exclude(pk=plan.pk)
    if other.exists():
        raise ValidationError(
            _(
                "Sở đang theo dõi một kế hoạch khác của năm %(year)s: hãy lưu trữ kế hoạch đó "
                "trước khi khôi phục kế hoạch này."
            )
            % {"year": plan.year}
        )
    if not Plan.objects.filter(pk=plan.pk, archived_at__isnull=False).update(
        archived_at=None, archived_by=None
    ):
        return None
    plan.archived_at = plan.archived_by = None
    return PlanEvent.objects.create(
        plan=plan, author=by, kind=PlanEvent.Kind.RESTORED, created_at=now or timezone.now()
    )
