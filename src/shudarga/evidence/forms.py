"""Forms for adding, replacing and finding evidence. File checks live in `validators` and run
in the services; these forms only bind and type the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.evidence.filetypes import FILE_TYPES
from shudarga.evidence.models import Evidence
from shudarga.evidence.selectors import (
    criteria_for_evidence,
    measures_for_evidence,
    plans_for_evidence,
)
from shudarga.organizations.models import Organization
from shudarga.plans.models import Criterion, Measure, Plan
from shudarga.plans.selectors import current_plan, current_plan_subquery

# A hint for the browser's file picker; the server decides by the file's content.
ACCEPT = ",".join(ext for t in FILE_TYPES.values() for ext in t.extensions)
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    """Gives every widget Bootstrap 5's classes (`form-select`, `form-control`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        title = obj.title[:100]
        return title if str(obj.year) in title else f"{obj.year} · {title}"


class MeasureChoiceField(forms.ModelChoiceField):
    """A measure with its code ("1.3. Мэдээллийн самбар…"); the plan is chosen before."""

    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.code}. {obj.text[:100]}"


class CriterionChoiceField(forms.ModelChoiceField):
    """The chosen measure's criteria, numbered as the plan prints them."""

    def label_from_instance(self, obj: Criterion) -> str:
        return f"{obj.position}) {obj.text[:120]}"


def _chosen(form: forms.Form, name: str) -> str:
    """The value of `name` the form was bound with, or else its initial value, as text."""
    value = form.data.get(name) if form.is_bound else form.initial.get(name)
    value = getattr(value, "pk", value)
    return str(value) if value not in (None, "") else ""


class EvidenceAddForm(BootstrapForm):
    """A file or a link, for one measure of one of the organization's plans: the plan
    first (the current one unless another is chosen), then the measure, then optionally
    one of that measure's criteria. The pickers are reloaded in place (htmx) as the plan
    or the measure changes; without a script, the "Show" button does the same."""

    plan = PlanChoiceField(
        queryset=Plan.objects.none(),
        required=False,  # a picker: the measure is what is saved
        label=gettext_lazy("Plan"),
        empty_label=None,
    )
    measure = MeasureChoiceField(
        queryset=Measure.objects.none(),
        label=gettext_lazy("Measure"),
        empty_label=gettext_lazy("— choose a measure —"),
    )
    criterion = CriterionChoiceField(
        queryset=Criterion.objects.none(),
        required=False,
        label=gettext_lazy("Criterion"),
        empty_label=gettext_lazy("— the measure as a whole —"),
        help_text=gettext_lazy("Optional: the criterion of that measure this proves."),
    )
    file = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, JPEG, PNG, MP4, Word (DOCX) or Excel (XLSX)."),
    )
    link = forms.URLField(
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        label=gettext_lazy("…or a link"),
        help_text=gettext_lazy("A published page, post or video."),
    )
    title = forms.CharField(
        required=False,
        max_length=500,
        label=gettext_lazy("Title"),
        help_text=gettext_lazy("Leave empty to use the file name."),
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Description")
    )
    relates_to = forms.DateField(
        label=gettext_lazy("Date of the work"),
        widget=_DATE_WIDGET,
        help_text=gettext_lazy("When the work it proves was done; reports pick evidence by it."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("relates_to", timezone.localdate())
        super().__init__(*args, **kwargs)
        plans = list(plans_for_evidence(organization=organization))
        self.fields["plan"].queryset = plans_for_evidence(organization=organization)
        # The plan: as chosen, else the initial measure's, else the current one.
        plan_id = _chosen(self, "plan")
        if not plan_id and (measure_id := _chosen(self, "measure")).isdigit():
            owner = measures_for_evidence(organization=organization).filter(pk=measure_id).first()
            plan_id = str(owner.plan_id) if owner else ""
        plan = next((p for p in plans if str(p.pk) == plan_id), None) or current_plan(
            organization=organization
        )
        if plan is not None and not self.is_bound:
            self.initial["plan"] = plan.pk
        self.plan = plan
        self.fields["measure"].queryset = measures_for_evidence(
            organization=organization, plan=plan.pk if plan else -1
        )
        measure_id = _chosen(self, "measure")
        measure = (
            self.fields["measure"].queryset.filter(pk=measure_id).first()
            if measure_id.isdigit()
            else None
        )
        self.measure = measure
        self.fields["criterion"].queryset = criteria_for_evidence(
            organization=organization, measure=measure
        )
        if measure is None:
            self.fields["criterion"].help_text = gettext_lazy(
                "Choose the measure first; its criteria are listed then."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_file = cleaned.get("file") is not None
        has_link = bool(cleaned.get("link"))
        if has_file == has_link and "file" not in self.errors and "link" not in self.errors:
            raise ValidationError(_("Choose a file or give a link (one of them)."))
        measure, criterion = cleaned.get("measure"), cleaned.get("criterion")
        if measure and criterion and criterion.measure_id != measure.pk:
            self.add_error("criterion", _("This criterion belongs to another measure."))
        return cleaned


class EvidenceReplaceForm(BootstrapForm):
    """A new version: a file or a link, optionally a new title and date."""

    file = EvidenceAddForm.base_fields["file"]
    link = EvidenceAddForm.base_fields["link"]
    title = forms.CharField(
        required=False,
        max_length=500,
        label=gettext_lazy("Title"),
        help_text=gettext_lazy("Leave empty to keep the current title."),
    )
    relates_to = forms.DateField(
        required=False,
        label=gettext_lazy("Date of the work"),
        widget=_DATE_WIDGET,
        help_text=gettext_lazy("Leave empty to keep the current date."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_file = cleaned.get("file") is not None
        has_link = bool(cleaned.get("link"))
        if has_file == has_link and "file" not in self.errors and "link" not in self.errors:
            raise ValidationError(_("Choose a file or give a link (one of them)."))
        return cleaned


class EvidenceFilterForm(BootstrapForm):
    """The list's filters, read from the query string; invalid values are ignored."""

    q = forms.CharField(required=False, max_length=200, label=gettext_lazy("Search"))
    measure = MeasureChoiceField(
        queryset=Measure.objects.none(),
        required=False,
        label=gettext_lazy("Measure"),
        empty_label=gettext_lazy("All measures"),
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("Files and links")), *Evidence.Kind.choices],
        label=gettext_lazy("Type"),
    )
    date_from = forms.DateField(required=False, label=gettext_lazy("From"), widget=_DATE_WIDGET)
    date_to = forms.DateField(required=False, label=gettext_lazy("To"), widget=_DATE_WIDGET)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures_for_evidence(
            organization=organization, plan=current_plan_subquery(organization=organization)
        )
        for field in self.fields.values():  # compact, to fit on one line
            css = field.widget.attrs["class"]
            field.widget.attrs["class"] = f"{css} {css.split()[-1]}-sm"

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `evidence_for_organization`, from the valid fields only."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        measure = data.get("measure")
        return {
            "q": data.get("q") or "",
            "measure_id": measure.pk if measure else None,
            "kind": data.get("kind") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on `form`: next to the field when the error names one
    the form has, at the top otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field_name, errors in exc.message_dict.items():
        target = field_name if field_name in form.fields else None
        if field_name == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, errors)
