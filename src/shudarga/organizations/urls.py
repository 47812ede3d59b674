from __future__ import annotations

from django.urls import path

from shudarga.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.home, name="home"),
]
