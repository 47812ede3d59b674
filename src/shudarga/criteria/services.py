"""Writes for criterion rules: confirm a proposal, save an edited rule, go back to the proposal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record
from shudarga.criteria.models import CriterionRule
from shudarga.criteria.rules import PER_MONTH, PER_PERIOD, Kind, Rule, propose_rule
from shudarga.plans.models import Criterion, Plan
from shudarga.registers.fields import is_choice_list
from shudarga.registers.registry import REGISTERS, RegisterSpec

_REGISTER_KINDS = set(Kind.REGISTER)


def _filter_values(spec: RegisterSpec, name: str) -> set[str]:
    """The values a rule may filter field `name` of `spec` on: its choices (one or several
    per row); none for a field without choices."""
    if name not in spec.fields:
        return set()
    model_field = spec.field(name)
    if is_choice_list(model_field):
        return set(model_field.options.values)
    return {str(v) for v, _label in (model_field.flatchoices or [])}


def rule_validate(rule: Rule) -> None:
    """ValidationError unless the rule names a register and fields that exist."""
    if rule.kind not in Kind.ALL:
        raise ValidationError(_("Unknown rule."))
    if rule.kind in _REGISTER_KINDS:
        spec = REGISTERS.get(rule.register)
        if spec is None:
            raise ValidationError(_("Choose the register this rule counts."))
        for name, values in rule.filters.items():
            if not isinstance(values, list | tuple):
                raise ValidationError(
                    _("The filter on “%(field)s” is not valid.") % {"field": name}
                )
            allowed = _filter_values(spec, name)
            if not allowed or not {str(v) for v in values} <= allowed:
                raise ValidationError(
                    _("The filter on “%(field)s” is not valid.") % {"field": name}
                )
        for name in rule.require:
            if spec.condition(name) is None:
                raise ValidationError(
                    _("“%(field)s” is not a yes/no column of the register.") % {"field": name}
                )
        if rule.kind == Kind.ALL_ROWS and not rule.require:
            raise ValidationError(_("Choose what every row must have."))
    if rule.per not in (PER_PERIOD, PER_MONTH):
        raise ValidationError(_("Unknown rule."))
    if rule.kind in (Kind.AT_LEAST, Kind.EVIDENCE) and rule.n is not None and rule.n < 1:
        raise ValidationError(_("The number must be at least 1."))
    if rule.kind == Kind.COVERAGE and rule.days is not None and not 1 <= rule.days <= 366:
        raise ValidationError(_("The number of days must be between 1 and 366."))


@transaction.atomic
def criterion_rule_save(
    *, criterion: Criterion, rule: Rule, actor: Any, organization_id: int, ip: str | None = None
) -> CriterionRule:
    """Store `rule` as the criterion's confirmed rule (replacing any earlier one)."""
    rule_validate(rule)
    existing = CriterionRule.objects.filter(criterion=criterion).first()
    before = existing.as_rule().__dict__ if existing else None
    stored = existing or CriterionRule(criterion=criterion)
    for name in ("kind", "register", "n", "filters", "require", "scope", "days", "source", "per"):
        setattr(stored, name, getattr(rule, name))
    stored.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    stored.full_clean()
    stored.save()
    audit_record(
        actor=actor,
        action="criterion_rule.saved",
        obj=stored,
        organization_id=organization_id,
        changes={"before": before, "after": rule.__dict__},
        ip=ip,
    )
    return stored


@transaction.atomic
def criterion_rule_reset(
    *, criterion: Criterion, actor: Any, organization_id: int, ip: str | None = None
) -> None:
    """Forget the confirmed rule: the criterion goes back to the rule proposed from its text."""
    existing = CriterionRule.objects.filter(criterion=criterion).first()
    if existing is None:
        return
    audit_record(
        actor=actor,
        action="criterion_rule.reset",
        obj=existing,
        organization_id=organization_id,
        changes={"before": existing.as_rule().__dict__},
        ip=ip,
    )
    existing.delete()


@transaction.atomic
def plan_confirm_proposed_rules(*, plan: Plan, actor: Any, ip: str | None = None) -> int:
    """Confirm the proposal of every criterion of `plan` that has no rule yet; returns how
    many were confirmed. Criteria judged by people are confirmed as such."""
    criteria = list(
        Criterion.objects.filter(measure__plan=plan, rule__isnull=True).select_related("measure")
    )
    for criterion in criteria:
        criterion_rule_save(
            criterion=criterion,
            rule=propose_rule(criterion.text, criterion.measure.text),
            actor=actor,
            organization_id=plan.organization_id,
            ip=ip,
        )
    return len(criteria)
