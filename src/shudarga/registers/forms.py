"""Forms for register rows (built from the RegisterSpec), list filters and file imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure
from shudarga.registers.importing import MEASURES
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import RegisterSpec
from shudarga.registers.selectors import organization_measures
from shudarga.registers.tabular import MAX_BYTES, Table, TableError, read_table


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.code}. {obj.text[:80]}"


class MeasureFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.code}. {obj.text[:60]}"


def _style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, and `is-invalid` on those with errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = css


def extra_links(spec: RegisterSpec) -> tuple[str, ...]:
    """Many-to-many fields besides `measures` that the form edits (a training's attendees)."""
    return tuple(
        f.name
        for f in spec.model._meta.many_to_many
        if f.name != MEASURES and issubclass(f.related_model, RegisterRow)
    )


class RegisterRowForm(forms.ModelForm):
    """A row of any register. Built per register by `register_form_class`; measures and
    linked rows are limited to the organization's own."""

    measures = MeasureChoiceField(
        label=gettext_lazy("Measures"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The plan's measures this row is evidence for."),
    )

    def __init__(
        self,
        *args: Any,
        spec: RegisterSpec,
        organization: Organization,
        initial_measure: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        # The current plan's measures (and those a row already links, whatever their plan):
        # not every measure of every year.
        linked = (
            list(self.instance.measures.values_list("pk", flat=True)) if self.instance.pk else []
        )
        measures = organization_measures(organization=organization, current=True, including=linked)
        self.fields["measures"].queryset = measures
        for name in extra_links(spec):
            related = spec.model._meta.get_field(name).related_model
            self.fields[name].queryset = related.objects.filter(organization=organization).order_by(
                "sort_key", "id"
            )
            self.fields[name].required = False
        _style(self)
        if self.instance.pk is not None:
            self.initial["measures"] = linked
        elif initial_measure and initial_measure.isdigit():
            # Recording for one measure ("My work"): that measure, if it is one of the list.
            self.initial["measures"] = [
                m.pk for m in self.fields["measures"].queryset if str(m.pk) == initial_measure
            ]
        else:
            defaults = {m.code: m for m in measures}  # a new row: the current plan's only
            self.initial["measures"] = [
                defaults[code].pk for code in spec.measure_codes if code in defaults
            ]

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)

    def links(self) -> dict[str, Any]:
        """The cleaned linked rows for the service's `links`."""
        return {name: self.cleaned_data.get(name) or [] for name in extra_links(self.spec)}


def _widget_for(model_field: models.Field) -> forms.Widget | None:
    if isinstance(model_field, models.DateField):
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(model_field, models.TextField):
        return forms.Textarea(attrs={"rows": 3})
    if isinstance(model_field, models.ManyToManyField):
        return forms.CheckboxSelectMultiple
    return None


def _formfield(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field for `model_field`, as Django makes it, with https assumed for links."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # a link typed as "example.mn" means https
    return model_field.formfield(**kwargs)


def register_form_class(spec: RegisterSpec) -> type[RegisterRowForm]:
    """The ModelForm class for rows of `spec`: its fields in order, then its links."""
    fields = (*spec.fields, *extra_links(spec))
    widgets = {
        name: widget for name in fields if (widget := _widget_for(spec.field(name))) is not None
    }
    return forms.modelform_factory(
        spec.model,
        form=RegisterRowForm,
        fields=fields,
        widgets=widgets,
        formfield_callback=_formfield,
    )


class RegisterFilterForm(forms.Form):
    """The list page's filters. Invalid values are ignored rather than blocking the list."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    measure = MeasureFilterField(
        label=gettext_lazy("Measure"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=gettext_lazy("All measures"),
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Sort"),
        required=False,
        choices=[("date", gettext_lazy("By date")), ("name", gettext_lazy("By name"))],
    )

    def __init__(
        self, *args: Any, spec: RegisterSpec, organization: Organization, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = organization_measures(
            organization=organization, current=True
        )
        if spec.kind_field:
            kind_field = spec.field(spec.kind_field)
            self.fields["kind"].label = capfirst(str(kind_field.verbose_name))
            self.fields["kind"].choices = [("", _("All")), *spec.kind_choices()]
        else:
            del self.fields["kind"]
        _style(self)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for the `register_rows` selector from the valid fields."""
        self.is_valid()
        data = self.cleaned_data
        measure = data.get("measure")
        return {
            "q": data.get("q") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "kind": data.get("kind") or "",
            "measure_id": measure.pk if measure else None,
            "order": data.get("order") or "date",
        }

    @property
    def is_filtered(self) -> bool:
        filters = self.filters()
        return any(value for key, value in filters.items() if key != "order")


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel (XLSX) or CSV file"),
        help_text=gettext_lazy(
            "The first row names the columns; the first sheet of a workbook is read. At most 5 MB."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file; save nothing"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_file(self) -> Table:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; an import may be at most %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": f"{MAX_BYTES / 1024 / 1024:g}",
                }
            )
        try:
            return read_table(upload.read(), name=upload.name or "")
        except TableError as exc:
            raise forms.ValidationError(str(exc)) from None
