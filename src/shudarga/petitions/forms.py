"""Staff forms for the petitions register and the satisfaction survey. They only check and
type the input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shudarga.petitions import models as m
from shudarga.petitions.validators import check_attachment

_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class AttachmentField(forms.FileField):
    """An optional PDF, JPEG or PNG file, checked by its bytes (see validators)."""

    def clean(self, data: Any, initial: Any = None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if upload:
            check_attachment(upload)
        return upload or None


class PetitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *m.Petition.Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *m.Petition.Channel.choices]
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *m.Petition.Kind.choices]
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("Any")),
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("soon", _("Due soon")),
        ],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["q"].widget.attrs["class"] += " form-control-sm"
        for name in ("status", "channel", "kind", "due"):
            self.fields[name].widget.attrs["class"] += " form-select-sm"
        self.fields["year"].widget.attrs["class"] += " form-control-sm"

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments of `petition_list`; bad ones are dropped."""
        if not self.is_valid():
            return {
                name: value
                for name, value in self.cleaned_data.items()
                if name not in self.errors and value not in (None, "")
            }
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


class PetitionRegisterForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=_DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=m.Petition.Channel.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=m.Petition.Kind.choices)
    petitioner_name = forms.CharField(label=_("Petitioner's name"), max_length=m.NAME_MAX)
    petitioner_register_no = forms.CharField(
        label=_("Register number"), max_length=m.REGISTER_NO_MAX, required=False
    )
    petitioner_address = forms.CharField(
        label=_("Address"), max_length=m.ADDRESS_MAX, required=False
    )
    petitioner_contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=m.CONTACT_MAX, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=m.SUBJECT_MAX)
    category = forms.CharField(label=_("Category"), max_length=m.CATEGORY_MAX, required=False)
    body = forms.CharField(
        label=_("Text or summary"),
        max_length=m.BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    assigned_to = forms.ModelChoiceField(label=_("Assigned officer"), queryset=None, required=False)
    attachment = AttachmentField(
        label=_("Attachment (PDF, JPEG or PNG, at most 10 MB)"), required=False
    )

    def __init__(self, *args: Any, officers: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = officers
        self.fields["assigned_to"].label_from_instance = _person
        _bootstrap(self)


def _person(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Assigned officer"), queryset=None)

    def __init__(self, *args: Any, officers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = _person
        _bootstrap(self)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=90)
    decided_by = forms.CharField(label=_("Decided by (head's name and title)"), max_length=200)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    petitioner_informed = forms.BooleanField(
        label=_("The petitioner has been told of the new deadline"), required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=_DATE)
    answer_text = forms.CharField(
        label=_("Answer"), max_length=m.ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("answered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label=_("Transferred on"), widget=_DATE)
    transferred_to = forms.CharField(label=_("Transferred to (body)"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("transferred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=_DATE)
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("closed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2200)
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", _("Whole year")),
            (1, _("Quarter 1")),
            (2, _("Quarter 2")),
            (3, _("Quarter 3")),
            (4, _("Quarter 4")),
        ],
    )

    def __init__(self, data: Any, *, today: dt.date) -> None:
        data = data.copy() if data else {}
        if not data.get("year"):
            data["year"] = str(today.year)
            data.setdefault("quarter", str((today.month - 1) // 3 + 1))
        super().__init__(data)
        _bootstrap(self)

    def period(self, today: dt.date) -> tuple[int, int | None]:
        if self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["quarter"]
        return today.year, (today.month - 1) // 3 + 1


class StatsSubmitForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the submitted figures are corrected"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    intro = forms.CharField(
        label=_("Introduction for respondents"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class SurveySummaryForm(forms.Form):
    result = forms.CharField(
        label=_("What the survey found"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The result computed from the answers: scores, the main difficulties named."),
    )
    actions_taken = forms.CharField(
        label=_("What was done about it"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=m.Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    choices = forms.CharField(
        label=_("Choices (one a line, for a choice question)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
