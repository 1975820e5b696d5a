from django.contrib import admin

from visits.models import CareWorker, ImportRecord, Visit, VisitCarer


@admin.register(CareWorker)
class CareWorkerAdmin(admin.ModelAdmin):
    list_display = ["ref", "provider"]
    list_select_related = ["provider"]
    search_fields = ["ref", "provider__ref"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visit_id", "provider", "person", "planned_start", "actual_start", "status"]
    list_select_related = ["provider", "person"]
    list_filter = ["status", "ecm_verified"]
    search_fields = ["visit_id", "person__ref", "package__ref"]
    raw_id_fields = ["package", "person", "provider"]
    date_hierarchy = "planned_date"
    show_full_result_count = False
    # The admin cannot edit rows keyed by a composite primary key; ECM imports own them.
    readonly_fields = ["care_worker_times"]

    @admin.display(description="Care workers")
    def care_worker_times(self, visit: Visit) -> str:
        rows = VisitCarer.objects.filter(visit=visit).select_related("care_worker")
        return "; ".join(
            f"{row.care_worker.ref}: {row.actual_start:%H:%M}–{row.actual_end:%H:%M}"
            if row.actual_start and row.actual_end
            else row.care_worker.ref
            for row in rows
        )


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["kind", "file_name", "uploaded_by", "created_at", "outcome", "rows"]
    list_filter = ["kind", "outcome"]
    readonly_fields = [f.name for f in ImportRecord._meta.fields]
