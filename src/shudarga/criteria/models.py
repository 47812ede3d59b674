"""A criterion's confirmed rule. Criteria without one are evaluated by the rule proposed
from their text, shown as a proposal until the coordinator confirms or edits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shudarga.core.history import TrackedHistory
from shudarga.core.models import TimeStampedModel
from shudarga.criteria.rules import (
    PER_MONTH,
    PER_PERIOD,
    SCOPE_MEASURE,
    SCOPE_ORGANIZATION,
    Kind,
    Rule,
)
from shudarga.plans.models import Criterion


class CriterionRule(TimeStampedModel):
    KIND_CHOICES = [
        (Kind.AT_LEAST, _("At least N rows of a register")),
        (Kind.EVERY_MONTH, _("A row in every month")),
        (Kind.ALL_ROWS, _("Every row satisfies a condition")),
        (Kind.COVERAGE, _("Every new appointee trained")),
        (Kind.EVIDENCE, _("Evidence attached")),
        (Kind.NO_OVERDUE_PETITIONS, _("No petition overdue")),
        (Kind.SURVEY_RESPONSES, _("Satisfaction survey answered")),
        (Kind.SURVEY_RESULTS, _("Survey results summed up (answers, result, actions)")),
        (Kind.PLAN_PUBLISHED, _("The plan is published")),
        (Kind.REPORT_SUBMITTED, _("The period's reports were submitted")),
        (Kind.MANUAL, _("Judged by people")),
    ]
    PER_CHOICES = [
        (PER_PERIOD, _("In the whole period")),
        (PER_MONTH, _("In every month")),
    ]
    SCOPE_CHOICES = [
        (SCOPE_MEASURE, _("Rows linked to this measure")),
        (SCOPE_ORGANIZATION, _("Every row of the organization")),
    ]

    criterion = models.OneToOneField(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="rule"
    )
    kind = models.CharField(_("rule"), max_length=20, choices=KIND_CHOICES)
    register = models.CharField(_("register"), max_length=40, blank=True)
    n = models.PositiveIntegerField(_("how many"), null=True, blank=True)
    filters = models.JSONField(_("only rows where"), default=dict, blank=True)
    require = models.JSONField(_("every row must have"), default=dict, blank=True)
    scope = models.CharField(
        _("rows counted"), max_length=20, choices=SCOPE_CHOICES, default=SCOPE_MEASURE
    )
    days = models.PositiveIntegerField(_("within days"), null=True, blank=True)
    source = models.CharField(_("read from the words"), max_length=255, blank=True)
    per = models.CharField(
        _("counted"), max_length=10, choices=PER_CHOICES, default=PER_PERIOD, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    history = TrackedHistory(organization="criterion.measure.plan.organization_id")

    class Meta:
        verbose_name = _("criterion rule")
        verbose_name_plural = _("criterion rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=list(Kind.ALL)), name="criterion_rule_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.kind}"

    def as_rule(self) -> Rule:
        return Rule(
            kind=self.kind,
            register=self.register,
            n=self.n,
            filters=dict(self.filters or {}),
            require=dict(self.require or {}),
            scope=self.scope,
            days=self.days,
            source=self.source,
            per=self.per,
        )
