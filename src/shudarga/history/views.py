"""History pages: an organization's history (filterable, paginated, exportable) and one
object's history. Members who may see the organization may see its history; petitioners'
personal data stays hidden from roles that do not handle petitions."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shudarga.core.http import AuthedRequest, file_headers
from shudarga.history import xlsx
from shudarga.history.forms import HistoryFilterForm
from shudarga.history.selectors import (
    Version,
    object_history_filter,
    object_label,
    version_details,
    version_list,
)
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user, organization_people
from shudarga.registers.registry import REGISTERS

PAGE_SIZE = 50
EXPORT_CHUNK = 500


def _filter_form(request: AuthedRequest, organization: Organization) -> HistoryFilterForm:
    return HistoryFilterForm(
        request.GET or None, people=list(organization_people(organization=organization))
    )


@login_required
def organization_history(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    form = _filter_form(request, organization)
    valid = form.is_bound and form.is_valid()
    versions = version_list(organization=organization, filters=form.filters())
    if form.is_bound and not valid:
        versions = versions.none()  # bad filters: say so, show nothing rather than everything
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "history/organization_history.html",
        {
            "organization": organization,
            "form": form,
            "filtered": form.is_bound,
            "page": page,
            "versions": version_details(organization=organization, page=page.object_list),
        },
    )


def _chunked_details(organization: Organization, rows: Iterator) -> Iterator[Version]:
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        yield from version_details(organization=organization, page=chunk)


@login_required
def organization_history_xlsx(request: AuthedRequest, code: str) -> FileResponse:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    form = _filter_form(request, organization)
    rows: Iterator = iter(())  # bad filters export nothing rather than everything
    if not form.is_bound or form.is_valid():
        versions = version_list(organization=organization, filters=form.filters())
        rows = versions.iterator(chunk_size=EXPORT_CHUNK)
    out = xlsx.history_xlsx(_chunked_details(organization, rows))
    filename = f"{organization.code}-history-{timezone.localdate().isoformat()}.xlsx"
    return file_headers(
        FileResponse(out, as_attachment=True, filename=filename, content_type=xlsx.CONTENT_TYPE)
    )


def _object_history(request: AuthedRequest, code: str, kind: str, object_id: int) -> HttpResponse:
    """One object's versions (with its parts'), newest first; 404 unless the organization
    holds a version of it."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    label = object_label(organization=organization, kind=kind, object_id=object_id)
    if label is None:
        raise Http404
    versions = version_list(
        organization=organization, only=object_history_filter(kind=kind, object_id=object_id)
    )
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "history/object_history.html",
        {
            "organization": organization,
            "label": label,
            "page": page,
            "versions": version_details(organization=organization, page=page.object_list),
        },
    )


@login_required
def plan_history(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    return _object_history(request, code, "plans.plan", plan_id)


@login_required
def measure_history(request: AuthedRequest, code: str, measure_id: int) -> HttpResponse:
    return _object_history(request, code, "plans.measure", measure_id)


@login_required
def register_row_history(
    request: AuthedRequest, code: str, register: str, row_id: int
) -> HttpResponse:
    spec = REGISTERS.get(register)
    if spec is None:
        raise Http404
    return _object_history(request, code, spec.model._meta.label_lower, row_id)


@login_required
def evidence_history(request: AuthedRequest, code: str, evidence_id: int) -> HttpResponse:
    return _object_history(request, code, "evidence.evidence", evidence_id)


@login_required
def report_history(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    return _object_history(request, code, "reports.report", report_id)


@login_required
def petition_history(request: AuthedRequest, code: str, petition_id: int) -> HttpResponse:
    return _object_history(request, code, "petitions.petition", petition_id)
