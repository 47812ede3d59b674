from __future__ import annotations

from django.urls import path

from shudarga.notifications import views

app_name = "notifications"
urlpatterns = [
    path("my/notifications/count/", views.count, name="count"),
]
