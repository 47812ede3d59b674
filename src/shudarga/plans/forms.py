"""Forms for importing a plan and changing its status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.interpret import Reading
from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.reading import read_source
from shudarga.plans.documents.structure import (
    CHOOSABLE_KINDS,
    DATA_KINDS,
    ROW_KIND_LABELS,
)
from shudarga.plans.documents.vocabulary import ROLE_LABELS


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plan document"),
        help_text=gettext_lazy("Tab-separated text, Word (DOCX), Excel (XLSX) or Shudarga JSON."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=1990,
        max_value=2200,
        help_text=gettext_lazy("Only if the document does not say it."),
    )

    def clean(self) -> dict[str, Any]:
        """The upload's bytes, refused now if they are no plan document at all (empty, a
        PDF, binary junk, too large); the table itself is read on the next page."""
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        limit = settings.PLAN_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; a plan document may be at most %(limit)s MB.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:g}"}
            )
        content = upload.read()
        try:
            read_source(content, upload.name)
        except PlanImportError as exc:
            raise forms.ValidationError(str(exc)) from None
        cleaned["content"] = content
        return cleaned


AUTO = ""


class ReadingForm(forms.Form):
    """The reader's corrections of a reading: the table, the header rows, each column's
    role and each row's kind. A field left on "as read" is no correction."""

    table = forms.TypedChoiceField(label=gettext_lazy("Table"), coerce=int, required=False)
    header_start = forms.IntegerField(
        label=gettext_lazy("Header starts at row"), required=False, min_value=1, max_value=100000
    )
    header_rows = forms.IntegerField(
        label=gettext_lazy("Header rows"), required=False, min_value=1, max_value=4
    )

    def __init__(self, *args: Any, reading: Reading | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading = reading
        candidates = reading.candidates if reading else []
        self.fields["table"].choices = [(AUTO, _("as read"))] + [
            (c.number, f"{c.name} ({c.rows} × {c.columns})") for c in candidates
        ]
        role_choices = [(AUTO, _("as read"))] + [
            (role, str(label)) for role, label in ROLE_LABELS.items()
        ]
        kind_choices = [(AUTO, _("as read"))] + [
            (k, str(ROW_KIND_LABELS[k])) for k in CHOOSABLE_KINDS
        ]
        for column in reading.columns if reading else []:
            self.fields[f"col_{column.index + 1}"] = forms.ChoiceField(
                choices=role_choices, required=False, label=column.header or str(column.index + 1)
            )
        self.data_rows = [
            row for row in (reading.rows if reading else []) if row.kind in DATA_KINDS
        ]
        for row in self.data_rows:
            self.fields[f"row_{row.index + 1}"] = forms.ChoiceField(
                choices=kind_choices, required=False, label=row.location
            )
        for field in self.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", small)
        if reading is not None and reading.band is not None:  # what was read, as a hint
            self.fields["header_start"].widget.attrs["placeholder"] = str(reading.band.start + 1)
            self.fields["header_rows"].widget.attrs["placeholder"] = str(reading.band.rows)

    def choices(self) -> ImportChoices:
        """The corrections as import choices (call after `is_valid`)."""
        data = self.cleaned_data
        return ImportChoices(
            table=data.get("table") or None,
            header_start=data.get("header_start") or None,
            header_rows=data.get("header_rows") or None,
            columns={
                name[4:]: value for name, value in data.items() if name.startswith("col_") and value
            },
            rows={
                name[4:]: value for name, value in data.items() if name.startswith("row_") and value
            },
        )


class ImportConfirmForm(forms.Form):
    on_existing = forms.ChoiceField(
        label=gettext_lazy("The organization already has a plan for this year"),
        choices=[
            ("replace", gettext_lazy("Replace that draft with this document")),
            ("revision", gettext_lazy("Save this document as a revision of it")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class PlanStatusForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("publish", gettext_lazy("Publish")),
            ("unpublish", gettext_lazy("Withdraw from publication")),
            ("reopen", gettext_lazy("Return to draft")),
        ]
    )


class MeasureAssignForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Responsible units"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    new_unit = forms.CharField(label=gettext_lazy("Or a new unit"), max_length=255, required=False)
    responsible_person = forms.ModelChoiceField(
        label=gettext_lazy("Responsible person"), queryset=None, required=False
    )
    recurrence = forms.ChoiceField(label=gettext_lazy("Recurrence"))
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("For a measure done once; the others follow the recurrence."),
    )
    dates = forms.CharField(
        label=gettext_lazy("Dates"),
        required=False,
        help_text=gettext_lazy(
            "For the recurrence “On the dates listed”: dates as YYYY-MM-DD, separated by commas."
        ),
    )

    def __init__(self, *args: Any, people: Any, units: Any, **kwargs: Any) -> None:
        from shudarga.plans.models import Measure

        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_person"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.fields["recurrence"].choices = Measure.Recurrence.choices
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_dates(self) -> list[dt.date]:
        result = []
        for part in (self.cleaned_data.get("dates") or "").replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                result.append(dt.date.fromisoformat(part.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date written YYYY-MM-DD.")
                    % {"value": part.strip()[:20]}
                ) from None
        return result

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("recurrence") == "dates" and not cleaned.get("dates"):
            self.add_error("dates", _("List the dates the measure is due on."))
        return cleaned
