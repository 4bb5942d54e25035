from django.contrib import admin

from partrack.indices.models import (
    CriteriaSet,
    Criterion,
    Grade,
    NationalIndexValue,
    SelfAssessment,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["order", "code", "level", "title", "max_points", "kind", "rule", "computed"]
    extra = 0
    show_change_link = False


class GradeInline(admin.TabularInline):
    model = Grade
    fields = [
        "order",
        "code",
        "label",
        "lower",
        "lower_inclusive",
        "upper",
        "upper_inclusive",
        "requires_no_zero",
    ]
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "purpose", "owner"]
    list_filter = ["purpose", "year"]
    inlines = [CriterionInline, GradeInline]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "criteria_set", "status", "locked_at"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "locked_at", "locked_by"]


@admin.register(NationalIndexValue)
class NationalIndexValueAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "index", "value", "rank"]
    list_filter = ["index", "year"]
