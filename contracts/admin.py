from django.contrib import admin

from contracts.models import (
    CapacityDeclaration,
    CarePackage,
    CareRequest,
    Contract,
    ContractRate,
    Framework,
    Lot,
    LotDistrict,
    PackageHours,
    Person,
)


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [LotInline]


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ["name", "framework"]
    list_filter = ["framework"]
    search_fields = ["name"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["ref", "provider", "lot", "start_date", "end_date", "hourly_rate"]
    list_filter = ["lot__framework", "lot"]
    list_select_related = ["provider", "lot__framework"]
    search_fields = ["ref", "provider__name", "provider__ref"]
    autocomplete_fields = ["provider", "lot"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["ref", "lives_alone", "lacks_capacity", "postcode_district"]
    list_filter = ["lives_alone", "lacks_capacity"]
    search_fields = ["ref"]


@admin.register(CarePackage)
class CarePackageAdmin(admin.ModelAdmin):
    list_display = ["ref", "person", "provider", "contract", "start_date", "end_date"]
    list_select_related = ["person", "provider", "contract"]
    list_filter = ["hospital_discharge"]
    search_fields = ["ref", "person__ref", "provider__ref"]
    autocomplete_fields = ["person", "provider", "contract"]


@admin.register(ContractRate)
class ContractRateAdmin(admin.ModelAdmin):
    list_display = ["contract", "effective_from", "hourly_rate"]
    list_select_related = ["contract"]
    search_fields = ["contract__ref"]
    autocomplete_fields = ["contract"]


@admin.register(PackageHours)
class PackageHoursAdmin(admin.ModelAdmin):
    list_display = ["package", "effective_from", "weekly_hours"]
    list_select_related = ["package"]
    search_fields = ["package__ref"]
    raw_id_fields = ["package"]


@admin.register(LotDistrict)
class LotDistrictAdmin(admin.ModelAdmin):
    """The council's map of postcode districts to lots (market oversight)."""

    list_display = ["postcode_district", "lot"]
    list_filter = ["lot"]
    search_fields = ["postcode_district"]


@admin.register(CareRequest)
class CareRequestAdmin(admin.ModelAdmin):
    list_display = ["ref", "person", "requested_at", "source", "lot", "status"]
    list_filter = ["source", "status", "lot"]
    search_fields = ["ref"]
    raw_id_fields = ["person", "package"]


@admin.register(CapacityDeclaration)
class CapacityDeclarationAdmin(admin.ModelAdmin):
    list_display = ["provider", "lot", "declared_on", "spare_weekly_hours"]
    list_filter = ["lot"]
    raw_id_fields = ["provider", "declared_by"]
