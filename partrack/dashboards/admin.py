from django.contrib import admin

from partrack.dashboards.models import PublicPlan, RankingWeights


@admin.register(RankingWeights)
class RankingWeightsAdmin(admin.ModelAdmin):
    list_display = ["agency", "done_on_time", "done_late", "overdue", "reported_on_time"]
    list_select_related = ["agency"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(PublicPlan)
class PublicPlanAdmin(admin.ModelAdmin):
    list_display = ["plan", "enabled", "enabled_at"]
    list_select_related = ["plan"]
    readonly_fields = ["token", "enabled_by", "enabled_at"]
