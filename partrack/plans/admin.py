from django.contrib import admin
from django.db.models import F
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partrack.org.admin import ReadOnlyAdmin, ReadOnlyInline, labelled
from partrack.plans.models import Area, Evidence, Plan, ProgressUpdate, Task


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    # Deleting an area here would delete its tasks and their history without asking.
    can_delete = False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "year", "symbol", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["agency"]
    inlines = [AreaInline]
    # The plan's facts, archive and rules change on its "Thông tin kế hoạch" page, which records
    # each change in the plan's history; here they are read only.
    readonly_fields = [
        "symbol",
        "issued_on",
        "legal_basis",
        "signer_on_behalf",
        "signer_title",
        "signer_name",
        "archived_at",
        "archived_by",
        "done_needs_confirmation",
    ]


# What a task's history records: changed only through the app (record_progress, assign_task,
# plan revision), never here, so that every change has its entry.
TASK_FIELDS_OF_HISTORY = [
    "plan",
    "area",
    "status",
    "percent",
    "done_on",
    "deadline_text",
    "deadline_kind",
    "due_date",
    "condition",
    "lead_names",
    "coordinating_names",
    "outside_bodies",
    "lead_units",
    "coordinating_units",
    "version",
]


class ProgressUpdateInline(ReadOnlyInline):
    model = ProgressUpdate
    fk_name = "task"
    fields = ["created_at", "author", "unit", "kind", "status", "percent", "narrative"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "unit")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "content", "plan", "deadline_text", "due_date", "status"]
    list_filter = ["plan", "status", "deadline_kind"]
    list_select_related = ["plan"]
    search_fields = ["search_text"]
    readonly_fields = TASK_FIELDS_OF_HISTORY
    fields = [*TASK_FIELDS_OF_HISTORY[:2], "number", "order", "content", "deliverable", "note"]
    fields += [*TASK_FIELDS_OF_HISTORY[2:-1], "extra"]  # the version is internal
    inlines = [ProgressUpdateInline]

    def has_add_permission(self, request):
        # Tasks come from the plan as issued (import), with their units and deadlines.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a task would delete its history with it.
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A form opened before this correction must not save over it (see Task.version).
        Task.objects.filter(pk=obj.pk).update(version=F("version") + 1)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ["task", "unit", "author", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["task", "unit", "author"]
    search_fields = ["narrative", "task__search_text"]
    readonly_fields = fields = [
        "task",
        "unit",
        "author",
        "kind",
        labelled("previous_status", _("tình trạng trước đó")),
        "status",
        labelled("previous_percent", _("tiến độ trước đó (%)")),
        "percent",
        "narrative",
        "done_on",
        "no_evidence_reason",
        "cited",
        "created_at",
    ]


EVIDENCE_UNIT = labelled("unit", _("đơn vị"))
EVIDENCE_FILE_NAME = labelled("file_name", _("tên tệp khi tải lên"))
EVIDENCE_FILE_TYPE = labelled("file_type", _("loại tệp (theo nội dung)"))
EVIDENCE_CREATED_AT = labelled("created_at", _("thời điểm"))


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "task",
        EVIDENCE_UNIT,
        EVIDENCE_FILE_NAME,
        EVIDENCE_FILE_TYPE,
        EVIDENCE_CREATED_AT,
    ]
    list_filter = ["file_type"]
    list_select_related = ["task", "unit"]
    readonly_fields = fields = [
        "task",
        labelled("update", _("cập nhật tiến độ")),
        EVIDENCE_UNIT,
        labelled("added_by", _("người thêm")),
        "number_symbol",
        "issued_on",
        "summary",
        "download",
        EVIDENCE_FILE_NAME,
        EVIDENCE_FILE_TYPE,
        "url",
        EVIDENCE_CREATED_AT,
    ]

    @admin.display(description=_("tệp"))
    def download(self, evidence):
        # Through the app's download, which checks who may read it (MEDIA_ROOT is not served).
        if not evidence.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', evidence.get_absolute_url(), evidence.download_name
        )
