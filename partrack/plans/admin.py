from django.contrib import admin

from partrack.plans.models import Area, Plan, ProgressUpdate, Task


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "year", "symbol", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["agency"]
    inlines = [AreaInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "content", "plan", "deadline_text", "due_date", "status"]
    list_filter = ["plan", "status", "deadline_kind"]
    list_select_related = ["plan"]
    search_fields = ["search_text"]
    filter_horizontal = ["lead_units", "coordinating_units"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "author", "kind", "status", "created_at"]
    list_select_related = ["task", "unit", "author"]
