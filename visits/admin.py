from django.contrib import admin

from visits.models import CareWorker, ImportRecord, Visit, VisitCarer


@admin.register(CareWorker)
class CareWorkerAdmin(admin.ModelAdmin):
    list_display = ["ref", "provider"]
    list_select_related = ["provider"]
    search_fields = ["ref", "provider__ref"]


class VisitCarerInline(admin.TabularInline):
    model = VisitCarer
    extra = 0
    raw_id_fields = ["care_worker"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visit_id", "provider", "person", "planned_start", "actual_start", "status"]
    list_select_related = ["provider", "person"]
    list_filter = ["status", "ecm_verified"]
    search_fields = ["visit_id", "person__ref", "package__ref"]
    raw_id_fields = ["package", "person", "provider"]
    date_hierarchy = "planned_date"
    show_full_result_count = False
    inlines = [VisitCarerInline]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["kind", "file_name", "uploaded_by", "created_at", "outcome", "rows"]
    list_filter = ["kind", "outcome"]
    readonly_fields = [f.name for f in ImportRecord._meta.fields]
