"""Writes to the registers and figures: each atomic, each leaving a line in the history."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack import files
from partrack.activities.models import Change, Figure, FigureImport, Indicator
from partrack.plans.evidence import sniff_file_type

RECORD_KINDS = {"Activity": "activity", "Initiative": "initiative", "LegalDocument": "document"}


@dataclass
class Attachment:
    """The evidence a form sends with a record: a file, a link, or neither."""

    file: object = None  # an UploadedFile
    url: str = ""
    clear: bool = False  # drop the file kept so far


def check_file(upload):
    """The file's real type ('pdf', 'docx'…), read from its bytes; ValidationError otherwise."""
    limit = settings.PARTRACK_MAX_EVIDENCE_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({"file": _("Tệp vượt quá %(n)s MB.") % {"n": limit}})
    file_type = sniff_file_type(upload)
    if file_type is None:
        raise ValidationError({"file": _("Chỉ nhận tệp PDF, DOCX, XLSX hoặc ảnh PNG, JPEG.")})
    return file_type


def log(*, plan, kind, record_id, action, summary, unit, by, now):
    return Change.objects.create(
        plan=plan,
        record_kind=kind,
        record_id=record_id,
        action=action,
        summary=summary[:500],
        unit=unit,
        author=by,
        created_at=now,
    )


def save_record(*, record, by, attachment=None, now=None):
    """Create or update an activity, initiative or document, with its evidence and history.

    The file is checked before anything is written: a refused file loses nothing else.
    """
    now = now or timezone.now()
    attachment = attachment or Attachment()
    file_type = check_file(attachment.file) if attachment.file else None
    creating = record.pk is None
    # Staged and published with the row: a failed save (database or object store) keeps no file.
    with files.atomic():
        if creating:
            record.created_by, record.created_at = by, now
        record.updated_at = now
        record.url = attachment.url
        replaced = record.file.name if attachment.file or attachment.clear else ""
        if attachment.clear and not attachment.file:
            record.file, record.file_name, record.file_type = "", "", ""
        if attachment.file:
            record.file_type = file_type
            record.file_name = Path(attachment.file.name).name[:255]
            files.stage(record.file, record.file_name, attachment.file)
        files.remove_after_commit([replaced])
        record.save()
        log(
            plan=record.plan,
            kind=RECORD_KINDS[type(record).__name__],
            record_id=record.pk,
            action=Change.Action.CREATED if creating else Change.Action.UPDATED,
            summary=str(record),
            unit=record.unit,
            by=by,
            now=now,
        )
    return record


@transaction.atomic
def delete_record(*, record, by, now=None):
    """Remove a register entry; the history keeps what it was and who removed it."""
    log(
        plan=record.plan,
        kind=RECORD_KINDS[type(record).__name__],
        record_id=record.pk,
        action=Change.Action.DELETED,
        summary=str(record),
        unit=record.unit,
        by=by,
        now=now or timezone.now(),
    )
    stored = record.file.name if record.file else ""
    record.delete()
    if stored:
        # After the commit: a rolled-back delete must not lose the file.
        storage = record.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


# Figures.

# The default indicators for the seed plan's areas: (code, name, measure, target, direction,
# area numeral, task number). The unit that enters each is the task's lead unit (else the office).
DEFAULT_INDICATORS = [
    ("TTHC-01", "Số TTHC được công bố, công khai", "thủ tục", None, "at_least", "III", 21),
    ("TTHC-02", "Số hồ sơ TTHC tiếp nhận", "hồ sơ", None, "at_least", "III", 16),
    ("TTHC-03", "Số hồ sơ giải quyết đúng hạn", "hồ sơ", None, "at_least", "III", 16),
    ("TTHC-04", "Số hồ sơ giải quyết quá hạn", "hồ sơ", 0, "at_most", "III", 16),
    ("TTHC-05", "Tỷ lệ hồ sơ nộp trực tuyến", "%", 80, "at_least", "III", 16),
    ("TTHC-06", "Tỷ lệ hồ sơ, kết quả TTHC được số hóa", "%", 100, "at_least", "III", 24),
    ("TTHC-07", "Số phản ánh, kiến nghị tiếp nhận", "phản ánh", None, "at_least", "III", 25),
    ("TTHC-08", "Số phản ánh, kiến nghị đã xử lý", "phản ánh", None, "at_least", "III", 25),
    ("CV-01", "Số lượt CB, CCVC được đào tạo, bồi dưỡng", "lượt người", None, "at_least", "V", 28),
    ("TC-01", "Tỷ lệ giải ngân kinh phí", "%", 100, "at_least", "VI", 32),
]  # fmt: skip


