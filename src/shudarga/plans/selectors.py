"""Reads for plans: lists, the plan page, and the plan as a document for export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, Prefetch, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.organizations.models import Organization, Unit
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    four_eyes_on,
    get_organization_for_user,
    organization_people,
)
from shudarga.plans.assignment import MeasureAssignment, measure_assignments
from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.model import (
    DocActivity,
    DocGoal,
    DocMeasure,
    DocSignature,
    PlanDocument,
)
from shudarga.plans.models import (
    Activity,
    Criterion,
    Goal,
    Measure,
    Plan,
    PlanImportDraft,
    PlanImportLayout,
)


def plan_list_for_organization(*, organization: Organization) -> QuerySet[Plan]:
    """Plans of one organization, newest year first, with their measure counts."""
    return organization.plans.annotate(measure_count=Count("measures")).order_by(
        "-year", "-created_at"
    )


def current_plan(*, organization: Organization, today: dt.date | None = None) -> Plan | None:
    """The plan people work on now: the organization's plan of `today`'s year (the newest
    import if there are two), else its latest plan. One query."""
    year = (today or timezone.localdate()).year
    plans = list(organization.plans.order_by("-year", "-created_at", "-id"))
    return next((p for p in plans if p.year == year), None) or next(
        (p for p in plans if p.year < year), plans[0] if plans else None
    )


def current_plan_subquery(*, organization: Organization, today: dt.date | None = None) -> Subquery:
    """`current_plan`'s id as a subquery, for filters that may never run (a list's filter
    select): it costs no query of its own."""
    year = (today or timezone.localdate()).year
    rank = Case(
        When(year=year, then=Value(0)), When(year__lt=year, then=Value(1)), default=Value(2)
    )
    return Subquery(
        Plan.objects.filter(organization=organization)
        .annotate(rank=rank)
        .order_by("rank", "-year", "-created_at", "-id")
        .values("pk")[:1]
    )


def get_plan_for_user(*, user: Any, code: str, plan_id: int, action: str | None = None) -> Plan:
    """The plan `plan_id` of organization `code`, if `user` may see it; 404 otherwise.

    The plan must belong to that organization: a right code with another organization's
    plan id is a 404 too.
    """
    organization = get_organization_for_user(user=user, code=code, action=action)
    try:
        plan = Plan.objects.get(pk=plan_id, organization=organization)
    except Plan.DoesNotExist:
        raise Http404 from None
    plan.organization = organization  # keeps the access for the templates
    return plan


def plan_goals_for_page(*, plan: Plan) -> list[Goal]:
    """Goals with their activities, measures and criteria, in document order.

    Four queries whatever the plan's size: goals, activities, measures, criteria.
    """
    return list(
        plan.goals.prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("position")),
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("position")
                .select_related("responsible_person")
                .prefetch_related(
                    Prefetch("criteria", queryset=Criterion.objects.order_by("position"))
                ),
            ),
        ).order_by("position")
    )


def plan_to_document(*, plan: Plan) -> PlanDocument:
    """The plan as the interchange document, for every export format."""
    goals = plan_goals_for_page(plan=plan)
    activity_codes = {a.pk: a.code for g in goals for a in g.activities.all()}
    return PlanDocument(
        title=plan.title,
        year=plan.year,
        approved_on=plan.approved_on,
        place=plan.place,
        basis=plan.basis,
        goals=[
            DocGoal(
                number=goal.number,
                text=goal.text,
                heading=goal.heading,
                activities=[
                    DocActivity(code=a.code, text=a.text, legal_basis=a.legal_basis)
                    for a in goal.activities.all()
                ],
                measures=[
                    DocMeasure(
                        code=m.code,
                        text=m.text,
                        criteria=[c.text for c in m.criteria.all()],
                        activity=activity_codes.get(m.activity_id, ""),
                        due=m.due_text,
                        responsible=m.responsible_text,
                        baseline=m.baseline,
                        target=m.target,
                        expected_result=m.expected_result,
                        other=dict(m.other_columns or {}),
                    )
                    for m in goal.measures.all()
                ],
            )
            for goal in goals
        ],
        signatures=[
            DocSignature(label=s.label, title=s.title, name=s.name)
            for s in plan.signatures.order_by("position")
        ],
    )


def get_import_draft_for_user(*, user: Any, code: str, draft_id: int) -> PlanImportDraft:
    """The import draft `draft_id` of organization `code`, if `user` uploaded it and may
    import plans there; 404 otherwise (another coordinator's draft included)."""
    organization = get_organization_for_user(user=user, code=code, action=Action.IMPORT_PLAN)
    try:
        draft = PlanImportDraft.objects.get(pk=draft_id, organization=organization, created_by=user)
    except PlanImportDraft.DoesNotExist:
        raise Http404 from None
    draft.organization = organization  # keeps the access for the templates
    return draft


def plans_of_year(*, organization: Organization, year: int | None) -> list[Plan]:
    """The organization's plans for `year`, newest first."""
    if year is None:
        return []
    return list(Plan.objects.filter(organization=organization, year=year).order_by("-created_at"))


def import_assignments(
    *, organization: Organization, document: PlanDocument
) -> list[MeasureAssignment]:
    """Each measure's schedule, units and person as saving `document` would set them.
    Two queries: the organization's units and its people."""
    return measure_assignments(
        document=document,
        unit_keys=dict(Unit.objects.filter(organization=organization).values_list("key", "name")),
        people=organization_people(organization=organization),
    )


def organization_layout(*, organization: Organization) -> ImportChoices:
    """The organization's saved way of reading its plan documents (empty if none)."""
    layout = PlanImportLayout.objects.filter(organization=organization).first()
    return ImportChoices.from_dict(layout.choices) if layout else ImportChoices()


def plan_four_eyes_refusal(*, plan: Plan, user: Any) -> str | None:
    """Why `user` may not approve `plan` under the organization's four-eyes rule
    (`organizations.selectors.four_eyes_on`, the rule reports follow too), or None when they
    may: whoever imported the plan may not approve it alone. The system itself (no user)
    always may. One query when the rule is looked at."""
    if not getattr(user, "is_authenticated", False):
        return None
    if plan.created_by_id != user.pk:
        return None
    if not four_eyes_on(organization_id=plan.organization_id):
        return None
    return _("You imported this plan, so someone else must approve it (four-eyes rule).")
