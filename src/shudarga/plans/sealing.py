"""Seals of approved plans: what is sealed (the interchange JSON, the same as the JSON
export), and how a seal compares with the plan as it is now.

A plan refers to no evidence (evidence points at measures and is sealed with the reports
that list it), so a plan's seal has an empty evidence list. The interchange JSON holds the
plan as approved: title, year, goals, activities, measures with their criteria, due and
responsible columns, levels, signatures. The assignment a coordinator keeps up to date
after approval (responsible person, due date, recurrence) and the status are not in it.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from shudarga.core.models import Seal
from shudarga.core.sealing import Difference, SealCheck, compare_fields, compare_records
from shudarga.core.selectors import (
    audit_action_since,
    seal_audit_faults,
    seal_latest,
    seal_newer_id,
    seal_row_faults,
)
from shudarga.core.services import seal_create
from shudarga.plans.documents.model import PlanDocument
from shudarga.plans.models import Plan
from shudarga.plans.selectors import plan_to_document

# Transitions after which a plan's seal is no longer in force (see `services._TRANSITIONS`).
REOPEN_ACTIONS = ("plan.reopen",)


def plan_seal_content(*, document: PlanDocument) -> dict[str, Any]:
    """What a plan's seal holds: its interchange JSON."""
    return document.to_dict()


def plan_seal(*, plan: Plan, actor: Any, ip: str | None = None) -> Seal:
    """Seal `plan` as it is now. Called by the approval, in its transaction."""
    return seal_create(
        kind=Seal.Kind.PLAN,
        obj=plan,
        organization_id=plan.organization_id,
        actor=actor,
        content=plan_seal_content(document=plan_to_document(plan=plan)),
        evidence=[],
        ip=ip,
    )


def _fields() -> dict[str, str]:
    return {
        "title": _("title"),
        "year": _("year"),
        "approved_on": _("approval date"),
        "place": _("place"),
    }


def _measure_fields() -> dict[str, str]:
    return {
        "text": _("text"),
        "criteria": _("criteria"),
        "activity": _("activity"),
        "due": _("deadline"),
        "responsible": _("responsible unit"),
        "baseline": _("baseline level"),
        "target": _("target level"),
        "goal": _("goal"),
    }


def plan_differences(*, sealed: dict[str, Any], current: dict[str, Any]) -> list[Difference]:
    """What differs between two interchange JSONs of a plan, by goal number, activity and
    measure code: "Measure 1.2: text changed", "Goal 3: removed since sealing", …"""

    def measures(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            m["code"]: {**m, "goal": g["number"]}
            for g in data.get("goals", [])
            for m in g.get("measures", [])
        }

    def activities(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            a["code"]: {**a, "goal": g["number"]}
            for g in data.get("goals", [])
            for a in g.get("activities", [])
        }

    def goals(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {str(g["number"]): {"text": g["text"]} for g in data.get("goals", [])}

    differences = compare_fields(where=_("Plan"), before=sealed, after=current, labels=_fields())
    differences += compare_records(
        where=lambda key: _("Goal %(number)s") % {"number": key},
        before=goals(sealed),
        after=goals(current),
        labels={"text": _("text")},
    )
    differences += compare_records(
        where=lambda key: _("Activity %(code)s") % {"code": key},
        before=activities(sealed),
        after=activities(current),
        labels={"text": _("text"), "legal_basis": _("legal basis"), "goal": _("goal")},
    )
    differences += compare_records(
        where=lambda key: _("Measure %(code)s") % {"code": key},
        before=measures(sealed),
        after=measures(current),
        labels=_measure_fields(),
    )
    if sealed.get("signatures") != current.get("signatures"):
        differences.append(Difference(_("Plan"), _("signature blocks changed")))
    return differences


def _check(
    seal: Seal, plan: Plan | None, document: PlanDocument | None, *, full: bool
) -> SealCheck:
    check = SealCheck(seal=seal, differences=seal_row_faults(seal=seal))
    if full:
        check.differences += seal_audit_faults(seal=seal)
    if plan is None:
        check.differences.append(Difference(_("Plan"), _("the plan no longer exists")))
    else:
        current = plan_seal_content(document=document or plan_to_document(plan=plan))
        check.differences += plan_differences(sealed=json.loads(seal.content), current=current)
        check.reopened = plan.status == Plan.Status.DRAFT
    if full and (plan is None or check.reopened):
        # A recorded reopening lifts the seal; a plan that went back to draft (or away)
        # without one was changed behind the application's back.
        check.reopened = audit_action_since(
            object_type=Plan._meta.label_lower,
            object_id=seal.object_id,
            actions=REOPEN_ACTIONS,
            since=seal.sealed_at,
        )
        if not check.reopened:
            check.differences.append(
                Difference(_("Plan"), _("left the approved state without a recorded reopening"))
            )
    return check


def plan_seal_badge(*, plan: Plan, document: PlanDocument) -> SealCheck | None:
    """The plan's seal in force compared with `document` (the plan as the page already
    read it), or None when the plan was never sealed. One query (the seal): the page's badge
    must not grow with the plan."""
    seal = seal_latest(kind=Seal.Kind.PLAN, object_id=plan.pk)
    if seal is None:
        return None
    return _check(seal, plan, document, full=False)


def plan_seal_verify(*, seal: Seal) -> SealCheck:
    """Everything about one plan seal: the row against its digests and the audit log, and,
    while it is in force, the plan against it. Used by `verify_seal` and the seal page."""
    newer = seal_newer_id(seal=seal)
    if newer is not None:
        faults = seal_row_faults(seal=seal) + seal_audit_faults(seal=seal)
        return SealCheck(seal=seal, differences=faults, superseded_by=newer)
    plan = Plan.objects.filter(pk=seal.object_id).first()
    return _check(seal, plan, None, full=True)
