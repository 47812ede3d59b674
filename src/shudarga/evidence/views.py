"""Evidence pages: the organization's list, add, detail with history and preview, download,
inline preview, replace and delete.

Every view looks the organization or evidence up first (404 for outsiders, whatever the
method), then checks the write rule (403 for read-only roles), then the method.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from shudarga.core.http import (
    AuthedRequest,
    client_ip,
    file_headers,
    stored_file_missing,
    stream_length,
)
from shudarga.core.selectors import lock_covering, record_locks_of
from shudarga.core.storage import open_stream
from shudarga.evidence import services
from shudarga.evidence.forms import (
    EvidenceAddForm,
    EvidenceFilterForm,
    EvidenceReplaceForm,
    add_service_error,
)
from shudarga.evidence.models import Evidence
from shudarga.evidence.selectors import (
    evidence_for_organization,
    evidence_versions,
    get_evidence_for_user,
)
from shudarga.evidence.uploads import guard_upload, upload_was_cut
from shudarga.evidence.validators import max_upload_bytes
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user

PAGE_SIZE = 25


def _too_large_message() -> str:
    return _("The file is larger than %(limit)s, the most a file may be.") % {
        "limit": filesizeformat(max_upload_bytes())
    }


@login_required
def evidence_list(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    filter_form = EvidenceFilterForm(request.GET, organization=organization)
    rows = evidence_for_organization(organization=organization, **filter_form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/evidence_list.html",
        {
            "organization": organization,
            "filter_form": filter_form,
            "page": page,
            "filtered": any(request.GET.get(name) for name in filter_form.fields),
            "may_change": organization.access.may(Action.EDIT_RECORDS),
        },
    )


@login_required
@csrf_exempt  # checked in _evidence_add_page, once guard_upload has limited the upload
def evidence_add(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    organization.access.require(Action.EDIT_RECORDS)
    return guard_upload(request, context={"organization": organization}) or _evidence_add_page(
        request, organization
    )


@csrf_protect
def _evidence_add_page(request: AuthedRequest, organization: Organization) -> HttpResponse:
    initial = {
        name: request.GET.get(name)
        for name in ("plan", "measure", "criterion")
        if request.GET.get(name)
    }
    posted = request.method == "POST"
    form = EvidenceAddForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organization=organization,
        initial=initial,
    )
    if request.method == "POST":
        if upload_was_cut(request):
            form.add_error("file", _too_large_message())
        elif form.is_valid():
            data = form.cleaned_data
            common = {
                "organization": organization,
                "measure": data["measure"],
                "actor": request.user,
                "title": data["title"],
                "description": data["description"],
                "criterion": data["criterion"],
                "relates_to": data["relates_to"],
                "ip": client_ip(request),
            }
            try:
                if data["file"] is not None:
                    evidence = services.evidence_add_file(upload=data["file"], **common)
                else:
                    evidence = services.evidence_add_link(link=data["link"], **common)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The evidence was added."))
                return redirect("evidence:detail", organization.code, evidence.pk)
    return render(
        request,
        "evidence/evidence_add.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def evidence_detail(request: AuthedRequest, code: str, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    organization = evidence.organization
    versions = list(evidence_versions(evidence=evidence))
    may_edit = organization.access.may(Action.EDIT_RECORDS) and evidence.is_current
    # An approved report holds it: the buttons go and the page says why (the services
    # refuse the change anyway).
    lock = (
        lock_covering(
            record_locks_of(organization_id=organization.pk),
            day=evidence.relates_to,
            plan_ids=[evidence.measure.plan_id],
        )
        if may_edit
        else None
    )
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "organization": organization,
            "evidence": evidence,
            "versions": versions,
            "current": next((v for v in versions if v.is_current), None),
            "register_row": evidence.register_row if evidence.register_type_id else None,
            "may_change": may_edit and lock is None,
            "lock": lock,
        },
    )


def _file_response(
    request: AuthedRequest, evidence: Evidence, *, as_attachment: bool
) -> HttpResponse:
    if not evidence.is_file:
        raise Http404
    try:
        handle = open_stream(evidence.file.storage, evidence.file.name)
    except FileNotFoundError:
        return stored_file_missing(
            request,
            name=evidence.file.name,
            heading=_("The stored file of this evidence is missing"),
            message=_(
                "The record of “%(name)s” (SHA-256 %(digest)s…) is kept, but its file is no "
                "longer in the file storage. Tell the system administrator: it must be put "
                "back from a backup. Until then, you may upload the file again as a new "
                "version."
            )
            % {"name": evidence.original_name, "digest": evidence.short_digest},
            back_url=evidence.get_absolute_url(),
            back_label=_("Back to the evidence"),
            context={"organization": evidence.organization},
        )
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    # The browser must take the sniffed type as given, and a file opened from here must not
    # run scripts or reach the session (an SVG or HTML slipped in would stay inert): the
    # sandbox is set for downloads too, in case a browser shows one anyway.
    file_headers(response, inline=not as_attachment)
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-cache"
    return stream_length(response, handle)


@login_required
def evidence_download(request: AuthedRequest, code: str, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _file_response(request, evidence, as_attachment=True)


@login_required
@xframe_options_sameorigin  # the detail page shows PDFs in a frame
def evidence_inline(request: AuthedRequest, code: str, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not evidence.shows_inline:  # only images and PDFs open in the page
        raise Http404
    return _file_response(request, evidence, as_attachment=False)


@login_required
@csrf_exempt  # checked in _evidence_replace_page, once guard_upload has limited the upload
def evidence_replace(request: AuthedRequest, code: str, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    evidence.organization.access.require(Action.EDIT_RECORDS)
    if not evidence.is_current:
        messages.error(request, _("Only the current version can be replaced."))
        return redirect("evidence:detail", code, evidence.pk)
    context = {"organization": evidence.organization, "evidence": evidence}
    return guard_upload(request, context=context) or _evidence_replace_page(request, evidence)


@csrf_protect
def _evidence_replace_page(request: AuthedRequest, evidence: Evidence) -> HttpResponse:
    posted = request.method == "POST"
    form = EvidenceReplaceForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST":
        if upload_was_cut(request):
            form.add_error("file", _too_large_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                new = services.evidence_replace(
                    evidence=evidence,
                    actor=request.user,
                    upload=data["file"],
                    link=data["link"],
                    title=data["title"],
                    relates_to=data["relates_to"],
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The new version was saved; the old one is kept."))
                return redirect("evidence:detail", evidence.organization.code, new.pk)
    return render(
        request,
        "evidence/evidence_replace.html",
        {"organization": evidence.organization, "evidence": evidence, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def evidence_delete(request: AuthedRequest, code: str, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_user(user=request.user, code=code, evidence_id=evidence_id)
    evidence.organization.access.require(Action.EDIT_RECORDS)
    if not evidence.is_current:
        messages.error(request, _("Only the current version can be deleted."))
        return redirect("evidence:detail", code, evidence.pk)
    if request.method != "POST":
        return render(
            request,
            "evidence/evidence_confirm_delete.html",
            {"organization": evidence.organization, "evidence": evidence},
        )
    try:
        services.evidence_delete(evidence=evidence, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evidence:detail", code, evidence.pk)
    messages.success(request, _("The evidence was deleted. Its files stay in the history."))
    return redirect(reverse("evidence:list", args=[code]))
