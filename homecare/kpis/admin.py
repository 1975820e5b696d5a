from django.contrib import admin
from django.http import HttpRequest

from homecare.kpis.models import KpiThresholds, MonthlyKpi


@admin.register(KpiThresholds)
class KpiThresholdsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "late_after_minutes", "missed_after_minutes", "review_due_days")
    list_select_related = ("lot", "contract")
    raw_id_fields = ("contract",)


@admin.register(MonthlyKpi)
class MonthlyKpiAdmin(admin.ModelAdmin):
    list_display = ("month", "scope", "provider", "lot", "computed_at")
    list_filter = ("scope", "month")
    list_select_related = ("provider", "lot")
    # Results are computed, never typed in.
    readonly_fields = (
        "scope",
        "provider",
        "lot",
        "month",
        "figures",
        "details",
        "thresholds",
        "computed_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
