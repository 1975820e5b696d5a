"""The improvement tracker's routes, included under improvement/ from the root URLconf."""

from django.urls import path

from homecare.improvement import views

urlpatterns = [
    path("", views.tracker, name="improvement"),
    path("plans/new/", views.plan_new, name="improvement-plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="improvement-plan"),
    path("plans/<int:pk>/recommendations/new/", views.item_new, name="improvement-item-new"),
    path("items/<int:pk>/updates/new/", views.update_new, name="improvement-update"),
    path("evidence/<int:pk>/", views.evidence_download, name="improvement-evidence"),
    path(
        "assessments/<int:pk>/evidence/",
        views.assessment_evidence,
        name="assessment-evidence",
    ),
]
