from django.contrib import admin

from families.models import Family, HouseholdMember


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["reference", "display_name", "team", "liaison_officer", "police_unit", "status"]
    list_filter = ["status", "team"]
    search_fields = ["reference", "display_name"]
    inlines = [HouseholdMemberInline]
