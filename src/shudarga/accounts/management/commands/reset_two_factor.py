"""`shudarga reset_two_factor USERNAME`: a user lost their phone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shudarga.accounts.services import totp_devices_reset


class Command(BaseCommand):
    help = (
        "Remove a user's two-factor devices when they lost their phone. They sign in with "
        "their password next time and, if their role requires it, set up a new device. "
        "To lift a lockout after wrong passwords, use axes_reset_username instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        count = totp_devices_reset(user=user)
        if count:
            self.stdout.write(f"Removed the two-factor devices of {username}.")
        else:
            self.stdout.write(f"{username} had no two-factor device.")
