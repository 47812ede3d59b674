from __future__ import annotations

from django.urls import path

from shudarga.api.v1 import api

app_name = "api"
urlpatterns = [path("v1/", api.urls)]
