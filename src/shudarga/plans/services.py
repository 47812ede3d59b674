"""Writes for plans: create from a document, change status, delete a draft."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from shudarga.core.services import audit_record, history_bulk_create
from shudarga.core.text import name_key
from shudarga.notifications.services import notify
from shudarga.organizations.models import Membership, Organization, Unit
from shudarga.organizations.selectors import organization_people
from shudarga.organizations.services import units_get_or_create
from shudarga.plans.assignment import measure_assignments
from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.interpret import Reading, header_signature, row_text
from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.reading import read_valid_plan
from shudarga.plans.models import (
    Activity,
    Criterion,
    Goal,
    Measure,
    Plan,
    PlanImportDraft,
    PlanImportLayout,
    Signature,
)
from shudarga.plans.sealing import plan_seal
from shudarga.plans.selectors import organization_layout, plan_four_eyes_refusal

# What to do when the organization already has a plan for the document's year.
REFUSE, REPLACE, REVISION = "refuse", "replace", "revision"
ON_EXISTING = (REFUSE, REPLACE, REVISION)


def _existing_plan(*, organization: Organization, year: int, on_existing: str) -> Plan | None:
    """The plan of `year` the new one replaces or revises; ValidationError (code
    `plan_exists`) when there is one and the caller did not say what to do with it."""
    existing = list(
        Plan.objects.filter(organization=organization, year=year).order_by("-created_at")
    )
    if not existing:
        return None
    latest = existing[0]
    if on_existing == REFUSE:
        raise ValidationError(
            _(
                "%(organization)s already has a plan for %(year)s (“%(title)s”, %(status)s). "
                "Say whether the new one replaces that draft or is a revision of it."
            )
            % {
                "organization": organization.name,
                "year": year,
                "title": latest.title[:80],
                "status": latest.get_status_display(),
            },
            code="plan_exists",
        )
    if on_existing == REPLACE:
        draft = next((p for p in existing if p.status == Plan.Status.DRAFT), None)
        if draft is None:
            raise ValidationError(
                _(
                    "The %(year)s plan is %(status)s, not a draft: it cannot be replaced. Import "
                    "the new document as a revision."
                )
                % {"year": year, "status": latest.get_status_display()},
                code="not_a_draft",
            )
        return draft
    return latest


@transaction.atomic
def plan_create_from_document(
    *,
    organization: Organization,
    document: PlanDocument,
    actor: Any,
    source_name: str = "",
    ip: str | None = None,
    on_existing: str = REFUSE,
) -> Plan:
    """Save `document` as a new draft plan of `organization`, all rows or none.

    The document must already be valid (`document.validate()`); it is checked again here
    because a JSON import or a signed preview may come from anywhere. Each measure's
    deadline becomes its schedule (a measure with none is assessed in every period) and its
    responsible cell the organization's units (matched by name or created) and a person.

    One plan per organization and year: with a plan of that year already there,
    `on_existing` says whether the new one replaces that draft (`replace`), is a revision
    of it (`revision`), or is refused (`refuse`, the default: ValidationError `plan_exists`).
    """
    document.validate()
    if on_existing not in ON_EXISTING:
        raise ValueError(on_existing)
    # One import at a time per organization, so two cannot both find no plan for the year.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    previous = _existing_plan(
        organization=organization, year=document.year, on_existing=on_existing
    )
    replaced = None
    if previous is not None and on_existing == REPLACE:
        replaced = {"id": previous.pk, "title": previous.title}
        plan_delete(plan=previous, actor=actor, ip=ip)
        previous = None
    assignments = measure_assignments(
        document=document,
        unit_keys=dict(Unit.objects.filter(organization=organization).values_list("key", "name")),
        people=organization_people(organization=organization),
    )
    notes = [note for a in assignments for note in a.notes]
    plan = Plan(
        organization=organization,
        year=document.year,
        title=document.title,
        approved_on=document.approved_on,
        place=document.place,
        basis=document.basis,
        revision_of=previous,
        source_name=source_name[:255],
        import_warnings=list(document.warnings) + notes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean()
    plan.save()
    units = units_get_or_create(
        organization=organization,
        names=[name for a in assignments for name in a.unit_names],
        actor=actor,
        ip=ip,
    )

    goals, activities, measures = [], [], []
    criteria_by_measure: list[tuple[Measure, list[str]]] = []
    units_by_measure: list[tuple[Measure, list[Unit]]] = []
    activity_by_code: dict[str, Activity] = {}
    position = 0
    for goal_index, doc_goal in enumerate(document.goals, start=1):
        goal = Goal(
            plan=plan,
            number=doc_goal.number,
            text=doc_goal.text,
            heading=doc_goal.heading,
            position=goal_index,
        )
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
            assignment = assignments[position]
            position += 1
            reading = assignment.schedule
            measure_units = [units[name_key(name)] for name in assignment.unit_names]
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
                expected_result=doc_measure.expected_result,
                other_columns=dict(doc_measure.other),
                recurrence=reading.recurrence,
                due_date=reading.due_date,
                scheduled_dates=[d.isoformat() for d in reading.dates],
                responsible_unit=units_text(measure_units),
                responsible_person=assignment.person,
            )
            measures.append(measure)
            criteria_by_measure.append((measure, doc_measure.criteria))
            units_by_measure.append((measure, measure_units))

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
    Measure.units.through.objects.bulk_create(
        Measure.units.through(measure_id=measure.pk, unit_id=unit.pk)
        for measure, measure_units in units_by_measure
        for unit in measure_units
    )
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
    changes: dict[str, Any] = {
        "source": source_name,
        "goals": len(goals),
        "measures": len(measures),
        "warnings": len(plan.import_warnings),
    }
    if replaced:
        changes["replaced"] = replaced
    if plan.revision_of_id:
        changes["revision_of"] = plan.revision_of_id
    audit_record(
        actor=actor,
        action="plan.imported",
        obj=plan,
        organization_id=organization.pk,
        changes=changes,
        ip=ip,
    )
    return plan


def units_named(
    *, organization: Organization, names: list[str], actor: Any, ip: str | None = None
) -> list[Unit]:
    """The organization's units of these names, created where missing, in that order."""
    found = units_get_or_create(organization=organization, names=names, actor=actor, ip=ip)
    return [found[name_key(name)] for name in names if name_key(name) in found]


