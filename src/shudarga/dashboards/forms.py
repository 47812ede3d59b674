"""Filters of the dashboard pages and the rollover form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shudarga.plans.models import Plan


class ChildrenFilterForm(forms.Form):
    q = forms.CharField(label=_("Organization"), required=False, max_length=100)
    plan_status = forms.ChoiceField(
        label=_("Plan status"),
        required=False,
        choices=[("", _("Any")), *Plan.Status.choices, ("none", _("No plan"))],
    )
    late = forms.BooleanField(label=_("Only those with something overdue"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in ("name", "plan", "report", "score", "measures", "petitions")],
    )
    desc = forms.BooleanField(required=False)


class CalendarFilterForm(forms.Form):
    month = forms.CharField(label=_("Month"), required=False, max_length=7)
    organization = forms.TypedChoiceField(label=_("Organization"), required=False, coerce=int)
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int)

    def __init__(self, *args: Any, organizations: list, people: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organizations = {o.pk: o for o in organizations}
        self._people = {p.pk: p for p in people}
        self.fields["organization"].choices = [("", _("All"))] + [
            (o.pk, o.name) for o in organizations
        ]
        self.fields["person"].choices = [("", _("Everyone"))] + [
            (p.pk, p.get_full_name() or p.get_username()) for p in people
        ]

    def clean_month(self) -> dt.date | None:
        raw = self.cleaned_data["month"]
        if not raw:
            return None
        try:
            return dt.datetime.strptime(raw, "%Y-%m").date()  # noqa: DTZ007 - a date only
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None

    def clean_organization(self) -> Any:
        value = self.cleaned_data["organization"]
        return self._organizations.get(value) if value not in ("", None) else None

    def clean_person(self) -> Any:
        value = self.cleaned_data["person"]
        return self._people.get(value) if value not in ("", None) else None


class RolloverForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new plan"), min_value=1990, max_value=2200)
