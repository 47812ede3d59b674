from __future__ import annotations

from django.urls import path

from shudarga.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
]
