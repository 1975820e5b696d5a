from django.contrib import admin

from providers.models import CqcLocationRating, Provider, ProviderUser


class ProviderUserInline(admin.TabularInline):
    model = ProviderUser
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["ref", "name", "cqc_rating", "cqc_rating_date", "status"]
    list_filter = ["status", "cqc_rating"]
    search_fields = ["ref", "name", "cqc_provider_id", "cqc_location_id"]
    inlines = [ProviderUserInline]


@admin.register(ProviderUser)
class ProviderUserAdmin(admin.ModelAdmin):
    list_display = ["user", "provider"]
    list_select_related = ["user", "provider"]
    autocomplete_fields = ["user", "provider"]


@admin.register(CqcLocationRating)
class CqcLocationRatingAdmin(admin.ModelAdmin):
    """CQC's published ratings as imported; kept as history, never edited here."""

    list_display = ["location_id", "provider", "publication_date", "domain", "rating"]
    list_filter = ["domain", "rating"]
    search_fields = ["location_id"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
