from django.contrib import admin

from homecare.market.models import RiskEntry, WaitingSnapshot


@admin.register(RiskEntry)
class RiskEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are recorded on the register page, each a new one."""

    list_display = ["provider", "status", "owner", "next_review", "recorded_at"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WaitingSnapshot)
class WaitingSnapshotAdmin(admin.ModelAdmin):
    list_display = ["taken_for", "people", "requests", "hours"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
