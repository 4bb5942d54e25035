from django.contrib import admin

from partrack.documents.models import ImportDraft


@admin.register(ImportDraft)
class ImportDraftAdmin(admin.ModelAdmin):
    list_display = ["filename", "agency", "uploaded_by", "created_at", "target_plan", "plan"]
    list_filter = ["agency"]
    list_select_related = ["agency", "uploaded_by", "target_plan", "plan"]
    readonly_fields = ["sha256", "created_at", "confirmed_at", "version"]
    raw_id_fields = ["uploaded_by", "target_plan", "plan"]
