from django.contrib import admin

from reviews.models import Assessment, AssessmentFramework, PackageReview


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
