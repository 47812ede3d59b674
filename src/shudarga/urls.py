"""Top-level URLs: health checks, sign-in, language switch, admin, and each app's pages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from shudarga.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("shudarga.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("shudarga.organizations.urls")),
    path("", include("shudarga.notifications.urls")),
    path("", include("shudarga.plans.urls")),
    path("", include("shudarga.registers.urls")),
    path("", include("shudarga.evidence.urls")),
    path("", include("shudarga.petitions.urls")),
    path("", include("shudarga.criteria.urls")),
    path("", include("shudarga.reports.urls")),
    path("public/", include("shudarga.public.urls")),
    path("", include("shudarga.dashboards.urls")),
    path("", include("shudarga.history.urls")),
    path("api/", include("shudarga.api.urls")),
    path("my/tokens/", include("shudarga.api.token_urls")),
]

# Django's own 400 page is the bare text "Bad Request (400)"; ours says what happened.
handler400 = "shudarga.core.views.bad_request"
