from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reviews.models import Assessment, AssessmentEvent, AssessmentFramework, PackageReview


@admin.register(PackageReview)
class PackageReviewAdmin(admin.ModelAdmin):
    list_display = ["ref", "package", "review_type", "review_date"]
    list_filter = ["review_type"]
    list_select_related = ["package"]
    search_fields = ["ref", "package__ref"]
    raw_id_fields = ["package"]
    date_hierarchy = "review_date"


@admin.register(AssessmentFramework)
class AssessmentFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "created_at"]
    fields = [
        "name",
        "version",
        "band_excellent",
        "band_good",
        "band_requires_improvement",
        "poor_caps_parent",
    ]
    readonly_fields = ["name", "version"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "provider", "assessment_type", "status", "overall_rating", "created_at"]
    list_filter = ["status", "assessment_type"]
    list_select_related = ["provider"]
    raw_id_fields = ["provider", "officer", "framework"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An assessment and its event log are a record: kept, never deleted (issue 10).
        return False


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(admin.ModelAdmin):
    """The event log, to read: no one adds, changes or deletes an event here."""

    list_display = ["at", "assessment", "action", "by"]
    list_select_related = ["assessment__provider", "by"]
    readonly_fields = ["assessment", "action", "note", "by", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
