"""A column that holds several choices: the channels one material was published on.

Stored as a JSON list of choice values (`["facebook", "website"]`), in the order of the
choices, without repeats. It is not a Django `choices` field (that would mean one value),
so the register machinery (forms, list cells, exports, imports, filters) asks
`is_choice_list` and reads `options`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class ChoiceListField(models.JSONField):
    """A list of values of `options` (a `TextChoices`)."""

    def __init__(
        self,
        *args: Any,
        options: type[models.TextChoices] | None = None,
        singular: Any = None,
        **kwargs: Any,
    ) -> None:
        self.options = options
        # The name of one value ("channel"): files made when a row had one channel still
        # import under that header.
        self.singular = singular
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        # The choices are the model's business, as Django's own `choices` would be, but
        # they change nothing in the database: migrations do not carry them.
        name, path, args, kwargs = super().deconstruct()
        for key in ("default", "blank", "help_text"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def normalize(self, value: Any) -> list[str]:
        """The values in `options`' order, each once; ValidationError for an unknown one."""
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = [value]
        if self.options is None:  # the field as a migration knows it
            return list(dict.fromkeys(str(v) for v in value))
        chosen = {str(v) for v in value}
        unknown = sorted(chosen - set(self.options.values))
        if unknown:
            raise ValidationError(
                _("“%(value)s” is not one of the choices.") % {"value": unknown[0]},
                code="invalid_choice",
            )
        return [v for v in self.options.values if v in chosen]

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        self.normalize(value)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = self.normalize(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def labels(self, value: Any) -> list[str]:
        """The labels of the chosen values, in the current language."""
        names = dict(self.options.choices)
        return [str(names.get(v, v)) for v in (value or [])]

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.TypedMultipleChoiceField(
            label=self.verbose_name,
            choices=self.options.choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )


def is_choice_list(model_field: models.Field) -> bool:
    return isinstance(model_field, ChoiceListField)
