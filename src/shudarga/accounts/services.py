"""Writes about a user's own sign-in: password, TOTP device. Each is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shudarga.accounts.selectors import totp_device_for_user, two_factor_required
from shudarga.core.services import audit_record


def user_set_password(*, user: Any, password: str, ip: str | None) -> None:
    """Give `user` a new password (already validated by the form) and record it."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=user, action="user.password_changed", obj=user, organization_id=None, ip=ip
        )


def totp_device_start(*, user: Any) -> TOTPDevice:
    """The user's pending (unconfirmed) TOTP device, made with a new random key if there is
    none. Not audited: it does nothing until confirmed."""
    device = totp_device_for_user(user=user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def totp_check_code(*, device: TOTPDevice, code: str) -> None:
    """Raise ValidationError unless `code` is the device's current one. Wrong codes slow
    the next try down (1, 2, 4… seconds), and a code is accepted only once."""
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(
            _("Too many wrong codes. Wait a few seconds and enter the newest code."),
            code="throttled",
        )
    if not device.verify_token(code):
        raise ValidationError(
            _("That code is not right. Enter the 6 digits your app shows now."), code="wrong"
        )


def totp_device_confirm(*, device: TOTPDevice, code: str, ip: str | None) -> TOTPDevice:
    """Turn two-factor on: `code` from the app proves the key was scanned."""
    if device.confirmed:
        raise ValidationError(_("Two-factor sign-in is already on."))
    totp_check_code(device=device, code=code)  # outside the transaction: a miss must count
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Other pending devices of this user would be unused keys lying around.
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        audit_record(
            actor=device.user,
            action="user.two_factor_enabled",
            obj=device.user,
            organization_id=None,
            ip=ip,
        )
    return device


def totp_device_remove(*, user: Any, code: str, ip: str | None) -> None:
    """Turn two-factor off, with a current code; refused to users who must use it."""
    if two_factor_required(user=user):
        raise ValidationError(_("Your role requires two-factor sign-in; it cannot be turned off."))
    device = totp_device_for_user(user=user, confirmed=True)
    if device is None:
        raise ValidationError(_("Two-factor sign-in is not on."))
    totp_check_code(device=device, code=code)  # outside the transaction: a miss must count
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=user,
            action="user.two_factor_disabled",
            obj=user,
            organization_id=None,
            ip=ip,
        )


def totp_devices_reset(*, user: Any) -> int:
    """Remove all of `user`'s TOTP devices (a lost phone), by an administrator on the
    command line; their next sign-in sets one up again if their role requires it. Returns
    how many were removed."""
    with transaction.atomic():
        count, _detail = TOTPDevice.objects.filter(user=user).delete()
        if count:
            audit_record(
                actor=None,
                action="user.two_factor_reset",
                obj=user,
                organization_id=None,
            )
    return count
