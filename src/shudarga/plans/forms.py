"""Forms for importing a plan and changing its status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.reading import read_plan_document

_TOKEN_SALT = "shudarga.plans.import-preview"  # noqa: S105  (a signing namespace, not a secret)
_TOKEN_MAX_AGE = 3600  # seconds a preview stays confirmable


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
        try:
            document = read_plan_document(upload.read(), upload.name)
            if document.year is None and cleaned.get("year"):
                document.year = cleaned["year"]
            document.validate()
        except PlanImportError as exc:
            raise forms.ValidationError(str(exc)) from None
        cleaned["document"] = document
        return cleaned


def preview_token(*, document: PlanDocument, organization_id: int, source_name: str) -> str:
    """Sign the parsed plan so the confirm step saves exactly what the preview showed."""
    return signing.dumps(
        {
            "org": organization_id,
            "source": source_name,
            "document": document.to_dict(),
            "warnings": document.warnings,
        },
        salt=_TOKEN_SALT,
        compress=True,
    )


class PlanImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id

    def clean_token(self) -> dict[str, Any]:
        try:
            payload = signing.loads(
                self.cleaned_data["token"], salt=_TOKEN_SALT, max_age=_TOKEN_MAX_AGE
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("The preview is more than an hour old. Upload the file again.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The preview was altered. Upload the file again.")
            ) from None
        if payload.get("org") != self.organization_id:
            raise forms.ValidationError(_("The preview belongs to another organization."))
        try:
            document = PlanDocument.from_dict(payload["document"])
        except PlanImportError as exc:
            raise forms.ValidationError(str(exc)) from None
        document.warnings = list(payload.get("warnings", []))
        return {"document": document, "source": payload.get("source", "")}


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
    responsible_unit = forms.CharField(label=gettext_lazy("Responsible unit"), max_length=255,
                                       required=False)  # fmt: skip
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

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        from shudarga.plans.models import Measure

        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_person"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        self.fields["recurrence"].choices = Measure.Recurrence.choices
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
