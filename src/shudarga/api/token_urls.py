"""The API token page, included at the root under `my/tokens/` (namespace "tokens")."""

from __future__ import annotations

from django.urls import path

from shudarga.api import views

app_name = "tokens"
urlpatterns = [path("", views.token_manage, name="manage")]
