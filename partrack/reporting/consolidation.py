"""The office's writes on a consolidated report: start, edit, redraft, produce its files.

Each is atomic and records the person and the moment; the data comes from `reporting.assembly`,
the PDF from LibreOffice through `documents.libreoffice`.
"""

import hashlib

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from partrack import files as media
from partrack.documents import libreoffice
from partrack.documents.report_docx import (
    consolidated_report_docx,
    consolidated_report_xlsx,
    tasks_csv,
)
from partrack.reporting import approval
from partrack.reporting.assembly import assemble, report_data
from partrack.reporting.models import ConsolidatedReport, ReportFile
from partrack.reporting.signals import consolidated_report_produced


class StaleConsolidatedReport(Exception):
    """The report changed since the form was opened."""


# Statuses whose text is the issued document: saving or redrafting them is refused.
LOCKED = [ConsolidatedReport.Status.ISSUED, ConsolidatedReport.Status.SENT]


def start_consolidated_report(*, period, by, today=None):
    """The period's report, created on first use with the text drafted from the data."""
    report = period.consolidated_reports.first()
    if report is not None:
        return report
    data = assemble(period, today=today)
    with transaction.atomic():
        report, _created = ConsolidatedReport.objects.get_or_create(
            period=period,
            defaults={
                "narrative": data.narrative,
                "symbol": data.symbol,
                "created_by": by,
                "updated_by": by,
            },
        )
    return report


@transaction.atomic
def save_consolidated_report(
    *, report, narrative, symbol, issued_on, by, expected_version, now=None
):
    """Keep the office's words; `narrative` holds only the sections the form sent."""
    merged = {**report.narrative, **narrative}
    # An issued report's text is the signed document: it is never written again.
    changed = (
        ConsolidatedReport.objects.filter(pk=report.pk, version=expected_version)
        .exclude(status__in=LOCKED)
        .update(
            narrative=merged,
            symbol=symbol,
            issued_on=issued_on,
            version=F("version") + 1,
            updated_by=by,
            updated_at=now or timezone.now(),
        )
    )
    if not changed:
        raise StaleConsolidatedReport
    report.refresh_from_db()
    # What the leaders approved is no longer what would be issued (reporting/approval.py).
    approval.content_changed(report=report, by=by, now=now)
    return report


def redraft_consolidated_report(*, report, by, expected_version, today=None, now=None):
    """Replace the text with a fresh draft from today's data (after more units reported)."""
    data = assemble(report.period, today=today)
    with transaction.atomic():
        changed = (
            ConsolidatedReport.objects.filter(pk=report.pk, version=expected_version)
            .exclude(status__in=LOCKED)
            .update(
                narrative=data.narrative,
                version=F("version") + 1,
                updated_by=by,
                updated_at=now or timezone.now(),
            )
        )
        if not changed:
            raise StaleConsolidatedReport
        report.refresh_from_db()
        approval.content_changed(report=report, by=by, now=now)
    return report


def produce_report_files(*, report, by, today=None, now=None):
    """Write the DOCX, XLSX, CSV (and a PDF where LibreOffice is installed) as a new version."""
    data = report_data(report, today=today)
    docx = consolidated_report_docx(data)
    contents = {
        ReportFile.Kind.DOCX: docx,
        ReportFile.Kind.XLSX: consolidated_report_xlsx(data),
        ReportFile.Kind.CSV: tasks_csv(data).encode("utf-8"),
    }
    # Converting takes seconds: it happens before the transaction, which only stores.
    pdf = libreoffice.docx_to_pdf(docx)
    if pdf is not None:
        contents[ReportFile.Kind.PDF] = pdf
    return store_report_files(report=report, by=by, contents=contents, now=now)


@media.atomic()  # a failed or interrupted build leaves no file behind
def store_report_files(*, report, by, contents, now=None):
    """Save `contents` ({kind: bytes}) as the report's next version; returns the ReportFiles."""
    # Locking the report serialises version numbers between two offices pressing at once.
    ConsolidatedReport.objects.select_for_update().filter(pk=report.pk).first()
    version = (report.files.aggregate(last=Max("version"))["last"] or 0) + 1
    now = now or timezone.now()
    files = []
    for kind, content in contents.items():
        record = ReportFile(
            report=report,
            version=version,
            kind=kind,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=now,
            created_by=by,
        )
        media.stage(record.file, f"report.{kind}", content)
        record.save()
        files.append(record)
    consolidated_report_produced.send(sender=ConsolidatedReport, report=report, version=version)
    return files
