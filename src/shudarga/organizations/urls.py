from __future__ import annotations

from django.urls import path

from shudarga.organizations import views

app_name = "organizations"
_M = "o/<str:code>/members/"
urlpatterns = [
    path("", views.home, name="home"),
    path(_M, views.member_list_view, name="members"),
    path(_M + "invite/", views.member_invite_view, name="invite"),
    path(_M + "<int:member_id>/", views.member_detail, name="member"),
    path(
        _M + "roles/<int:membership_id>/remove/",
        views.membership_remove_view,
        name="remove_role",
    ),
    # Outside sign-in on purpose: the invited person has no password yet.
    path(
        "accounts/set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set_password",
    ),
]
