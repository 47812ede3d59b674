from __future__ import annotations

from django.urls import path

from shudarga.criteria import views

app_name = "criteria"
urlpatterns = [
    path("o/<str:code>/plans/<int:plan_id>/progress/", views.plan_progress, name="progress"),
    path(
        "o/<str:code>/plans/<int:plan_id>/criteria/<int:criterion_id>/",
        views.criterion_detail,
        name="detail",
    ),
    path(
        "o/<str:code>/plans/<int:plan_id>/rules/confirm/",
        views.rules_confirm_all,
        name="confirm_all",
    ),
]
