"""Forms for reports. They check shape; the services check state and the scale again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shudarga.plans.models import Plan
from shudarga.reports.periods import PERIOD_CHOICES
from shudarga.reports.scale import get_scale, validate_score

_TEXTAREA = {"class": "form-control", "rows": 8}


class ReportCreateForm(forms.Form):
    # Choices from plans the page has already fetched (`plans`), so the form asks nothing.
    plan = forms.ChoiceField(label=_("Plan"), choices=())
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        help_text=_("Leave empty for 10 days after the period ends."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {str(plan.pk): plan for plan in plans}
        self.fields["plan"].choices = [
            (key, f"{plan.year} · {plan.title}") for key, plan in self.plans.items()
        ]
        self.fields["plan"].widget.attrs["class"] = "form-select"
        self.fields["period"].widget.attrs["class"] = "form-select"

    def clean_plan(self) -> Plan:
        return self.plans[self.cleaned_data["plan"]]


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


def _scale_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *get_scale().choices()]


class ItemForm(forms.Form):
    """The officer's part of one measure."""

    REACHED_CHOICES = [("", _("Not stated")), ("yes", _("Reached")), ("no", _("Not reached"))]

    text = forms.CharField(
        label=_("Implementation"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        max_length=20000,
    )
    self_score = forms.ChoiceField(label=_("Self-assessment"), required=False, choices=())
    achieved = forms.CharField(
        label=_("Achieved level"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    target_reached = forms.ChoiceField(
        label=_("Target level"), required=False, choices=REACHED_CHOICES
    )
    shortfall_reason = forms.CharField(
        label=_("Why the target was not reached"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_score"].choices = _scale_choices(str(_("Not assessed")))
        self.fields["self_score"].widget.attrs["class"] = "form-select"
        self.fields["target_reached"].widget.attrs["class"] = "form-select"

    def clean_self_score(self) -> int | None:
        value = self.cleaned_data["self_score"]
        return int(value) if value not in ("", None) else None

    def clean_target_reached(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["target_reached"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("target_reached") is False and not (data.get("shortfall_reason") or "").strip():
            self.add_error("shortfall_reason", _("Say why the target level was not reached."))
        return data

    @staticmethod
    def initial_for(item: Any) -> dict[str, Any]:
        if item is None:
            return {}
        reached = {True: "yes", False: "no"}.get(item.target_reached, "")
        return {
            "text": item.text,
            "self_score": "" if item.self_score is None else str(item.self_score),
            "achieved": item.achieved,
            "target_reached": reached,
            "shortfall_reason": item.shortfall_reason,
        }


class ScoreForm(forms.Form):
    """The reviewer's score of one measure. Off-scale values are refused here and, again,
    by the service."""

    # A select in the page, checked against the scale (not a ChoiceField) so an off-scale
    # value gets the scale's own message naming the allowed values.
    score = forms.CharField(label=_("Score"), widget=forms.Select())
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.choices = _scale_choices("—")
        self.fields["score"].widget.attrs["class"] = "form-select"

    def clean_score(self) -> int:
        return validate_score(self.cleaned_data["score"])


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class TransitionForm(forms.Form):
    TRANSITIONS = [
        ("submit", _("Submit for review")),
        ("review", _("Mark reviewed")),
        ("approve", _("Approve")),
        ("reopen", _("Reopen")),
    ]
    transition = forms.ChoiceField(choices=TRANSITIONS)
    reason = forms.CharField(required=False, max_length=2000)


class ParentStepForm(forms.Form):
    """The parent body's step on a subordinate organization's report: return it for
    correction (with the reason), approve its evaluation, or reopen the approved evaluation
    (with the reason)."""

    STEPS = [
        ("return", _("Return for correction")),
        ("approve", _("Approve the evaluation")),
        ("reopen", _("Reopen the evaluation")),
    ]
    step = forms.ChoiceField(choices=STEPS)
    reason = forms.CharField(required=False, max_length=2000)


class ReportPolicyForm(forms.Form):
    four_eyes = forms.BooleanField(
        label=_("Four-eyes rule"),
        required=False,
        help_text=_(
            "Whoever submits a report may not score, review or approve it, and whoever "
            "reviews or scores it may not approve it."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("Required to turn the rule off; recorded in the history."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
