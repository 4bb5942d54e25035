"""Writes on tasks that touch several rows: each one atomic, each one in the task's history."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from partrack import files
from partrack.org.models import Membership
from partrack.plans.bodies import Bodies
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.evidence import detect_file_type
from partrack.plans.models import (
    Area,
    Completion,
    Evidence,
    ExtensionRequest,
    Plan,
    PlanEvent,
    ProgressUpdate,
    Status,
    SubItem,
    Task,
    derive_status,
)
from partrack.plans.plan_data import PlanData
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
    status_reason="",
    now=None,
):
    """Record the lead unit's (or the office's) progress on a task and bump its version.

    On a plan whose completions the office confirms, a unit's "done" is a claim: the task
    keeps its status, marked "chờ xác nhận", until the office confirms or returns it. On a
    task with sub-items, a status other than theirs needs a reason, and then stays set by hand.
    """
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
    derived = derive_status(task.sub_items.all())
    by_hand = derived is not None and status != derived[0]
    if by_hand and not status_reason.strip():
        raise ValidationError(
            {
                "status_reason": _(
                    "Tình trạng theo các nội dung con là “%(derived)s”: hãy ghi lý do đặt "
                    "tình trạng khác."
                )
                % {"derived": Status(derived[0]).label}
            }
        )
    claim = status == Status.DONE and needs_confirmation(task, by)
    if claim:
        # The task keeps what it was; the claim waits in the history and on "Cần làm".
        fields = {"completion": Completion.PENDING}
        kind = ProgressUpdate.Kind.COMPLETION
    else:
        fields = {"status": status, "percent": percent, "done_on": done_on, "completion": ""}
        kind = ProgressUpdate.Kind.UPDATE
    if derived is not None:
        fields["status_set_by_hand"] = by_hand
        fields["status_reason"] = status_reason.strip() if by_hand else ""

    # The filtered update is the lock: it matches nothing when someone saved first.
    changed = Task.objects.filter(pk=task.pk, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=now
    )
    if not changed:
        raise StaleTask
    update = ProgressUpdate.objects.create(
        task=task,
        unit=unit,
        author=by,
        kind=kind,
        status="" if claim else status,
        previous_status=task.status,
        percent=percent,
        previous_percent=task.percent,
        narrative="\n".join(p for p in (narrative, by_hand_line(by_hand, status_reason)) if p),
        done_on=done_on,
        no_evidence_reason=no_evidence_reason,
        created_at=now,
    )
    update.cited.set([c for c in cited if c.task_id == task.pk])
    _save_evidence(evidence, file_types, task=task, update=update, unit=unit, by=by, now=now)
    for name, value in fields.items():
        setattr(task, name, value)
    task.version = expected_version + 1
    progress_recorded.send(sender=Task, task=task, update=update)
    return update


def by_hand_line(by_hand, reason):
    if not by_hand:
        return ""
    return _("Tình trạng đặt khác các nội dung con, vì: %(reason)s") % {"reason": reason.strip()}


def needs_confirmation(task, by):
    """Whether `by` saying the task is done makes a claim for the office to confirm."""
    return task.plan.done_needs_confirmation and not Membership.coordinates(by, task.plan.agency_id)


def _save_evidence(evidence, file_types, *, task, update, unit, by, now, sub_item=None):
    for item, file_type in zip(evidence, file_types, strict=True):
        record = Evidence(
            task=task,
            update=update,
            unit=unit,
            sub_item=sub_item,
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
    """Save a plan given as PlanData (or its dict, the schema of the seed's expected.json);
    returns (plan, unmatched).

    `unmatched` lists the lead names that match no unit of the agency: kept verbatim on the
    task and reported, never guessed. Tasks and their units are written in bulk, so that a
    plan of thousands of tasks holds SQLite's write lock for a moment only.
    """
    data = PlanData.of(data)
    plan = Plan(agency=agency, year=data.head.year, status=status)
    plan.title = data.head.title
    set_facts(plan, data.head)
    plan.save()
    bodies = Bodies(agency)
    unmatched = []
    tasks, links, agency_links = [], [], []
    for area, section in _save_areas(plan, data):
        for row in section.tasks:
            task = Task(plan=plan, area=area, order=len(tasks) + 1)
            lead_units, coordinating, missing, agencies = _set_task(task, row, plan.year, bodies)
            task.derive_fields()
            tasks.append(task)
            links.append((lead_units, coordinating))
            agency_links.append(agencies)
            unmatched += missing
    Task.objects.bulk_create(tasks, batch_size=500)
    if bodies.is_province:
        _save_agency_links(tasks, agency_links)
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


def set_facts(plan, head):
    """Set the plan's number, date, signer, legal basis, recipients and rules from its head
    (plan_data.PlanHead)."""
    plan.symbol = head.symbol
    plan.issued_on = head.issued_on
    plan.legal_basis = head.legal_basis
    plan.signer_name = head.signer.name
    plan.signer_title = head.signer.title
    plan.signer_on_behalf = head.signer.on_behalf
    plan.recipients = list(head.recipients)
    plan.rules = {name: head.rules[name] for name in PLAN_RULES if head.rules.get(name)}


# The rules a plan's body writes that the importer reads ("reporting", "inspection").
PLAN_RULES = ("reporting", "inspection")


@transaction.atomic
def revise_plan(*, plan, data, by, now=None):
    """Bring the plan to a revised version, keeping the progress of the tasks that stay.

    Each task that changes gets a line in its history saying what changed. ``data``: PlanData
    or its dict.
    """
    now = now or timezone.now()
    data = PlanData.of(data)
    changes = plan_changes(plan, data)
    head = data.head
    plan.title = head.title or plan.title
    plan.symbol = head.symbol or plan.symbol
    plan.issued_on = head.issued_on or plan.issued_on
    plan.save(update_fields=["title", "symbol", "issued_on"])
    units = Bodies(plan.agency)
    saved = _save_areas(plan, data, keep=True)
    area_of = {section.numeral: area for area, section in saved}
    rows = data.tasks
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
    _keep_added_tasks(saved, changes.kept, after=len(rows))
    staying = [area.pk for area, _section in saved] + [task.area_id for task in changes.kept]
    plan.areas.exclude(pk__in=staying).delete()
    return changes


def _keep_added_tasks(saved, added, *, after):
    """The office's added tasks stay, after the document's, in their area; when the new
    version drops that area, in the area of the same numeral. An area the document never had
    (the inspection's "Khắc phục sau kiểm tra") stays with its tasks."""
    kept = {area.pk for area, _section in saved}
    by_numeral = {area.numeral: area for area, _section in saved}
    for n, task in enumerate(added, start=after + 1):
        if task.area_id not in kept and task.area.numeral in by_numeral:
            task.area = by_numeral[task.area.numeral]
        task.order = n
        Task.objects.filter(pk=task.pk).update(area=task.area, order=n)


def _save_areas(plan, data, keep=False):
    """[(Area, section)] in the document's order, reusing the plan's areas when revising."""
    existing = {area.order: area for area in plan.areas.all()} if keep else {}
    saved = []
    for order, section in enumerate(data.sections, start=1):
        area = existing.get(order) or Area(plan=plan, order=order)
        area.numeral, area.title = section.numeral, section.title
        area.save()
        saved.append((area, section))
    return saved


def _fill_task(task, row, year, bodies):
    """Set a task from a plan_data.TaskData and save it; returns unmatched leads."""
    lead_units, coordinating, unmatched, (lead_agencies, helping) = _set_task(
        task, row, year, bodies
    )
    task.save()
    task.lead_units.set(lead_units)
    task.coordinating_units.set(coordinating)
    if bodies.is_province:
        task.lead_agencies.set(lead_agencies)
        task.coordinating_agencies.set(helping)
    return unmatched


def _save_agency_links(tasks, agency_links):
    """A province plan's lead and coordinating agencies, written in bulk like its units."""
    for field, index in ((Task.lead_agencies, 0), (Task.coordinating_agencies, 1)):
        field.through.objects.bulk_create(
            [
                field.through(task_id=task.pk, agency_id=agency.pk)
                for task, agencies in zip(tasks, agency_links, strict=True)
                for agency in agencies[index]
            ],
            batch_size=500,
        )


def _set_task(task, row, year, bodies):
    """Set a task's fields from a row (plan_data.TaskData); returns (lead units, coordinating
    units, unmatched, (lead agencies, coordinating agencies)): agencies only on a province's
    plan."""
    task.number = row.number
    task.content = row.content
    task.deliverable = row.deliverable
    task.lead_names = list(row.lead)
    task.coordinating_names = list(row.coordinators)
    task.note = row.note
    task.extra = dict(row.extra)
    task.set_deadline(row.deadline_text, year)
    # A person may have dated the deadline by hand while reviewing the import.
    if row.deadline_kind:
        task.deadline_kind = row.deadline_kind
        task.due_date = row.due_date
    lead_units, lead_agencies, unmatched = bodies.resolve(task.lead_names)
    coordinating, helping, outside = bodies.resolve(task.coordinating_names)
    task.outside_bodies = outside
    return (
        lead_units,
        [u for u in coordinating if u not in lead_units],
        unmatched,
        (lead_agencies, [a for a in helping if a not in lead_agencies]),
    )


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


# Tasks as offices use them (issue 14): added tasks, sub-items, extensions, confirmation.


@transaction.atomic
def set_done_confirmation(*, plan, by, required, now=None):
    """The office decides whether a unit's "done" waits for its confirmation (a plan setting).

    Turning it off leaves waiting claims waiting: the office still confirms or returns them.
    """
    if plan.done_needs_confirmation == required:
        return None
    Plan.objects.filter(pk=plan.pk).update(done_needs_confirmation=required)
    plan.done_needs_confirmation = required
    if required:
        text = _("Nhiệm vụ đơn vị báo cáo hoàn thành chỉ được tính khi Văn phòng xác nhận.")
    else:
        text = _("Nhiệm vụ đơn vị báo cáo hoàn thành được tính ngay, không cần xác nhận.")
    return PlanEvent.objects.create(
        plan=plan,
        author=by,
        kind=PlanEvent.Kind.SETTINGS,
        narrative=text,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def add_task(
    *,
    plan,
    by,
    area,
    content,
    reason,
    lead_units,
    deliverable="",
    coordinating_units=(),
    deadline_text="",
    due_date=None,
    now=None,
):
    """The office adds a task the appendix lacks ("bổ sung"): a duty written in the plan's body,
    or a follow-up. It is numbered after the plan's last task, tracked like the others, and
    kept by the next revision import."""
    now = now or timezone.now()
    errors = {}
    if area.plan_id != plan.pk:
        errors["area"] = _("Lĩnh vực không thuộc kế hoạch này.")
    if not content.strip():
        errors["content"] = _("Hãy ghi nội dung nhiệm vụ.")
    if not reason.strip():
        errors["reason"] = _("Hãy ghi lý do bổ sung nhiệm vụ.")
    if not lead_units:
        errors["lead_units"] = _("Nhiệm vụ cần ít nhất một đơn vị chủ trì.")
    if not deadline_text.strip() and due_date is None:
        errors["deadline_text"] = _("Hãy ghi thời gian hoàn thành hoặc chọn hạn hoàn thành.")
    if errors:
        raise ValidationError(errors)
    last = plan.tasks.aggregate(number=Max("number"), order=Max("order"))
    task = Task(
        plan=plan,
        area=area,
        number=(last["number"] or 0) + 1,
        order=(last["order"] or 0) + 1,
        content=content.strip(),
        deliverable=deliverable.strip(),
        lead_names=[u.name for u in lead_units],
        coordinating_names=[u.name for u in coordinating_units],
        added_by=by,
        added_at=now,
        added_reason=reason.strip(),
    )
    task.set_deadline(deadline_text.strip(), plan.year)
    if due_date is not None:
        task.due_date = due_date
        if task.deadline_kind in (DeadlineKind.UNKNOWN, DeadlineKind.ON_REQUEST):
            task.deadline_kind = DeadlineKind.DATE
        if not task.deadline_text:
            task.deadline_text = f"{due_date:%d/%m/%Y}"
    task.save()
    task.lead_units.set(lead_units)
    task.coordinating_units.set([u for u in coordinating_units if u not in lead_units])
    ProgressUpdate.objects.create(
        task=task,
        author=by,
        kind=ProgressUpdate.Kind.ADDED,
        narrative=task.added_reason,
        created_at=now,
    )
    return task


@transaction.atomic
def add_sub_item(*, task, by, content, now=None):
    """Split a task into one more sub-item; the task's status follows its sub-items."""
    if not content.strip():
        raise ValidationError({"content": _("Hãy ghi nội dung con.")})
    order = (task.sub_items.aggregate(last=Max("order"))["last"] or 0) + 1
    item = SubItem.objects.create(task=task, order=order, content=content.strip())
    line = _("Thêm nội dung con %(order)s: %(content)s") % {"order": order, "content": item.content}
    _follow_sub_items(task, by=by, now=now or timezone.now(), line=line)
    return item


@transaction.atomic
def record_sub_item(
    *,
    item,
    by,
    unit,
    status,
    done_on,
    note="",
    evidence=(),
    no_evidence_reason="",
    now=None,
):
    """Record a sub-item's status and evidence; the task's status is derived again (unless its
    lead unit set it by hand), through the office's confirmation when the plan asks for it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    task = item.task
    evidence = [e for e in evidence if not e.is_empty()]
    file_types = [check_evidence(e, today=today) for e in evidence]
    if status == Status.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("Nội dung đã hoàn thành cần có ngày hoàn thành.")})
        if done_on > today:
            raise ValidationError({"done_on": _("Ngày hoàn thành không thể sau hôm nay.")})
        if not (evidence or no_evidence_reason.strip() or item.evidence.exists()):
            raise ValidationError(
                {
                    "no_evidence_reason": _(
                        "Nội dung đã hoàn thành cần ít nhất một minh chứng, "
                        "hoặc ghi lý do không có minh chứng."
                    )
                }
            )
    elif done_on is not None:
        raise ValidationError({"done_on": _("Chỉ ghi ngày hoàn thành khi nội dung đã hoàn thành.")})
    if status == Status.CANNOT_DO and not note.strip():
        raise ValidationError({"note": _("Hãy nêu lý do không thực hiện được.")})
    before = Status(item.status).label
    SubItem.objects.filter(pk=item.pk).update(status=status, done_on=done_on, note=note.strip())
    item.status, item.done_on, item.note = status, done_on, note.strip()
    line = _("Nội dung con %(order)s (%(content)s): %(before)s → %(after)s") % {
        "order": item.order,
        "content": Truncator(item.content).chars(80),
        "before": before,
        "after": Status(status).label,
    }
    if no_evidence_reason.strip():
        line += "\n" + _("Lý do không có minh chứng: %(r)s") % {"r": no_evidence_reason.strip()}
    update = _follow_sub_items(
        task, by=by, unit=unit, now=now, line="\n".join(p for p in (line, note.strip()) if p)
    )
    _save_evidence(
        evidence, file_types, task=task, update=update, unit=unit, by=by, now=now, sub_item=item
    )
    return update


def _follow_sub_items(task, *, by, now, line, unit=None):
    """Set the task to what its sub-items give (unless set by hand) and write the history."""
    task.refresh_from_db()
    derived = derive_status(task.sub_items.all())
    fields = {}
    kind = ProgressUpdate.Kind.SUB_ITEMS
    status, percent, done_on = task.status, task.percent, task.done_on
    if derived is not None and not task.status_set_by_hand:
        status, percent, done_on = derived
        if status == Status.DONE and needs_confirmation(task, by):
            if task.status != Status.DONE:
                fields["completion"] = Completion.PENDING
                kind = ProgressUpdate.Kind.COMPLETION
            status, percent, done_on = task.status, task.percent, task.done_on
        else:
            fields = {"status": status, "percent": percent, "done_on": done_on, "completion": ""}
            if status != task.status or percent != task.percent:
                kind = ProgressUpdate.Kind.UPDATE
    Task.objects.filter(pk=task.pk).update(**fields, version=F("version") + 1, updated_at=now)
    update = ProgressUpdate.objects.create(
        task=task,
        unit=unit,
        author=by,
        kind=kind,
        status=status if kind == ProgressUpdate.Kind.UPDATE else "",
        previous_status=task.status,
        percent=percent,
        previous_percent=task.percent,
        done_on=derived[2] if derived and kind != ProgressUpdate.Kind.SUB_ITEMS else None,
        narrative=line,
        created_at=now,
    )
    for name, value in fields.items():
        setattr(task, name, value)
    task.version += 1
    return update


@transaction.atomic
def request_extension(*, task, by, unit, to_date, reason, now=None):
    """The lead unit asks for a later date, with a reason; the office decides.

    A task may be asked about `extension_requests_allowed` times (once, unless the office
    allows more), one request at a time; only a dated task not yet finished can be extended.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if task.due_date is None or task.is_continuous:
        raise ValidationError({"to_date": _("Chỉ gia hạn được nhiệm vụ có hạn hoàn thành cụ thể.")})
    if task.status in (Status.DONE, Status.CANNOT_DO):
        raise ValidationError({"to_date": _("Nhiệm vụ đã kết thúc, không cần gia hạn.")})
    if task.extension_requests.pending().exists():
        raise ValidationError(
            {"to_date": _("Nhiệm vụ đã có đề nghị gia hạn đang chờ Văn phòng xem xét.")}
        )
    if task.extension_requests.count() >= task.extension_requests_allowed:
        raise ValidationError(
            {
                "to_date": _(
                    "Nhiệm vụ đã dùng hết số lần đề nghị gia hạn; Văn phòng Sở có thể cho phép "
                    "đề nghị thêm."
                )
            }
        )
    current = task.working_due_date
    if to_date is None or to_date <= max(current, today):
        raise ValidationError(
            {
                "to_date": _("Ngày gia hạn phải sau hạn hiện tại (%(date)s) và sau hôm nay.")
                % {"date": f"{current:%d/%m/%Y}"}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do đề nghị gia hạn.")})
    request = ExtensionRequest.objects.create(
        task=task,
        unit=unit,
        requested_by=by,
        requested_at=now,
        from_date=current,
        to_date=to_date,
        reason=reason.strip(),
    )
    ProgressUpdate.objects.create(
        task=task,
        unit=unit,
        author=by,
        kind=ProgressUpdate.Kind.EXTENSION,
        narrative=_("Đề nghị gia hạn từ %(start)s đến %(end)s. Lý do: %(reason)s")
        % {"start": f"{current:%d/%m/%Y}", "end": f"{to_date:%d/%m/%Y}", "reason": request.reason},
        created_at=now,
    )
    return request


@transaction.atomic
def decide_extension(*, request, by, grant, comment="", now=None):
    """The office grants or refuses a pending request; a refusal says why. Granted, the task
    is chased on the new date, and its plan's date still judges "done on time"."""
    now = now or timezone.now()
    if not grant and not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi lý do không chấp nhận gia hạn.")})
    status = ExtensionRequest.Status.GRANTED if grant else ExtensionRequest.Status.REFUSED
    # The filtered update is the lock: a second decision (two tabs, a double click) finds
    # nothing pending.
    if not ExtensionRequest.objects.filter(
        pk=request.pk, status=ExtensionRequest.Status.PENDING
    ).update(status=status, decided_by=by, decided_at=now, comment=comment.strip()):
        raise ValidationError({"comment": _("Đề nghị gia hạn này đã được xem xét.")})
    request.status, request.decided_by, request.decided_at = status, by, now
    request.comment = comment.strip()
    task = request.task
    values = {"start": f"{request.from_date:%d/%m/%Y}", "end": f"{request.to_date:%d/%m/%Y}"}
    if grant:
        Task.objects.filter(pk=task.pk).update(
            extended_to=request.to_date, version=F("version") + 1, updated_at=now
        )
        task.extended_to = request.to_date
        text = _("Văn phòng chấp nhận gia hạn từ %(start)s đến %(end)s.") % values
    else:
        text = _("Văn phòng không chấp nhận gia hạn từ %(start)s đến %(end)s.") % values
    if request.comment:
        text += " " + request.comment
    return ProgressUpdate.objects.create(
        task=task, author=by, kind=ProgressUpdate.Kind.EXTENSION, narrative=text, created_at=now
    )


@transaction.atomic
def allow_another_extension(*, task, by, now=None):
    """The office lets the lead unit ask for one more extension."""
    Task.objects.filter(pk=task.pk).update(
        extension_requests_allowed=F("extension_requests_allowed") + 1
    )
    task.refresh_from_db(fields=["extension_requests_allowed"])
    return ProgressUpdate.objects.create(
        task=task,
        author=by,
        kind=ProgressUpdate.Kind.EXTENSION,
        narrative=_("Văn phòng cho phép đề nghị gia hạn thêm một lần."),
        created_at=now or timezone.now(),
    )


def pending_claim(task):
    """The history entry of the completion waiting for the office, or None."""
    if task.completion != Completion.PENDING:
        return None
    return (
        task.updates.filter(kind=ProgressUpdate.Kind.COMPLETION).order_by("-created_at", "-pk")
    ).first()


@transaction.atomic
def confirm_completion(*, task, by, now=None):
    """The office confirms a unit's "done": from now on it counts, as done on the day the unit
    reported (so on time when that day was)."""
    now = now or timezone.now()
    claim = pending_claim(task)
    if claim is None:
        raise ValidationError({"comment": _("Nhiệm vụ không có báo cáo hoàn thành chờ xác nhận.")})
    done_on = claim.done_on
    if not Task.objects.filter(pk=task.pk, completion=Completion.PENDING).update(
        status=Status.DONE,
        percent=100,
        done_on=done_on,
        completion="",
        version=F("version") + 1,
        updated_at=now,
    ):
        raise ValidationError({"comment": _("Báo cáo hoàn thành này đã được xem xét.")})
    update = ProgressUpdate.objects.create(
        task=task,
        unit=claim.unit,
        author=by,
        kind=ProgressUpdate.Kind.CONFIRMATION,
        status=Status.DONE,
        previous_status=task.status,
        percent=100,
        previous_percent=task.percent,
        done_on=done_on,
        created_at=now,
    )
    task.status, task.percent, task.done_on, task.completion = Status.DONE, 100, done_on, ""
    task.version += 1
    return update


@transaction.atomic
def return_completion(*, task, by, comment, now=None):
    """The office sends a unit's "done" back, saying what is missing; the task stays open."""
    if not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi lý do trả lại để đơn vị bổ sung.")})
    now = now or timezone.now()
    if not Task.objects.filter(pk=task.pk, completion=Completion.PENDING).update(
        completion=Completion.RETURNED, version=F("version") + 1, updated_at=now
    ):
        raise ValidationError({"comment": _("Nhiệm vụ không có báo cáo hoàn thành chờ xác nhận.")})
    task.completion = Completion.RETURNED
    task.version += 1
    return ProgressUpdate.objects.create(
        task=task,
        author=by,
        kind=ProgressUpdate.Kind.RETURNED,
        narrative=comment.strip(),
        created_at=now,
    )
