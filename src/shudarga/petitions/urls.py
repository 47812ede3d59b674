from __future__ import annotations

from django.urls import path

from shudarga.petitions import views

app_name = "petitions"

_P = "o/<str:code>/petitions/"
_ONE = _P + "<int:petition_id>/"
_S = _P + "surveys/"

urlpatterns = [
    path(_P, views.petition_list_view, name="list"),
    path(_P + "new/", views.petition_create, name="create"),
    path(_P + "export.xlsx", views.petition_export, name="export"),
    path(_P + "stats/", views.petition_stats_view, name="stats"),
    path(_P + "stats/export.xlsx", views.petition_stats_export, name="stats_export"),
    path(_P + "stats/submit/", views.petition_stats_submit, name="stats_submit"),
    path(_ONE, views.petition_detail, name="detail"),
    path(
        _ONE + "attachments/<int:attachment_id>/",
        views.petition_attachment,
        name="attachment",
    ),
    *(
        path(_ONE + f"{action}/", views.petition_action, {"action": action}, name=action)
        for action in ("assign", "extend", "answer", "transfer", "close")
    ),
    path(_S, views.survey_list_view, name="survey_list"),
    path(_S + "<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path(_S + "<int:survey_id>/status/", views.survey_status, name="survey_status"),
    path(
        _S + "<int:survey_id>/questions/<int:question_id>/delete/",
        views.survey_question_delete,
        name="survey_question_delete",
    ),
    path(_S + "<int:survey_id>/results/", views.survey_results_view, name="survey_results"),
    path(_S + "<int:survey_id>/summary/", views.survey_summary, name="survey_summary"),
    path(
        _S + "<int:survey_id>/results/export.xlsx",
        views.survey_results_export,
        name="survey_export",
    ),
    path(_S + "<int:survey_id>/qr.svg", views.survey_qr, name="survey_qr"),
]
