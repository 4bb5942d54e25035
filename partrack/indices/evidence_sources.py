"""What a criterion's evidence may point at among the documents PARtrack already holds.

Each kind of document is a `Source`: how to find the agency's documents of the year, how to cite
one, and its file if it has one: task evidence, unit reports, consolidated report versions,
communication activities, the registers of initiatives and documents, and the inspection's
documents. EvidenceLink stores any of them by content type and id.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from partrack.activities.models import Activity, Initiative, LegalDocument
from partrack.inspections.models import InspectionFile
from partrack.plans.models import Evidence
from partrack.reporting.models import ReportFile, UnitReport


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    model: type
    # (self_assessment) → queryset of the agency's documents of the year
    candidates: Callable
    cite: Callable  # (obj) → how the evidence list names it
    file: Callable  # (obj) → a FieldFile or None
    file_name: Callable  # (obj) → the name to give the file in the bundle

    def content_type(self):
        return ContentType.objects.get_for_model(self.model)


def _task_evidence(sa):
    return (
        Evidence.objects.filter(task__plan__agency_id=sa.agency_id, task__plan__year=sa.year)
        .select_related("task")
        .order_by("issued_on", "pk")
    )


def _cite_task_evidence(evidence):
    return f"{evidence.citation()} (nhiệm vụ {evidence.task.number})"


def _unit_reports(sa):
    return (
        UnitReport.objects.filter(
            period__plan__agency_id=sa.agency_id,
            period__plan__year=sa.year,
            status__in=[UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED],
        )
        .select_related("unit", "period__plan")
        .order_by("period__unit_due", "unit__order")
    )


def _report_files(sa):
    return (
        ReportFile.objects.filter(
            report__period__plan__agency_id=sa.agency_id, report__period__plan__year=sa.year
        )
        .select_related("report__period__plan__agency")
        .order_by("report__period__unit_due", "-version", "kind")
    )


def _records(model):
    """The agency's register entries of the year (activities, initiatives, documents)."""

    def candidates(sa):
        return (
            model.objects.filter(plan__agency_id=sa.agency_id, plan__year=sa.year)
            .select_related("unit")
            .order_by("date", "pk")
        )

    return candidates


def _cite_record(record):
    return f"{record} ({record.unit.name}, {record.date:%d/%m/%Y})"


def _inspection_files(sa):
    return (
        InspectionFile.objects.filter(
            inspection__plan__agency_id=sa.agency_id, inspection__plan__year=sa.year
        )
        .select_related("inspection__plan", "inspected_unit__unit")
        .order_by("kind", "-version")
    )


def _record_source(key, label, model):
    return Source(
        key=key,
        label=label,
        model=model,
        candidates=_records(model),
        cite=_cite_record,
        file=lambda r: r.file or None,
        file_name=lambda r: r.file_name,
    )


SOURCES = [
    Source(
        key="task_evidence",
        label=_("Minh chứng của nhiệm vụ"),
        model=Evidence,
        candidates=_task_evidence,
        cite=_cite_task_evidence,
        file=lambda e: e.file or None,
        file_name=lambda e: e.file_name,
    ),
    Source(
        key="unit_report",
        label=_("Báo cáo của đơn vị"),
        model=UnitReport,
        candidates=_unit_reports,
        cite=lambda r: f"Báo cáo {r.period} của {r.unit}",
        file=lambda r: None,
        file_name=lambda r: "",
    ),
    Source(
        key="report_file",
        label=_("Báo cáo tổng hợp (phiên bản đã lưu)"),
        model=ReportFile,
        candidates=_report_files,
        cite=lambda f: (
            f"Báo cáo tổng hợp {f.report.period}, phiên bản {f.version} ({f.get_kind_display()})"
        ),
        file=lambda f: f.file,
        file_name=lambda f: f"bao-cao-tong-hop-v{f.version}.{f.kind}",
    ),
    _record_source("activity", _("Hoạt động tuyên truyền"), Activity),
    _record_source("initiative", _("Sáng kiến"), Initiative),
    _record_source("legal_document", _("Văn bản đã rà soát, xây dựng, ban hành"), LegalDocument),
    Source(
        key="inspection_file",
        label=_("Tài liệu kiểm tra CCHC"),
        model=InspectionFile,
        candidates=_inspection_files,
        cite=lambda f: (
            f"{f.get_kind_display()}, phiên bản {f.version}"
            + (f" ({f.inspected_unit.unit.name})" if f.inspected_unit_id else "")
        ),
        file=lambda f: f.file,
        file_name=lambda f: f.download_name(),
    ),
]
BY_KEY = {source.key: source for source in SOURCES}


def source_of(link):
    """The Source of a link to a held document, or None for an uploaded file."""
    if link.content_type_id is None:
        return None
    model = link.content_type.model_class()
    return next((s for s in SOURCES if s.model is model), None)


def suggestions(sa, criterion, exclude_ids=()):
    """Evidence of the tasks in the criterion's area of the agency's plan for the year."""
    if not criterion.area_numeral:
        return Evidence.objects.none()
    return (
        _task_evidence(sa)
        .filter(task__area__numeral=criterion.area_numeral)
        .exclude(pk__in=exclude_ids)
    )
