from django.contrib import admin

from partrack.org.models import Agency, Membership, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["order", "name", "short_name", "kind", "aliases", "is_coordinator"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "parent"]
    search_fields = ["name", "short_name"]
    inlines = [UnitInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "unit", "role", "title"]
    list_filter = ["role", "agency"]
    list_select_related = ["user", "agency", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
