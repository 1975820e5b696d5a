"""The quality pages' routes, included from the root URLconf."""

from django.urls import path

from homecare.quality.views import assessments, frameworks, overview, package_reviews, plans

urlpatterns = [
    path("quality/", overview.overview, name="quality"),
    path("quality/assessments/new/", assessments.start, name="assessment-start"),
    path("quality/assessments/<int:pk>/", assessments.detail, name="assessment"),
    path("quality/assessments/<int:pk>/edit/", assessments.edit, name="assessment-edit"),
    path("quality/assessments/<int:pk>/comment/", assessments.comment, name="assessment-comment"),
    path(
        "quality/assessments/<int:pk>/override/", assessments.override, name="assessment-override"
    ),
    path("quality/assessments/<int:pk>/settle/", assessments.settle, name="assessment-settle"),
    path("quality/assessments/<int:pk>/publish/", assessments.publish, name="assessment-publish"),
    path("quality/assessments/<int:pk>/action-plan/", plans.action_plan, name="action-plan"),
    path(
        "quality/assessments/<int:pk>/action-plan/actions/<int:action_pk>/",
        plans.action,
        name="plan-action",
    ),
    path("quality/frameworks/", frameworks.frameworks, name="frameworks"),
    path("quality/frameworks/upload/", frameworks.framework_upload, name="framework-upload"),
    path("quality/frameworks/<int:pk>/", frameworks.framework_detail, name="framework"),
    path("providers/<str:ref>/quality/", overview.provider_quality, name="provider-quality"),
    path(
        "providers/<str:ref>/package-reviews/new/",
        package_reviews.package_review,
        name="package-review",
    ),
]