def units_text(units: list[Unit]) -> str:
    """The units' names as one line, for the pages and documents that print one."""
    return ", ".join(unit.name for unit in units)[:255]


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
    Raises ValidationError when the plan is not in the state the transition starts from,
    or when the four-eyes rule refuses the approval (`selectors.plan_four_eyes_refusal`:
    whoever imported the plan does not approve it alone).
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
    if transition == "approve" and (refusal := plan_four_eyes_refusal(plan=plan, user=actor)):
        raise ValidationError(refusal, code="four_eyes")
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
    responsible_person: Any,
    due_date: Any,
    recurrence: str,
    units: list[Unit] | None = None,
    responsible_unit: str | None = None,
    scheduled_dates: list[dt.date] | None = None,
    ip: str | None = None,
) -> Measure:
    """Set who is responsible for `measure` and when it is due.

    `units` are the organization's units; `responsible_unit`, a unit's name, is found or
    created and added to them (neither given: the units stay). The person must hold a role
    in the plan's organization; `scheduled_dates` count only with the recurrence "dates"."""
    organization_id = measure.plan.organization_id
    if (
        responsible_person is not None
        and not Membership.objects.filter(
            user=responsible_person, organization_id=organization_id
        ).exists()
    ):
        raise ValidationError(_("The responsible person has no role in this organization."))
    named = []
    if responsible_unit is not None and responsible_unit.strip():
        named = units_named(
            organization=measure.plan.organization, names=[responsible_unit], actor=actor, ip=ip
        )
    if units is None and responsible_unit is not None:
        units = named
    elif units is not None:
        units = list(units) + [u for u in named if u not in units]
    if units is not None and any(u.organization_id != organization_id for u in units):
        raise ValidationError(_("A unit of another organization cannot be responsible."))
    if recurrence != Measure.Recurrence.DATES:
        scheduled_dates = []
    elif scheduled_dates is None:
        scheduled_dates = [dt.date.fromisoformat(d) for d in measure.scheduled_dates]
    fields: dict[str, Any] = {
        "responsible_person": responsible_person,
        "due_date": due_date,
        "recurrence": recurrence,
        "scheduled_dates": sorted({d.isoformat() for d in scheduled_dates}),
    }
    if units is not None:
        fields["responsible_unit"] = units_text(units)
    before = {k: str(getattr(measure, k) or "") for k in fields}
    before_person = measure.responsible_person_id
    before_units = sorted(measure.units.values_list("name", flat=True))
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save(update_fields=[*fields, "updated_at"])
    changes = {
        k: [before[k], str(fields[k] or "")] for k in fields if before[k] != str(fields[k] or "")
    }
    if units is not None:
        measure.units.set(units)
        after_units = sorted(u.name for u in units)
        if after_units != before_units:
            changes["units"] = [before_units, after_units]
    audit_record(
        actor=actor,
        action="measure.assigned",
        obj=measure,
        organization_id=organization_id,
        changes=changes,
        ip=ip,
    )
    if responsible_person is not None and responsible_person.pk != before_person:
        notify(
            users=[responsible_person],
            event="measure.assigned",
            key=f"measure.assigned:{measure.pk}:{responsible_person.pk}:{timezone.now().isoformat()}",
            params={"code": measure.code, "year": measure.plan.year},
            url=f"{measure.plan.get_absolute_url()}#m-{measure.code}",
            organization_id=organization_id,
            actor=actor,
        )
    return measure


