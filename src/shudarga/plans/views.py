"""Plan pages: an organization's plans, import with preview, the plan table, downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.core.fragments import PageFragment
from shudarga.core.http import AuthedRequest, client_ip, file_headers
from shudarga.core.models import Seal
from shudarga.core.selectors import seal_exists, seal_latest, seals_of_object
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    get_organization_for_user,
    organization_people,
    organization_units,
    organizations_for_user,
)
from shudarga.plans import services
from shudarga.plans.amendments import AMENDABLE, plan_amendments
from shudarga.plans.documents.choices import ImportChoices
from shudarga.plans.documents.model import PlanImportError
from shudarga.plans.documents.structure import ROW_KIND_LABELS
from shudarga.plans.documents.vocabulary import ROLE_LABELS
from shudarga.plans.exports import EXPORT_FORMATS, plan_export
from shudarga.plans.forms import (
    ImportConfirmForm,
    MeasureAssignForm,
    PlanImportForm,
    PlanStatusForm,
    ReadingForm,
)
from shudarga.plans.models import Measure, Plan
from shudarga.plans.sealing import plan_seal_badge, plan_seal_verify
from shudarga.plans.selectors import (
    get_import_draft_for_user,
    get_plan_for_user,
    import_assignments,
    organization_layout,
    plan_four_eyes_refusal,
    plan_list_for_organization,
    plan_to_document,
    plans_of_year,
)
from shudarga.plans.table import plan_table_context, reading_grid

# What each step does, said before it is confirmed and after it is done.
_TRANSITION_EXPLAINED = {
    "approve": gettext_lazy(
        "Approving seals the plan: its content and evidence are fingerprinted, and any later "
        "change shows as a change since sealing. Approve only the final text."
    ),
    "publish": gettext_lazy(
        "Publishing puts the plan on the public portal, where anyone can read it without "
        "signing in."
    ),
    "unpublish": gettext_lazy(
        "The plan is taken off the public portal; it stays approved and sealed."
    ),
    "reopen": gettext_lazy(
        "The plan goes back to draft so it can be changed; it must be approved again."
    ),
}
_TRANSITION_DONE = {
    "approve": gettext_lazy("“%(title)s” was approved and sealed."),
    "publish": gettext_lazy("“%(title)s” is published on the public portal."),
    "unpublish": gettext_lazy("“%(title)s” was taken off the public portal."),
    "reopen": gettext_lazy("“%(title)s” is a draft again."),
}

_TRANSITION_ACTIONS = {
    "approve": Action.APPROVE_PLAN,
    "reopen": Action.APPROVE_PLAN,
    "publish": Action.PUBLISH_PLAN,
    "unpublish": Action.PUBLISH_PLAN,
}


@login_required
def plan_list(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    return render(
        request,
        "plans/plan_list.html",
        {
            "organization": organization,
            "plans": plan_list_for_organization(organization=organization),
            "may_import": organization.access.may(Action.IMPORT_PLAN),
            "children": organizations_for_user(user=request.user).filter(parent=organization),
        },
    )


@login_required
def plan_import(request: AuthedRequest, code: str) -> HttpResponse:
    """Upload a plan document; it is kept as a draft and read on the next page."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.IMPORT_PLAN
    )
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft = services.plan_import_draft_create(
            organization=organization,
            actor=request.user,
            content=form.cleaned_data["content"],
            filename=form.cleaned_data["file"].name,
            year=form.cleaned_data.get("year"),
        )
        return redirect("plans:import_preview", organization.code, draft.pk)
    return render(
        request,
        "plans/plan_import.html",
        {
            "organization": organization,
            "form": form,
            "layout": (layout := organization_layout(organization=organization)),
            "layout_columns": [
                (key, ROLE_LABELS.get(role, role)) for key, role in layout.columns.items()
            ],
            "layout_rows": [
                (key, ROW_KIND_LABELS.get(kind, kind)) for key, kind in layout.rows.items()
            ],
        },
    )


