"""How many produced versions of a consolidated report are kept, and pruning the rest."""

from django.conf import settings
from django.db import transaction

from partrack.reporting.models import ConsolidatedReport, ReportFile


class NoSuchVersion(Exception):
    pass


def kept_versions():
    return settings.PARTRACK_KEEP_REPORT_VERSIONS


def prunable_versions(versions, *, keep):
    """From [(version, issued)] of one report: the versions past the latest `keep`, not issued."""
    issued = {version for version, is_issued in versions if is_issued}
    newest_first = sorted({version for version, _issued in versions}, reverse=True)
    return [v for v in newest_first[keep:] if v not in issued]


def prune_report_versions(*, keep=None):
    """Delete the old, unissued versions of every consolidated report; returns how many.

    Their files go once each report's deletion commits. Safe to run twice, or alongside the
    office producing a new version (the report row is locked while its versions are counted).
    """
    keep = keep or kept_versions()
    pruned = 0
    crowded = (
        ReportFile.objects.values_list("report_id", flat=True).order_by("report_id").distinct()
    )
    for report_id in list(crowded):
        with transaction.atomic():
            ConsolidatedReport.objects.select_for_update().filter(pk=report_id).first()
            versions = ReportFile.objects.filter(report_id=report_id).values_list(
                "version", "issued"
            )
            old = prunable_versions(list(versions), keep=keep)
            if old:
                ReportFile.objects.filter(report_id=report_id, version__in=old).delete()
                pruned += len(old)
    return pruned


@transaction.atomic
def mark_issued(*, report, version, issued):
    """The office marks a produced version as issued (kept for good), or takes the mark off."""
    changed = ReportFile.objects.filter(report=report, version=version).update(issued=issued)
    if not changed:
        raise NoSuchVersion
    return changed
