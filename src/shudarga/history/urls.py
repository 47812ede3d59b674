from __future__ import annotations

from django.urls import path

from shudarga.history import views

app_name = "history"
urlpatterns = [
    path("o/<str:code>/history/", views.organization_history, name="organization"),
    path("o/<str:code>/history/export.xlsx", views.organization_history_xlsx, name="export"),
    path("o/<str:code>/history/plans/<int:plan_id>/", views.plan_history, name="plan"),
    path("o/<str:code>/history/measures/<int:measure_id>/", views.measure_history, name="measure"),
    path(
        "o/<str:code>/history/registers/<str:register>/<int:row_id>/",
        views.register_row_history,
        name="register_row",
    ),
    path(
        "o/<str:code>/history/evidence/<int:evidence_id>/",
        views.evidence_history,
        name="evidence",
    ),
    path("o/<str:code>/history/reports/<int:report_id>/", views.report_history, name="report"),
    path(
        "o/<str:code>/history/petitions/<int:petition_id>/",
        views.petition_history,
        name="petition",
    ),
]
