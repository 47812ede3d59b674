from __future__ import annotations

from django.urls import path

from shudarga.plans import amendment_views, views

app_name = "plans"
urlpatterns = [
    path("o/<str:code>/", views.plan_list, name="list"),
    path("o/<str:code>/plans/import/", views.plan_import, name="import"),
    path(
        "o/<str:code>/plans/import/layout/forget/",
        views.plan_import_layout_forget,
        name="import_layout_forget",
    ),
    path(
        "o/<str:code>/plans/import/<int:draft_id>/",
        views.plan_import_preview,
        name="import_preview",
    ),
    path(
        "o/<str:code>/plans/import/<int:draft_id>/confirm/",
        views.plan_import_confirm,
        name="import_confirm",
    ),
    path("o/<str:code>/plans/<int:plan_id>/", views.plan_detail, name="detail"),
    path(
        "o/<str:code>/plans/<int:plan_id>/export.<str:fmt>", views.plan_export_view, name="export"
    ),
    path("o/<str:code>/plans/<int:plan_id>/status/", views.plan_status, name="status"),
    path("o/<str:code>/plans/<int:plan_id>/seal/", views.plan_seal_view, name="seal"),
    path("o/<str:code>/plans/<int:plan_id>/amend/", amendment_views.plan_amend, name="amend"),
    path("o/<str:code>/plans/<int:plan_id>/delete/", views.plan_delete_view, name="delete"),
    path(
        "o/<str:code>/plans/<int:plan_id>/measures/<int:measure_id>/assign/",
        views.measure_assign_view,
        name="assign",
    ),
]
