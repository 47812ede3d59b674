"""The one-time code form used to turn two-factor on, to sign in with it and to turn it off."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=16,
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())  # apps show "123 456"
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits your app shows."))
        return code
