from django.contrib import admin

from reviews.models import PackageReview


@admin.register(PackageReview)
class PackageReviewAdmin(admin.ModelAdmin):
    list_display = ["ref", "package", "review_type", "review_date"]
    list_filter = ["review_type"]
    list_select_related = ["package"]
    search_fields = ["ref", "package__ref"]
    raw_id_fields = ["package"]
    date_hierarchy = "review_date"
