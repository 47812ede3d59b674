"""Writes for plans: create from a document, change status, delete a draft."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record, history_bulk_create
from shudarga.organizations.models import Membership, Organization
from shudarga.plans.documents.model import PlanDocument
from shudarga.plans.models import Activity, Criterion, Goal, Measure, Plan, Signature
from shudarga.plans.sealing import plan_seal


@transaction.atomic
def plan_create_from_document(
    *,
    organization: Organization,
    document: PlanDocument,
    actor: Any,
    source_name: str = "",
    ip: str | None = None,
) -> Plan:
    """Save `document` as a new draft plan of `organization`, all rows or none.

    The document must already be valid (`document.validate()`); it is checked again here
    because a JSON import or a signed preview may come from anywhere.
    """
    document.validate()
    plan = Plan(
        organization=organization,
        year=document.year,
        title=document.title,
        approved_on=document.approved_on,
        place=document.place,
        source_name=source_name[:255],
        import_warnings=list(document.warnings),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean()
    plan.save()

    goals, activities, measures = [], [], []
    criteria_by_measure: list[tuple[Measure, list[str]]] = []
    activity_by_code: dict[str, Activity] = {}
    position = 0
    for goal_index, doc_goal in enumerate(document.goals, start=1):
        goal = Goal(plan=plan, number=doc_goal.number, text=doc_goal.text, position=goal_index)
        goals.append(goal)
        for activity_index, doc_activity in enumerate(doc_goal.activities, start=1):
            activity = Activity(
                plan=plan,
                goal=goal,
                code=doc_activity.code,
                text=doc_activity.text,
                legal_basis=doc_activity.legal_basis,
                position=goal_index * 1000 + activity_index,
            )
            activities.append(activity)
            activity_by_code[doc_activity.code] = activity
        for doc_measure in doc_goal.measures:
            position += 1
            measure = Measure(
                plan=plan,
                goal=goal,
                activity=activity_by_code.get(doc_measure.activity),
                code=doc_measure.code,
                text=doc_measure.text,
                position=position,
                due_text=doc_measure.due[:255],
                responsible_text=doc_measure.responsible[:500],
                baseline=doc_measure.baseline,
                target=doc_measure.target,
            )
            measures.append(measure)
            criteria_by_measure.append((measure, doc_measure.criteria))

    # Bulk inserts: a 60-measure plan is a handful of statements, not hundreds; each still
    # records (and seals) a first version of every row it creates.
    history_bulk_create(goals, model=Goal, actor=actor, ip=ip)
    for activity in activities:
        activity.goal_id = activity.goal.pk
    history_bulk_create(activities, model=Activity, actor=actor, ip=ip)
    for measure in measures:
        measure.goal_id = measure.goal.pk
        measure.activity_id = measure.activity.pk if measure.activity else None
    history_bulk_create(measures, model=Measure, actor=actor, ip=ip)
    history_bulk_create(
        (
            Criterion(measure=measure, text=text, position=index)
            for measure, texts in criteria_by_measure
            for index, text in enumerate(texts, start=1)
        ),
        model=Criterion,
        actor=actor,
        ip=ip,
    )
    history_bulk_create(
        (
            Signature(plan=plan, label=s.label, title=s.title, name=s.name, position=index)
            for index, s in enumerate(document.signatures, start=1)
        ),
        model=Signature,
        actor=actor,
        ip=ip,
    )
    audit_record(
        actor=actor,
        action="plan.imported",
        obj=plan,
        organization_id=organization.pk,
        changes={
            "source": source_name,
            "goals": len(goals),
            "measures": len(measures),
            "warnings": len(document.warnings),
        },
        ip=ip,
    )
    return plan


_TRANSITIONS = {
    "approve": (Plan.Status.DRAFT, Plan.Status.APPROVED),
    "publish": (Plan.Status.APPROVED, Plan.Status.PUBLISHED),
    "unpublish": (Plan.Status.PUBLISHED, Plan.Status.APPROVED),
    "reopen": (Plan.Status.APPROVED, Plan.Status.DRAFT),
}


def transition_applies(*, plan: Plan, transition: str) -> bool:
    """Whether `transition` starts from the plan's current status (for showing buttons)."""
    return transition in _TRANSITIONS and _TRANSITIONS[transition][0] == plan.status


@transaction.atomic
def plan_change_status(*, plan: Plan, transition: str, actor: Any, ip: str | None = None) -> Plan:
    """Move `plan` along draft -> approved -> published (or back one step).

    Approving seals the plan (`sealing.plan_seal`): a digest of its interchange JSON that
    `verify_seal` and the plan page compare with the plan later; approving again after a
    reopening writes a new seal and keeps the old ones.
    Raises ValidationError when the plan is not in the state the transition starts from.
    """
    if transition not in _TRANSITIONS:
        raise ValidationError(_("Unknown plan status change."))
    source, target = _TRANSITIONS[transition]
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != source:
        raise ValidationError(
            _("The plan is %(status)s; it cannot be changed that way.")
            % {"status": plan.get_status_display()}
        )
    plan.status = target
    plan.full_clean()
    plan.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"plan.{transition}",
        obj=plan,
        organization_id=plan.organization_id,
        changes={"status": [source, target]},
        ip=ip,
    )
    if transition == "approve":
        plan_seal(plan=plan, actor=actor, ip=ip)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, actor: Any, ip: str | None = None) -> None:
    """Delete a draft plan and everything under it. Approved plans are kept."""
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan can be deleted."))
    try:
        with transaction.atomic():
            plan.delete()
    except ProtectedError:
        raise ValidationError(
            _("The plan has evidence or records attached; it cannot be deleted.")
        ) from None
    audit_record(
        actor=actor,
        action="plan.deleted",
        obj=plan,
        organization_id=plan.organization_id,
        changes={"title": plan.title, "year": plan.year},
        ip=ip,
    )


@transaction.atomic
def measure_assign(
    *,
    measure: Measure,
    actor: Any,
    responsible_unit: str,
    responsible_person: Any,
    due_date: Any,
    recurrence: str,
    ip: str | None = None,
) -> Measure:
    """Set who is responsible for `measure` and when it is due. The person must hold a role
    in the plan's organization."""
    if (
        responsible_person is not None
        and not Membership.objects.filter(
            user=responsible_person, organization_id=measure.plan.organization_id
        ).exists()
    ):
        raise ValidationError(_("The responsible person has no role in this organization."))
    fields = {
        "responsible_unit": responsible_unit,
        "responsible_person": responsible_person,
        "due_date": due_date,
        "recurrence": recurrence,
    }
    before = {k: str(getattr(measure, k) or "") for k in fields}
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save(update_fields=[*fields, "updated_at"])
    after = {k: str(getattr(measure, k) or "") for k in fields}
    audit_record(
        actor=actor,
        action="measure.assigned",
        obj=measure,
        organization_id=measure.plan.organization_id,
        changes={k: [before[k], after[k]] for k in fields if before[k] != after[k]},
        ip=ip,
    )
    return measure
