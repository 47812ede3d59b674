"""Amendments of an approved plan: a measure added during the year, recorded as such.

The plan was approved and sealed; the seed's 5.3 asks the leadership to add initiatives of
its own during the year. Adding one is not an edit behind the seal's back: it is a recorded
amendment (what, why, on whose decision), audited, and the plan is sealed again with it,
so the seal page shows the amendment and the seal that took it in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.core.services import audit_record
from shudarga.plans.models import Criterion, Goal, Measure, Plan, PlanAmendment
from shudarga.plans.sealing import plan_seal

AMENDABLE = (Plan.Status.APPROVED, Plan.Status.PUBLISHED)
_LAST_NUMBER_RE = re.compile(r"(\d+)\D*$")


def plan_amendments(*, plan: Plan) -> QuerySet[PlanAmendment]:
    """The plan's amendments, oldest first, with the measure and who recorded it."""
    return PlanAmendment.objects.filter(plan=plan).select_related("measure", "created_by")


def next_measure_code(*, goal: Goal) -> str:
    """The code after the goal's last measure: `5.9` after `5.8`; `5.1` for an empty goal."""
    numbers = [
        int(match[1])
        for code in Measure.objects.filter(goal=goal).values_list("code", flat=True)
        if (match := _LAST_NUMBER_RE.search(code)) and code.startswith(f"{goal.number}.")
    ]
    return f"{goal.number}.{max(numbers, default=0) + 1}"


@transaction.atomic
def plan_amend_add_measure(
    *,
    plan: Plan,
    goal: Goal,
    text: str,
    criteria: list[str],
    reason: str,
    decided_on: dt.date,
    actor: Any,
    basis: str = "",
    code: str = "",
    ip: str | None = None,
) -> PlanAmendment:
    """Add a measure (with its criteria) to the approved plan `plan` under `goal`, record
    the amendment, audit it and seal the plan again. ValidationError for a draft plan,
    another plan's goal, an empty text or reason, or a code the plan already has."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in AMENDABLE:
        raise ValidationError(
            _("Only an approved plan is amended; a draft is simply edited and approved.")
        )
    if goal.plan_id != plan.pk:
        raise ValidationError(_("The goal belongs to another plan."))
    text, reason = text.strip(), reason.strip()
    if not text:
        raise ValidationError({"text": _("Write the measure.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the measure is added.")})
    code = code.strip() or next_measure_code(goal=goal)
    if Measure.objects.filter(plan=plan, code=code).exists():
        raise ValidationError(
            {"code": _("The plan already has a measure %(code)s.") % {"code": code}}
        )
    last = Measure.objects.filter(goal=goal).aggregate(last=Max("position"))["last"]
    if last is None:
        last = (
            Measure.objects.filter(plan=plan, goal__position__lt=goal.position).aggregate(
                last=Max("position")
            )["last"]
            or 0
        )
    # Make room after the goal's last measure, so the plan reads in order.
    Measure.objects.filter(plan=plan, position__gt=last).update(position=F("position") + 1)
    measure = Measure(plan=plan, goal=goal, code=code, text=text, position=last + 1)
    measure.full_clean()
    measure.save()
    for position, line in enumerate((c.strip() for c in criteria if c.strip()), start=1):
        Criterion.objects.create(measure=measure, text=line, position=position)
    amendment = PlanAmendment(
        plan=plan,
        measure=measure,
        reason=reason,
        basis=basis.strip(),
        decided_on=decided_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    amendment.full_clean()
    amendment.save()
    audit_record(
        actor=actor,
        action="plan.amended",
        obj=plan,
        organization_id=plan.organization_id,
        changes={
            "measure_added": code,
            "text": text,
            "criteria": [c.strip() for c in criteria if c.strip()],
            "reason": reason,
            "basis": amendment.basis,
            "decided_on": decided_on.isoformat(),
        },
        ip=ip,
    )
    seal = plan_seal(plan=plan, actor=actor, ip=ip)
    amendment.seal_id = seal.pk
    amendment.save(update_fields=["seal_id"])
    return amendment


class AmendmentForm(forms.Form):
    goal = forms.ModelChoiceField(label=gettext_lazy("Goal"), queryset=Goal.objects.none())
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Leave empty for the next code of the goal."),
    )
    text = forms.CharField(
        label=gettext_lazy("Measure"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    criteria = forms.CharField(
        label=gettext_lazy("Performance criteria"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("One criterion a line."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why it is added"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    basis = forms.CharField(
        label=gettext_lazy("Decided by (order, minutes)"), max_length=500, required=False
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(plan=plan).order_by("position")
        self.fields["goal"].label_from_instance = lambda g: f"{g.number}. {g.text[:80]}"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def criteria_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("criteria", "").splitlines() if line.strip()]