@login_required
def plan_import_layout_forget(request: AuthedRequest, code: str) -> HttpResponse:
    """Forget the organization's saved way of reading its documents."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.IMPORT_PLAN
    )
    if request.method != "POST":  # checked after the lookup: outsiders get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    services.plan_import_layout_forget(
        organization=organization, actor=request.user, ip=client_ip(request)
    )
    messages.success(
        request, _("The saved layout was forgotten; the next document is read afresh.")
    )
    return redirect("plans:import", organization.code)


@login_required
def plan_import_preview(request: AuthedRequest, code: str, draft_id: int) -> HttpResponse:
    """How the document was read, every decision shown and correctable; the plan and its
    schedule as they would be saved."""
    draft = get_import_draft_for_user(user=request.user, code=code, draft_id=draft_id)
    organization = draft.organization
    if draft.plan_id is not None:
        messages.info(request, _("This document was saved as a plan already."))
        return redirect("plans:detail", organization.code, draft.plan_id)
    layout = organization_layout(organization=organization)
    document, reading, error = _read_draft(draft, layout)
    if request.method == "POST":
        if "reset" in request.POST:
            services.plan_import_draft_set_choices(draft=draft, choices=ImportChoices())
            return redirect("plans:import_preview", organization.code, draft.pk)
        form = ReadingForm(request.POST, reading=reading)
        if form.is_valid():
            services.plan_import_draft_set_choices(draft=draft, choices=form.choices())
            return redirect("plans:import_preview", organization.code, draft.pk)
    else:
        form = ReadingForm(initial=_initial(draft), reading=reading)
    existing = plans_of_year(organization=organization, year=document.year if document else None)
    return render(
        request,
        "plans/plan_import_preview.html",
        _preview_context(draft, document, reading, error, form, existing),
    )


def _read_draft(draft: Any, layout: ImportChoices) -> tuple[Any, Any, str]:
    try:
        document, reading = services.draft_read(draft=draft, layout=layout)
    except PlanImportError as exc:
        return None, exc.reading, str(exc)
    return document, reading, ""


def _initial(draft: Any) -> dict[str, Any]:
    choices = ImportChoices.from_dict(draft.choices)
    initial: dict[str, Any] = {
        "table": choices.table or "",
        "header_start": choices.header_start,
        "header_rows": choices.header_rows,
    }
    initial.update({f"col_{key}": role for key, role in choices.columns.items()})
    initial.update({f"row_{key}": kind for key, kind in choices.rows.items()})
    return initial


def _preview_context(
    draft: Any, document: Any, reading: Any, error: str, form: ReadingForm, existing: list
) -> dict[str, Any]:
    organization = draft.organization
    context: dict[str, Any] = {
        "organization": organization,
        "draft": draft,
        "document": document,
        "reading": reading,
        "error": error,
        "form": form,
        "grid": reading_grid(reading, form) if reading is not None else None,
        "existing": existing,
        "confirm_form": ImportConfirmForm(),
        "has_choices": bool(draft.choices),
    }
    if document is not None:
        context.update(plan_table_context(document))
        context["assignments"] = import_assignments(organization=organization, document=document)
    return context


@login_required
def plan_import_confirm(request: AuthedRequest, code: str, draft_id: int) -> HttpResponse:
    """Save the previewed plan once; the reader's corrections become the layout."""
    draft = get_import_draft_for_user(user=request.user, code=code, draft_id=draft_id)
    if request.method != "POST":  # checked after the lookup: outsiders get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    if draft.plan_id is not None:
        messages.info(request, _("This document was saved as a plan already."))
        return redirect("plans:detail", draft.organization.code, draft.plan_id)
    form = ImportConfirmForm(request.POST)
    on_existing = (form.cleaned_data.get("on_existing") if form.is_valid() else "") or "refuse"
    try:
        plan = services.plan_import_confirm(
            draft=draft, actor=request.user, on_existing=on_existing, ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:import_preview", draft.organization.code, draft.pk)
    messages.success(
        request,
        _("The plan was imported: %(goals)s goals, %(measures)s measures.")
        % {"goals": plan.goals.count(), "measures": plan.measures.count()},
    )
    return redirect(plan)


@login_required
def plan_detail(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    organization = plan.organization
    access = organization.access
    # The four-eyes rule: whoever imported the plan is not offered its approval, and is
    # told why. It depends on the person, so it is part of the body's key.
    four_eyes_note = (
        plan_four_eyes_refusal(plan=plan, user=request.user)
        if access.may(Action.APPROVE_PLAN)
        else None
    )

    def compute() -> dict:
        # Read after the fragment's key (see `core.fragments`): the plan as it is now.
        current = Plan.objects.get(pk=plan.pk)
        current.organization = organization
        document = plan_to_document(plan=current)
        transitions = [
            (name, label)
            for name, label in PlanStatusForm.base_fields["transition"].choices
            if access.may(_TRANSITION_ACTIONS[name])
            and services.transition_applies(plan=current, transition=name)
            and not (name == "approve" and four_eyes_note)
        ]
        return {
            **plan_table_context(document),
            "plan": current,
            "measure_count": len(document.measures),
            "export_formats": EXPORT_FORMATS if access.may(Action.EXPORT_PLAN) else (),
            "transitions": transitions,
            "four_eyes_note": four_eyes_note
            if services.transition_applies(plan=current, transition="approve")
            else None,
            "may_delete": access.may(Action.DELETE_PLAN) and current.status == Plan.Status.DRAFT,
            "may_import": access.may(Action.IMPORT_PLAN),
            "seal_check": plan_seal_badge(plan=current, document=document),
            "seal_url": reverse("plans:seal", args=[organization.code, current.pk]),
            "may_amend": access.may(Action.APPROVE_PLAN) and current.status in AMENDABLE,
            "amendments": plan_amendments(plan=current),
        }

    return render(
        request,
        "plans/plan_detail.html",
        {
            "organization": organization,
            "plan": plan,
            "fragment": PageFragment(
                request=request,
                name="plan",
                organization=organization,
                compute=compute,
                vary=(plan.pk, four_eyes_note),
                keep=not seal_exists(kind=Seal.Kind.PLAN, object_id=plan.pk),
            ),
        },
    )


@login_required
def plan_seal_view(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    """The plan's seal in force compared with the plan, and its history of seals."""
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    seal = seal_latest(kind=Seal.Kind.PLAN, object_id=plan.pk)
    return render(
        request,
        "plans/plan_seal.html",
        {
            "organization": plan.organization,
            "object_title": plan.title,
            "back_url": plan.get_absolute_url(),
            "check": plan_seal_verify(seal=seal) if seal is not None else None,
            "seals": seals_of_object(kind=Seal.Kind.PLAN, object_id=plan.pk),
            "amendments": plan_amendments(plan=plan),
            "unsealed_text": _(
                "This plan has not been sealed: a plan is sealed when it is approved."
            ),
        },
    )


@login_required
def plan_export_view(request: AuthedRequest, code: str, plan_id: int, fmt: str) -> HttpResponse:
    plan = get_plan_for_user(
        user=request.user, code=code, plan_id=plan_id, action=Action.EXPORT_PLAN
    )
    if fmt not in EXPORT_FORMATS:
        raise Http404
    exported = plan_export(plan=plan, fmt=fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    return file_headers(response, filename=exported.filename)


@login_required
def plan_status(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Before the form: whoever may change no status learns nothing.
    plan.organization.access.require(*_TRANSITION_ACTIONS.values())
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown plan status change."))
        return redirect(plan)
    transition = form.cleaned_data["transition"]
    plan.organization.access.require(_TRANSITION_ACTIONS[transition])
    if transition == "approve" and (
        refusal := plan_four_eyes_refusal(plan=plan, user=request.user)
    ):
        messages.error(request, refusal)  # before the confirmation page: it would not help
        return redirect(plan)
    if request.POST.get("confirmed") != "1" and services.transition_applies(
        plan=plan, transition=transition
    ):
        # A step that seals or publishes the plan is confirmed on a page that says so.
        return render(
            request,
            "plans/plan_confirm_status.html",
            {
                "organization": plan.organization,
                "plan": plan,
                "transition": transition,
                "label": dict(PlanStatusForm.base_fields["transition"].choices)[transition],
                "explanation": _TRANSITION_EXPLAINED[transition],
            },
        )
    try:
        services.plan_change_status(
            plan=plan, transition=transition, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _TRANSITION_DONE[transition] % {"title": plan.title})
    return redirect(plan)


@login_required
def plan_delete_view(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(
        user=request.user, code=code, plan_id=plan_id, action=Action.DELETE_PLAN
    )
    if request.method != "POST":
        return render(
            request,
            "plans/plan_confirm_delete.html",
            {"organization": plan.organization, "plan": plan},
        )
    try:
        services.plan_delete(plan=plan, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(plan)
    messages.success(request, _("The draft plan was deleted."))
    return redirect("plans:list", code)


@login_required
def measure_assign_view(
    request: AuthedRequest, code: str, plan_id: int, measure_id: int
) -> HttpResponse:
    plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    try:
        measure = Measure.objects.select_related("responsible_person").get(pk=measure_id, plan=plan)
    except Measure.DoesNotExist:
        raise Http404 from None
    plan.organization.access.require(Action.IMPORT_PLAN)
    measure.plan = plan
    people = organization_people(organization=plan.organization)
    initial = {
        "units": list(measure.units.all()),
        "responsible_person": measure.responsible_person,
        "recurrence": measure.recurrence,
        "due_date": measure.due_date,
        "dates": ", ".join(measure.scheduled_dates),
    }
    form = MeasureAssignForm(
        request.POST or None,
        initial=initial,
        people=people,
        units=organization_units(organization=plan.organization),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_assign(
                measure=measure,
                actor=request.user,
                ip=client_ip(request),
                units=list(data["units"]),
                responsible_unit=data["new_unit"],
                responsible_person=data["responsible_person"],
                due_date=data["due_date"],
                recurrence=data["recurrence"],
                scheduled_dates=data["dates"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Measure %(code)s was assigned.") % {"code": measure.code})
            return redirect(f"{plan.get_absolute_url()}#m-{measure.code}")
    return render(
        request,
        "plans/measure_assign.html",
        {"organization": plan.organization, "plan": plan, "measure": measure, "form": form},
    )