@transaction.atomic
def add_default_indicators(*, plan, by, now=None):
    """The default set for the plan, skipping codes it has; returns the indicators added."""
    now = now or timezone.now()
    have = set(plan.indicators.values_list("code", flat=True))
    areas = {area.numeral: area for area in plan.areas.all()}
    tasks = {t.number: t for t in plan.tasks.prefetch_related("lead_units")}
    office = plan.agency.units.filter(is_coordinator=True).first()
    added = []
    for order, (code, name, measure, target, direction, numeral, number) in enumerate(
        DEFAULT_INDICATORS, start=1
    ):
        if code in have:
            continue
        task = tasks.get(number)
        leads = list(task.lead_units.all()) if task else []
        unit = leads[0] if leads else office
        if unit is None:
            continue
        added.append(
            Indicator.objects.create(
                plan=plan,
                code=code,
                name=name,
                measure=measure,
                target=None if target is None else Decimal(target),
                direction=direction,
                area=areas.get(numeral),
                task=task,
                unit=unit,
                order=order,
            )
        )
    if added:
        log(
            plan=plan,
            kind="indicator",
            record_id=None,
            action=Change.Action.CREATED,
            summary=_("Thêm %(n)s chỉ tiêu mặc định") % {"n": len(added)},
            unit=office,
            by=by,
            now=now,
        )
    return added


@transaction.atomic
def save_indicator(*, indicator, by, now=None):
    creating = indicator.pk is None
    indicator.save()
    log(
        plan=indicator.plan,
        kind="indicator",
        record_id=indicator.pk,
        action=Change.Action.CREATED if creating else Change.Action.UPDATED,
        summary=str(indicator),
        unit=indicator.unit,
        by=by,
        now=now or timezone.now(),
    )
    return indicator


def set_figures(*, period, values, by, action=Change.Action.UPDATED, now=None):
    """Write {indicator: (value, note)} for the period; a changed value needs a new review.

    Returns the figures written. One transaction: all are written, or none.
    """
    now = now or timezone.now()
    written = []
    with transaction.atomic():
        existing = {
            f.indicator_id: f
            for f in Figure.objects.select_for_update().filter(
                period=period, indicator__in=list(values)
            )
        }
        for indicator, (value, note) in values.items():
            figure = existing.get(indicator.pk)
            new = figure is None
            if new:
                figure = Figure(indicator=indicator, period=period, first_entered_at=now)
            elif figure.value == value and figure.note == note:
                continue
            figure.value, figure.note = value, note
            figure.entered_by, figure.entered_at = by, now
            figure.reviewed_by, figure.reviewed_at = None, None
            figure.save()
            written.append(figure)
            log(
                plan=period.plan,
                kind="figure",
                record_id=figure.pk,
                action=Change.Action.CREATED
                if new and action != Change.Action.IMPORTED
                else action,
                summary=f"{indicator.code} {period}: {value}",
                unit=indicator.unit,
                by=by,
                now=now,
            )
    return written


@transaction.atomic
def review_figures(*, period, unit, by, now=None):
    """The office has looked at the unit's figures of the period (with its unit report)."""
    now = now or timezone.now()
    count = Figure.objects.filter(
        period=period, indicator__unit=unit, reviewed_at__isnull=True
    ).update(reviewed_by=by, reviewed_at=now)
    if count:
        log(
            plan=period.plan,
            kind="figure",
            record_id=None,
            action=Change.Action.REVIEWED,
            summary=_("Xem xét %(n)s số liệu kỳ %(period)s của %(unit)s")
            % {"n": count, "period": period, "unit": unit.name},
            unit=unit,
            by=by,
            now=now,
        )
    return count


def stage_import(*, period, unit, rows, file_name, by, now=None):
    """Keep what a sheet said until its uploader confirms it."""
    return FigureImport.objects.create(
        period=period,
        unit=unit,
        rows=rows,
        file_name=file_name[:255],
        uploaded_by=by,
        uploaded_at=now or timezone.now(),
    )


class ImportAlreadyConfirmed(Exception):
    pass


def confirm_import(*, staged, by, membership, now=None):
    """Write the staged figures the person may still write; returns the figures written."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = FigureImport.objects.select_for_update().get(pk=staged.pk)
        if locked.confirmed_at is not None:
            raise ImportAlreadyConfirmed
        plan = staged.period.plan
        indicators = {
            i.pk: i
            for i in Indicator.objects.filter(
                plan=plan, pk__in=[row["indicator"] for row in locked.rows]
            ).select_related("unit")
        }
        values = {}
        for row in locked.rows:
            indicator = indicators.get(row["indicator"])
            if indicator and membership.records_for(plan.agency_id, indicator.unit_id):
                values[indicator] = (Decimal(row["value"]), row.get("note", ""))
        written = set_figures(
            period=staged.period, values=values, by=by, action=Change.Action.IMPORTED, now=now
        )
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
    return written
