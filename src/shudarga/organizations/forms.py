"""Forms of the members pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from shudarga.organizations.roles import Role


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Role"),
        choices=[("", "---------"), *Role.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MemberInviteForm(forms.Form):
    first_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The link to set a password is sent here."),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_(
            "Used to sign in: letters, digits and @ . + - _ only. Enter an existing "
            "user name to give that person a role here."
        ),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    role = _role_field()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        # The user model's own rule, so the form says what the model would refuse.
        for validator in get_user_model()._meta.get_field("username").validators:
            validator(username)
        return username


class MemberGrantForm(forms.Form):
    role = _role_field()
