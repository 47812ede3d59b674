from __future__ import annotations

from django.urls import path

from shudarga.evidence import views

app_name = "evidence"
urlpatterns = [
    path("o/<str:code>/evidence/", views.evidence_list, name="list"),
    path("o/<str:code>/evidence/add/", views.evidence_add, name="add"),
    path("o/<str:code>/evidence/<int:evidence_id>/", views.evidence_detail, name="detail"),
    path(
        "o/<str:code>/evidence/<int:evidence_id>/download/",
        views.evidence_download,
        name="download",
    ),
    path("o/<str:code>/evidence/<int:evidence_id>/view/", views.evidence_inline, name="inline"),
    path(
        "o/<str:code>/evidence/<int:evidence_id>/replace/", views.evidence_replace, name="replace"
    ),
    path("o/<str:code>/evidence/<int:evidence_id>/delete/", views.evidence_delete, name="delete"),
]
