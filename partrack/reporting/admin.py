"""Reports in the admin: to read, never to rewrite. They change only through the app's pages,
where each submission, review and produced version is recorded."""

from django.contrib import admin

from partrack.org.admin import ReadOnlyAdmin, ReadOnlyInline
from partrack.reporting.models import (
    ConsolidatedReport,
    ReportFile,
    ReportSubmission,
    UnitReport,
)


class ReportSubmissionInline(ReadOnlyInline):
    model = ReportSubmission
    fields = ["number", "submitted_at", "submitted_by", "outcome", "reviewed_at", "reviewed_by"]


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["unit", "period__plan"]
    inlines = [ReportSubmissionInline]


class ReportFileInline(ReadOnlyInline):
    model = ReportFile
    fields = ["version", "kind", "size", "sha256", "created_at", "created_by"]


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "symbol", "issued_on", "updated_at"]
    list_select_related = ["period__plan"]
    exclude = ["narrative"]
    inlines = [ReportFileInline]


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "version", "kind", "size", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["report__period__plan__agency", "created_by"]
