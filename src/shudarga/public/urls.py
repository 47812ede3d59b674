from __future__ import annotations

from django.urls import path

from shudarga.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("track/", views.track, name="track"),
    path("transparency/", views.transparency, name="transparency"),
    path("transparency.json", views.transparency_json, name="transparency_json"),
    path("petition/filed/", views.petition_filed, name="petition_filed"),
    path("s/<str:key>/", views.survey, name="survey"),
    path("o/<str:code>/", views.organization, name="organization"),
    path("o/<str:code>/petition/", views.petition_new, name="petition"),
    path("o/<str:code>/plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("o/<str:code>/reports/<int:report_id>/", views.report_detail, name="report"),
    path(
        "o/<str:code>/plans/<int:plan_id>/download.<str:fmt>",
        views.plan_download,
        name="plan_download",
    ),
]
