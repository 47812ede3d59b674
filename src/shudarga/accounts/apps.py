from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shudarga.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from shudarga.accounts import signals

        # Django's only hook that every sign-in passes (our form, the admin's, force_login
        # in tests): the session learns there whether it still needs a second factor.
        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="shudarga-2fa")
        checks.register(signals.check_two_factor_setting)
