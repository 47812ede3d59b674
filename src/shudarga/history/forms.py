"""The history page's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shudarga.history.selectors import ACTION_CHOICES, VersionFilter, history_kinds


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    user = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *ACTION_CHOICES]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *history_kinds()]
        self.fields["user"].choices = [("", _("Anyone"))] + [
            (str(person.pk), person.get_full_name() or person.get_username()) for person in people
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> VersionFilter:
        """The filters of a valid form (none when it is not valid)."""
        if not self.is_valid():
            return VersionFilter()
        data = self.cleaned_data
        return VersionFilter(
            kind=data["kind"] or "",
            user_id=data["user"],
            action=data["action"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