# -- importing in steps: upload, read and correct, confirm ------------------------------

DRAFT_LIFETIME = dt.timedelta(days=1)


@transaction.atomic
def plan_import_draft_create(
    *, organization: Organization, actor: Any, content: bytes, filename: str, year: int | None
) -> PlanImportDraft:
    """Keep an uploaded plan document while its reading is checked and corrected. Drafts
    of the organization older than a day go at the same time."""
    PlanImportDraft.objects.filter(
        organization=organization, created_at__lt=timezone.now() - DRAFT_LIFETIME
    ).delete()
    return PlanImportDraft.objects.create(
        organization=organization,
        created_by=actor,
        filename=(filename or "plan")[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        year=year,
    )


def plan_import_draft_set_choices(*, draft: PlanImportDraft, choices: ImportChoices) -> None:
    """Remember the reader's corrections, so the next reading and the confirm use them."""
    draft.choices = choices.to_dict()
    draft.save(update_fields=["choices"])


def draft_read(
    *, draft: PlanImportDraft, layout: ImportChoices | None = None
) -> tuple[PlanDocument, Reading | None]:
    """The draft's document read with its corrections over the organization's layout.
    PlanImportError (with what was understood) when it cannot be a plan."""
    if layout is None:
        layout = organization_layout(organization=draft.organization)
    return read_valid_plan(
        bytes(draft.content),
        draft.filename,
        choices=ImportChoices.from_dict(draft.choices),
        layout=layout,
        year=draft.year,
    )


@transaction.atomic
def plan_import_confirm(
    *, draft: PlanImportDraft, actor: Any, on_existing: str = REFUSE, ip: str | None = None
) -> Plan:
    """Save the draft's document as a plan, read as its preview showed, once: a second
    confirmation of the same draft is refused. The reader's corrections become the
    organization's layout."""
    draft = (
        PlanImportDraft.objects.select_for_update().select_related("organization").get(pk=draft.pk)
    )
    if draft.plan_id is not None:
        raise ValidationError(_("This document was saved as a plan already."), code="already_saved")
    try:
        document, reading = draft_read(draft=draft)
    except PlanImportError as exc:
        raise ValidationError(str(exc)) from None
    plan = plan_create_from_document(
        organization=draft.organization,
        document=document,
        actor=actor,
        source_name=draft.filename,
        ip=ip,
        on_existing=on_existing,
    )
    choices = ImportChoices.from_dict(draft.choices)
    if reading is not None and not choices.is_empty():
        plan_import_layout_save(
            organization=draft.organization, choices=choices, reading=reading, actor=actor, ip=ip
        )
    draft.plan = plan
    draft.content = b""  # the plan holds what it said now
    draft.save(update_fields=["plan", "content"])
    return plan


@transaction.atomic
def plan_import_layout_save(
    *,
    organization: Organization,
    choices: ImportChoices,
    reading: Reading,
    actor: Any,
    ip: str | None = None,
) -> PlanImportLayout:
    """Save `choices`, made on a document read as `reading`, as the organization's layout,
    in words that hold for its next document: columns by header text, rows by their text,
    the header's height with the text of its first row."""
    portable = organization_layout(organization=organization)
    columns = {c.index: c for c in reading.columns}
    for key, role in choices.columns.items():
        column = columns.get(int(key) - 1) if key.isdigit() else None
        portable.columns[column.key if column is not None else key] = role
    rows = {r.index: r for r in reading.rows}
    for key, kind in choices.rows.items():
        row = rows.get(int(key) - 1) if key.isdigit() else None
        text = row_text(reading, row.index) if row is not None else key
        if text:
            portable.rows[text[:60]] = kind
    if choices.header_rows and reading.band is not None and reading.grid is not None:
        portable.header_rows = choices.header_rows
        portable.header_signature = header_signature(reading.grid, reading.band.start)
    if choices.table:
        portable.table = choices.table
    layout, _created = PlanImportLayout.objects.update_or_create(
        organization=organization,
        defaults={"choices": portable.to_dict(), "updated_by": actor if _is_user(actor) else None},
    )
    audit_record(
        actor=actor,
        action="plan.import_layout_saved",
        obj=layout,
        organization_id=organization.pk,
        changes=portable.to_dict(),
        ip=ip,
    )
    return layout


@transaction.atomic
def plan_import_layout_forget(
    *, organization: Organization, actor: Any, ip: str | None = None
) -> None:
    """Forget the organization's saved layout: its next document is read afresh."""
    layout = PlanImportLayout.objects.filter(organization=organization).first()
    if layout is None:
        return
    audit_record(
        actor=actor,
        action="plan.import_layout_forgotten",
        obj=layout,
        organization_id=organization.pk,
        changes=layout.choices,
        ip=ip,
    )
    layout.delete()


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)
