"""The plan's progress: every criterion with its status, the rows behind it, its rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.core.fragments import PageFragment
from shudarga.core.http import AuthedRequest, client_ip
from shudarga.criteria import services
from shudarga.criteria.forms import RuleForm
from shudarga.criteria.rules import Kind
from shudarga.criteria.selectors import PERIODS, plan_evaluate, plan_period, survey_stamp
from shudarga.organizations.roles import Action
from shudarga.plans.models import Criterion, Plan
from shudarga.plans.schedule import next_due
from shudarga.plans.selectors import get_plan_for_user
from shudarga.registers.fields import is_choice_list
from shudarga.registers.registry import REGISTERS

# Lazy: worded in each request's language, not in the one active when the module loads.
PERIOD_LABELS = {
    "year": gettext_lazy("Year"),
    "h1": gettext_lazy("First half"),
    "h2": gettext_lazy("Second half"),
    "q1": gettext_lazy("Q1"),
    "q2": gettext_lazy("Q2"),
    "q3": gettext_lazy("Q3"),
    "q4": gettext_lazy("Q4"),
    "9m": gettext_lazy("Nine months"),
}


@login_required
def plan_progress(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    period_name = request.GET.get("period", "year")
    if period_name not in PERIODS:
        period_name = "year"
    organization = plan.organization

    def compute() -> dict:
        # Read after the fragment's key (see `core.fragments`): the plan as it is now.
        current = Plan.objects.get(pk=plan.pk)
        current.organization = organization
        evaluation = plan_evaluate(plan=current, period=plan_period(plan=current, name=period_name))
        rows = []
        for goal in evaluation.goals:
            measures = list(goal.measures.all())
            for index, measure in enumerate(measures):
                rows.append(
                    {
                        "goal": goal if index == 0 else None,
                        "goal_span": len(measures),
                        "measure": measure,
                        "criteria": [evaluation.by_criterion[c.pk] for c in measure.criteria.all()],
                        "next_due": next_due(
                            recurrence=measure.recurrence,
                            year=current.year,
                            due_date=measure.due_date,
                            today=evaluation.today,
                            dates=measure.scheduled_dates,
                        ),
                    }
                )
        return {
            "plan": current,
            "rows": rows,
            "counts": evaluation.counts(),
            "period": evaluation.period,
            "unconfirmed": sum(1 for s in evaluation.by_criterion.values() if not s.confirmed),
        }

    return render(
        request,
        "criteria/plan_progress.html",
        {
            "organization": organization,
            "plan": plan,
            "period_name": period_name,
            "periods": [(key, str(PERIOD_LABELS[key])) for key in PERIODS],
            "may_edit_rules": organization.access.may(Action.EDIT_RULES),
            "may_assign": organization.access.may(Action.IMPORT_PLAN),
            "fragment": PageFragment(
                request=request,
                name="progress",
                organization=organization,
                compute=compute,
                vary=(plan.pk, period_name),
                stamps=lambda: survey_stamp(organization_id=organization.pk),
            ),
        },
    )


def _rows_behind(status, facts, code: str) -> list[dict]:
    """The register rows, people or evidence an evaluation counted, for display: read from
    the facts it was evaluated on (no query), with what the rule looked at in each."""
    rule, ids = status.rule, set(status.evaluation.row_ids)
    if not ids:
        return []
    if rule.kind == Kind.COVERAGE:
        return [
            {"label": s.name, "date": s.appointed_on, "detail": s.values.get("position", "")}
            for s in facts.rows.get("staff", [])
            if s.id in ids
        ]
    if rule.kind == Kind.EVIDENCE:
        return [
            {"label": e.label, "date": e.relates_to, "detail": ""}
            for e in facts.evidence
            if e.id in ids
        ]
    spec = REGISTERS.get(rule.register)
    if spec is None:
        return []

    def detail(row) -> str:
        parts = []
        for name in rule.filters:
            model_field = spec.field(name) if name in spec.fields else None
            value = row.values.get(name)
            if model_field is not None and is_choice_list(model_field):
                parts.append(", ".join(model_field.labels(value)))
            elif model_field is not None and model_field.flatchoices:
                parts.append(str(dict(model_field.flatchoices).get(value, value)))
        for key in rule.require:
            condition = spec.condition(key)
            if condition is not None:
                mark = _("yes") if condition.test(row.values) else _("no")
                parts.append(f"{condition.label}: {mark}")
        return "; ".join(parts)

    return [
        {
            "label": row.label,
            "date": row.date,
            "detail": detail(row),
            "url": reverse("registers:edit", args=[code, spec.key, row.id]),
        }
        for row in facts.rows.get(rule.register, [])
        if row.id in ids
    ]


@login_required
def criterion_detail(
    request: AuthedRequest, code: str, plan_id: int, criterion_id: int
) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    try:
        criterion = Criterion.objects.select_related("measure").get(
            pk=criterion_id, measure__plan=plan
        )
    except Criterion.DoesNotExist:
        raise Http404 from None
    criterion.measure.plan = plan
    may_edit = plan.organization.access.may(Action.EDIT_RULES)
    period_name = request.GET.get("period", "year")
    evaluation = plan_evaluate(plan=plan, period=plan_period(plan=plan, name=period_name))
    status = evaluation.by_criterion[criterion.pk]

    form = RuleForm(base=status.rule)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if "reset" in request.POST:
            services.criterion_rule_reset(
                criterion=criterion,
                actor=request.user,
                organization_id=plan.organization_id,
                ip=client_ip(request),
            )
            messages.success(request, _("The rule goes back to the proposal read from the text."))
            return redirect(request.path)
        form = RuleForm(request.POST, base=status.rule)
        if form.is_valid():
            try:
                services.criterion_rule_save(
                    criterion=criterion,
                    rule=form.to_rule(),
                    actor=request.user,
                    organization_id=plan.organization_id,
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The rule was saved."))
                return redirect(request.path)
    template = "criteria/_criterion_rows.html" if request.htmx else "criteria/criterion_detail.html"
    return render(
        request,
        template,
        {
            "organization": plan.organization,
            "plan": plan,
            "criterion": criterion,
            "status": status,
            "rows": _rows_behind(status, evaluation.facts, code),
            "form": form if may_edit else None,
            "period": evaluation.period,
        },
    )


@login_required
def rules_confirm_all(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    plan.organization.access.require(Action.EDIT_RULES)
    count = services.plan_confirm_proposed_rules(
        plan=plan, actor=request.user, ip=client_ip(request)
    )
    messages.success(request, _("%(count)s proposed rules were confirmed.") % {"count": count})
    return redirect("criteria:progress", code, plan_id)
