"""The token page's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shudarga.api.models import ApiToken


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “HR system”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
