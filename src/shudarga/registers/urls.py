from __future__ import annotations

from django.urls import path

from shudarga.registers import views

app_name = "registers"
_BASE = "o/<str:code>/registers/"
urlpatterns = [
    path(_BASE, views.register_index, name="index"),
    path(f"{_BASE}<str:register>/", views.row_list, name="list"),
    path(f"{_BASE}<str:register>/new/", views.row_create, name="create"),
    path(f"{_BASE}<str:register>/<int:row_id>/", views.row_edit, name="edit"),
    path(f"{_BASE}<str:register>/<int:row_id>/delete/", views.row_delete, name="delete"),
    path(f"{_BASE}<str:register>/export.xlsx", views.rows_export, name="export"),
    path(f"{_BASE}<str:register>/import/", views.rows_import, name="import"),
]
