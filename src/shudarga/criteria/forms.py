"""The rule form a coordinator uses to confirm or edit a criterion's rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shudarga.criteria.models import CriterionRule
from shudarga.criteria.rules import Kind, Rule
from shudarga.registers.registry import REGISTERS

# Which fields each kind of rule reads; the others are not shown for it.
FIELDS_FOR_KIND: dict[str, tuple[str, ...]] = {
    Kind.AT_LEAST: ("register", "n", "kinds", "scope"),
    Kind.EVERY_MONTH: ("register", "n", "kinds", "scope"),
    Kind.ALL_ROWS: ("register", "kinds", "require", "scope"),
    Kind.COVERAGE: ("days",),
    Kind.EVIDENCE: ("n",),
    Kind.NO_OVERDUE_PETITIONS: (),
    Kind.SURVEY_RESPONSES: ("n",),
    Kind.MANUAL: (),
}


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rule"), choices=CriterionRule.KIND_CHOICES)
    register = forms.ChoiceField(
        label=pgettext_lazy("a register of records", "Register"), required=False
    )
    n = forms.IntegerField(label=_("How many"), required=False, min_value=1, max_value=10000)
    kinds = forms.MultipleChoiceField(
        label=_("Only rows of these types"), required=False, widget=forms.CheckboxSelectMultiple
    )
    require = forms.ChoiceField(label=_("Every row must have"), required=False)
    scope = forms.ChoiceField(label=_("Rows counted"), choices=CriterionRule.SCOPE_CHOICES)
    per = forms.ChoiceField(label=_("Counted"), choices=CriterionRule.PER_CHOICES, required=False)
    days = forms.IntegerField(
        label=_("Trained within days"), required=False, min_value=1, max_value=366
    )

    def __init__(self, *args: Any, base: Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = base
        self.fields["register"].choices = [("", "—")] + [
            (key, spec.verbose_name_plural) for key, spec in REGISTERS.items()
        ]
        kind_choices, bool_choices = [], [("", "—")]
        for key, spec in REGISTERS.items():
            kind_choices += [
                (f"{key}:{value}", f"{spec.verbose_name_plural}: {label}")
                for value, label in spec.kind_choices()
            ]
            bool_choices += [
                (f"{key}:{condition.key}", f"{spec.verbose_name_plural}: {condition.label}")
                for condition in spec.all_conditions()
            ]
        for bound in self.fields.values():
            if isinstance(bound.widget, forms.Select):
                bound.widget.attrs["class"] = "form-select form-select-sm"
            elif isinstance(bound.widget, forms.NumberInput):
                bound.widget.attrs["class"] = "form-control form-control-sm"
        self.fields["kinds"].choices = kind_choices
        self.fields["require"].choices = bool_choices
        if not self.is_bound:
            spec = REGISTERS.get(base.register)
            kind_field = spec.kind_field if spec else None
            self.initial.update(
                kind=base.kind,
                register=base.register,
                n=base.n,
                scope=base.scope,
                days=base.days,
                per=base.per,
                kinds=[f"{base.register}:{v}" for v in base.filters.get(kind_field or "", [])],
                require=next((f"{base.register}:{k}" for k in base.require), ""),
            )

    def rows(self) -> list[tuple[Any, str, bool]]:
        """(bound field, the kinds it serves as "at_least every_month", whether it is hidden
        for the kind chosen now) in order; the kind itself serves every kind. The page
        shows and hides them as the kind changes (`shudarga.js`)."""
        chosen = (self.data.get("kind") if self.is_bound else self.initial.get("kind")) or ""
        result = []
        for bound in self:
            if bound.name == "kind":
                result.append((bound, "", False))
                continue
            kinds = [k for k, names in FIELDS_FOR_KIND.items() if bound.name in names]
            result.append((bound, " ".join(kinds), chosen not in kinds))
        return result

    def to_rule(self) -> Rule:
        data = self.cleaned_data
        register = data["register"] or ""
        spec = REGISTERS.get(register)
        filters: dict[str, list[str]] = {}
        if register == self.base.register:  # keep filters the form does not show
            filters = {
                k: v for k, v in self.base.filters.items() if not spec or k != spec.kind_field
            }
        chosen = [v.split(":", 1)[1] for v in data["kinds"] if v.startswith(f"{register}:")]
        if spec and spec.kind_field and chosen:
            filters[spec.kind_field] = chosen
        if data["kind"] == Kind.COVERAGE:
            filters = {"kind": chosen or ["anti_corruption"]}
            register = "staff"
        require = {}
        if data["require"] and data["require"].startswith(f"{register}:"):
            require = {data["require"].split(":", 1)[1]: True}
        return Rule(
            kind=data["kind"],
            register=register,
            n=data["n"],
            filters=filters,
            require=require,
            scope=data["scope"],
            days=data["days"],
            source=self.base.source,
            per=data.get("per") or "",
        )
