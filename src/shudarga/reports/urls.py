from __future__ import annotations

from django.urls import path

from shudarga.reports import views

app_name = "reports"
_R = "o/<str:code>/reports/<int:report_id>"
urlpatterns = [
    path("o/<str:code>/reports/", views.report_list, name="list"),
    path("o/<str:code>/reports/new/", views.report_create_view, name="create"),
    path("o/<str:code>/reports/rules/", views.report_rules, name="rules"),
    path("o/<str:code>/reports/ranking/", views.report_ranking, name="ranking"),
    path("o/<str:code>/reports/consolidated/", views.report_consolidated, name="consolidated"),
    path(f"{_R}/", views.report_detail, name="detail"),
    path(f"{_R}/measures/<int:measure_id>/", views.report_measure, name="measure"),
    path(f"{_R}/measures/<int:measure_id>/save/", views.report_measure_save, name="measure_save"),
    path(
        f"{_R}/measures/<int:measure_id>/redraft/",
        views.report_measure_redraft,
        name="measure_redraft",
    ),
    path(
        f"{_R}/measures/<int:measure_id>/score/", views.report_measure_score, name="measure_score"
    ),
    path(
        f"{_R}/measures/<int:measure_id>/comment/",
        views.report_measure_comment,
        name="measure_comment",
    ),
    path(
        f"{_R}/measures/<int:measure_id>/parent-score/",
        views.report_measure_parent_score,
        name="measure_parent_score",
    ),
    path(f"{_R}/status/", views.report_transition, name="transition"),
    path(f"{_R}/parent/", views.report_parent_step, name="parent_step"),
    path(f"{_R}/redraft/", views.report_redraft_view, name="redraft"),
    path(f"{_R}/due-date/", views.report_due_date, name="due_date"),
    path(f"{_R}/export.<str:fmt>", views.report_export_view, name="export"),
    path(f"{_R}/compare/", views.report_compare, name="compare"),
    path(f"{_R}/seal/", views.report_seal_view, name="seal"),
    path(f"{_R}/bundle/", views.report_bundle, name="bundle"),
    path(f"{_R}/bundle/download/", views.report_bundle_download, name="bundle_download"),
]
