from django.contrib import admin

from providers.models import Provider, ProviderUser


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
