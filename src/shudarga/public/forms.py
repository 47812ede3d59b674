"""Forms citizens fill in: a petition, a tracking code, a survey. Every field has a size
limit; the attachment is checked by its bytes; a honeypot field catches simple bots."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shudarga.petitions import models as pm
from shudarga.petitions.forms import AttachmentField
from shudarga.petitions.models import Question

HONEYPOT = "website"


def _bootstrap(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = css


class PublicPetitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=pm.Petition.Kind.choices)
    petitioner_name = forms.CharField(
        label=_("Your name"), max_length=pm.NAME_MAX, widget=forms.TextInput(
            attrs={"autocomplete": "name"}
        )
    )  # fmt: skip
    petitioner_register_no = forms.CharField(
        label=_("Register number (optional)"), max_length=pm.REGISTER_NO_MAX, required=False
    )
    petitioner_address = forms.CharField(
        label=_("Address (optional)"), max_length=pm.ADDRESS_MAX, required=False
    )
    petitioner_contact = forms.CharField(
        label=_("Phone or e-mail for the answer"), max_length=pm.CONTACT_MAX
    )
    subject = forms.CharField(label=_("Subject"), max_length=pm.SUBJECT_MAX)
    body = forms.CharField(
        label=_("Your petition"),
        max_length=pm.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachment = AttachmentField(
        label=_("Attachment (optional: PDF, JPEG or PNG, at most 10 MB)"), required=False
    )
    # Hidden from people by CSS (and from screen readers and the tab order); bots that
    # fill every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def petition_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop(HONEYPOT, None)
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


_RADIO = {"class": "form-check-input"}
LIKERT_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyAnswerForm(forms.Form):
    """One field per question, named `q<id>`: a 1-5 radio row, one choice, or free text."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"q{q.pk}"
            if q.kind == Question.Kind.LIKERT:
                field: forms.Field = forms.TypedChoiceField(
                    choices=LIKERT_CHOICES, coerce=int, widget=forms.RadioSelect(attrs=_RADIO)
                )
            elif q.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in q.choices], widget=forms.RadioSelect(attrs=_RADIO)
                )
            else:
                field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
            field.label = q.text
            field.likert = q.kind == Question.Kind.LIKERT  # read by the template
            field.required = q.required
            self.fields[name] = field
        _bootstrap(self)

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)
