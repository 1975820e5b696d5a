from django.contrib import admin

from homecare.payments.models import TimeBankEntry


@admin.register(TimeBankEntry)
class TimeBankEntryAdmin(admin.ModelAdmin):
    list_display = ["package", "date", "minutes", "note"]
    list_select_related = ["package"]
    search_fields = ["package__ref"]
    raw_id_fields = ["package"]
