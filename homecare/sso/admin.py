from django.contrib import admin

from homecare.sso.models import SsoAccount


@admin.register(SsoAccount)
class SsoAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "issuer", "last_sign_in", "deactivated_by_provider")
    search_fields = ("user__username", "subject")
    readonly_fields = ("issuer", "subject", "last_sign_in", "last_groups")
