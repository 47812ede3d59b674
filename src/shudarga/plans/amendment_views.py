"""The page that records an amendment of an approved plan (see `amendments`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.http import AuthedRequest, client_ip
from shudarga.organizations.roles import Action
from shudarga.plans.amendments import (
    AMENDABLE,
    AmendmentForm,
    plan_amend_add_measure,
    plan_amendments,
)
from shudarga.plans.selectors import get_plan_for_user


@login_required
def plan_amend(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    """Add a measure to an approved plan: those who approve plans record it."""
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    plan.organization.access.require(Action.APPROVE_PLAN)
    form = AmendmentForm(
        request.POST or None, plan=plan, initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST" and plan.status in AMENDABLE and form.is_valid():
        data = form.cleaned_data
        try:
            amendment = plan_amend_add_measure(
                plan=plan,
                goal=data["goal"],
                code=data["code"],
                text=data["text"],
                criteria=form.criteria_lines(),
                reason=data["reason"],
                basis=data["basis"],
                decided_on=data["decided_on"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Measure %(code)s was added to the plan and the plan sealed again.")
                % {"code": amendment.measure.code},
            )
            return redirect(plan)
    return render(
        request,
        "plans/plan_amend.html",
        {
            "organization": plan.organization,
            "plan": plan,
            "form": form,
            "amendable": plan.status in AMENDABLE,
            "amendments": plan_amendments(plan=plan),
        },
        status=400 if request.method == "POST" else 200,
    )
