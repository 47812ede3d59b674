"""Staff pages of the petitions register and the satisfaction survey.

Access: every page looks the organization (and petition or survey) up through the
selectors, which give 404 to outsiders. Registering and handling petitions needs
`Action.EDIT_RECORDS` (coordinator, officer); they alone see petitioners' personal data.
Surveys are built, opened and closed by the coordinator; their results are read by all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.core.activity import action_label
from shudarga.core.fragments import PageFragment
from shudarga.core.http import (
    AuthedRequest,
    client_ip,
    file_headers,
    stored_file_missing,
    stream_length,
)
from shudarga.core.storage import open_stream
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.petitions import forms, services, xlsx
from shudarga.petitions.deadlines import rule_by_key
from shudarga.petitions.models import Petition, Question
from shudarga.petitions.qr import qr_svg
from shudarga.petitions.selectors import (
    get_petition_for_user,
    get_survey_for_user,
    may_handle_petitions,
    may_manage_surveys,
    petition_due_counts,
    petition_history,
    petition_list,
    petition_officers,
    survey_list,
    survey_questions,
    survey_results,
)
from shudarga.petitions.statistics import (
    QuarterStats,
    petition_quarter_stats,
    quarter_bounds,
    stats_snapshots,
)
from shudarga.petitions.validators import format_tracking_code

PAGE_SIZE = 50

HISTORY_LABELS = {
    "petition.registered": gettext_lazy("Registered"),
    "petition.assigned": gettext_lazy("Assigned"),
    "petition.extended": gettext_lazy("Deadline extended"),
    "petition.answered": gettext_lazy("Answered"),
    "petition.transferred": gettext_lazy("Transferred"),
    "petition.closed": gettext_lazy("Closed"),
    "petition.reminded": gettext_lazy("Reminder sent"),
}

# Quarters as official statistics name them: "2026 оны IV улирал".
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _add_service_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def petition_list_view(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    personal = may_handle_petitions(organization)

    def compute() -> dict:
        today = timezone.localdate()
        filter_form = forms.PetitionFilterForm(request.GET)
        rows = petition_list(
            organization=organization, today=today, personal=personal, **filter_form.filters()
        )
        return {
            "filter_form": filter_form,
            "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "is_filtered": filter_form.is_filtered,
            "due": filter_form.filters().get("due", ""),
            "counts": petition_due_counts(organization=organization, today=today),
            "today": today,
        }

    return render(
        request,
        "petitions/petition_list.html",
        {
            "organization": organization,
            "may_handle": personal,
            # Kept per roles: only those who handle petitions see the petitioners' data.
            "fragment": PageFragment(
                request=request,
                name="petition-list",
                organization=organization,
                compute=compute,
                vary=(tuple(sorted(request.GET.lists())), personal),
            ),
        },
    )


@login_required
def petition_export(request: AuthedRequest, code: str) -> HttpResponse:
    """The register as filtered on the list page, as XLSX (personal data for handlers)."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    personal = may_handle_petitions(organization)
    filter_form = forms.PetitionFilterForm(request.GET)
    rows = petition_list(
        organization=organization,
        today=timezone.localdate(),
        personal=personal,
        **filter_form.filters(),
    )
    content = xlsx.register_xlsx(
        petitions=rows.iterator(chunk_size=2000),
        personal=personal,
        organization_name=organization.name,
    )
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    filename = f"{organization.code}-petitions-{timezone.localdate().isoformat()}.xlsx"
    return file_headers(response, filename=filename)


@login_required
def petition_create(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.EDIT_RECORDS
    )
    officers = petition_officers(organization=organization)
    form = forms.PetitionRegisterForm(
        request.POST or None, request.FILES or None, officers=officers
    )
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.petition_register(
                organization=organization, actor=request.user, ip=client_ip(request),
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            petition = registered.petition
            messages.success(
                request,
                _(
                    "Petition %(no)s was registered; its deadline is %(due)s. Tracking code "
                    "for the petitioner (shown only now): %(code)s"
                )
                % {
                    "no": petition.registration_no,
                    "due": petition.due_on.isoformat(),
                    "code": format_tracking_code(registered.tracking_code),
                },
            )
            return redirect(petition)
    return render(
        request,
        "petitions/petition_form.html",
        {"organization": organization, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def petition_detail(request: AuthedRequest, code: str, petition_id: int) -> HttpResponse:
    petition = get_petition_for_user(user=request.user, code=code, petition_id=petition_id)
    organization = petition.organization
    may_handle = may_handle_petitions(organization)
    rule = rule_by_key(petition.rule_key)
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "organization": organization,
            "petition": petition,
            "may_handle": may_handle,
            "attachments": list(petition.attachments.all()) if may_handle else [],
            "history": [
                (entry, HISTORY_LABELS.get(entry.action) or action_label(entry.action))
                for entry in petition_history(petition=petition)
            ],
            "rule": rule,
            "today": timezone.localdate(),
        },
    )


@login_required
def petition_attachment(
    request: AuthedRequest, code: str, petition_id: int, attachment_id: int
) -> HttpResponse:
    # Attachments are the petitioner's papers: handlers only.
    petition = get_petition_for_user(
        user=request.user, code=code, petition_id=petition_id, handle=True
    )
    attachment = petition.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    try:
        handle = open_stream(attachment.file.storage, attachment.file.name)
    except FileNotFoundError:
        return stored_file_missing(
            request,
            name=attachment.file.name,
            heading=_("The stored file of this attachment is missing"),
            message=_(
                "The petition's record is kept, but this attachment's file is no longer in "
                "the file storage. Tell the system administrator: it must be put back from a "
                "backup."
            ),
            back_url=petition.get_absolute_url(),
            back_label=_("Back to the petition"),
            context={"organization": petition.organization},
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{petition.registration_no}-{attachment.pk}{_suffix(attachment.content_type)}",
        content_type=attachment.content_type,
    )
    return file_headers(stream_length(response, handle))


def _suffix(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        content_type, ".bin"
    )


def _run_assign(request: AuthedRequest, petition: Petition, form: Any) -> None:
    services.petition_assign(
        petition=petition,
        officer=form.cleaned_data["officer"],
        actor=request.user,
        ip=client_ip(request),
    )


def _run_extend(request: AuthedRequest, petition: Petition, form: Any) -> None:
    data = form.cleaned_data
    services.petition_extend(
        petition=petition,
        days=data["days"],
        reason=data["reason"],
        decided_by=data["decided_by"],
        petitioner_informed=data["petitioner_informed"],
        actor=request.user,
        ip=client_ip(request),
    )


def _run_answer(request: AuthedRequest, petition: Petition, form: Any) -> None:
    services.petition_answer(
        petition=petition, actor=request.user, ip=client_ip(request), **form.cleaned_data
    )


def _run_transfer(request: AuthedRequest, petition: Petition, form: Any) -> None:
    services.petition_transfer(
        petition=petition, actor=request.user, ip=client_ip(request), **form.cleaned_data
    )


def _run_close(request: AuthedRequest, petition: Petition, form: Any) -> None:
    services.petition_close(
        petition=petition, actor=request.user, ip=client_ip(request), **form.cleaned_data
    )


# action -> (form class, service call, page title, success message)
_ACTIONS: dict[str, tuple[type, Callable[..., None], Any, Any]] = {
    "assign": (
        forms.AssignForm,
        _run_assign,
        gettext_lazy("Assign an officer"),
        gettext_lazy("The officer was assigned."),
    ),
    "extend": (
        forms.ExtendForm,
        _run_extend,
        gettext_lazy("Extend the deadline"),
        gettext_lazy("The deadline was extended."),
    ),
    "answer": (
        forms.AnswerForm,
        _run_answer,
        gettext_lazy("Record the answer"),
        gettext_lazy("The answer was recorded."),
    ),
    "transfer": (
        forms.TransferForm,
        _run_transfer,
        gettext_lazy("Transfer to another body"),
        gettext_lazy("The transfer was recorded."),
    ),
    "close": (
        forms.CloseForm,
        _run_close,
        gettext_lazy("Close the petition"),
        gettext_lazy("The petition was closed."),
    ),
}


@login_required
def petition_action(
    request: AuthedRequest, code: str, petition_id: int, action: str
) -> HttpResponse:
    """One page per handling step (assign, extend, answer, transfer, close): a form on GET,
    the service on POST."""
    petition = get_petition_for_user(
        user=request.user, code=code, petition_id=petition_id, handle=True
    )
    form_class, run, title, done = _ACTIONS[action]
    kwargs: dict[str, Any] = {}
    if action == "assign":
        kwargs["officers"] = petition_officers(organization=petition.organization)
        kwargs["initial"] = {"officer": petition.assigned_to}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            run(request, petition, form)
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(petition)
    return render(
        request,
        "petitions/petition_action.html",
        {
            "organization": petition.organization,
            "petition": petition,
            "form": form,
            "action": action,
            "title": title,
            "rule": rule_by_key(petition.rule_key),
        },
        status=400 if request.method == "POST" else 200,
    )


def _stats_context(request: AuthedRequest, code: str) -> dict[str, Any]:
    """The period asked for, its figures as of the cut-off, and what was submitted for it:
    the submitted figures are the ones shown and downloaded (they do not move); the
    records' current figures are shown beside them when they differ."""
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    today = timezone.localdate()
    form = forms.StatsForm(request.GET, today=today)
    year, quarter = form.period(today)
    date_from, date_to = quarter_bounds(year, quarter)
    live = petition_quarter_stats(
        organization_id=organization.pk, date_from=date_from, date_to=date_to, today=today
    )
    snapshots = stats_snapshots(organization_id=organization.pk, year=year, quarter=quarter)
    submitted = QuarterStats.from_data(snapshots[0].data) if snapshots else None
    period = (
        _("Quarter %(roman)s of %(year)s") % {"roman": ROMAN[quarter], "year": year}
        if quarter
        else _("Year %(year)s") % {"year": year}
    )
    return {
        "organization": organization,
        "form": form,
        "stats": submitted or live,
        "live": live,
        "changed": submitted is not None and submitted.to_data() != live.to_data(),
        "snapshots": snapshots,
        "may_submit": may_handle_petitions(organization) and today > date_to,
        "submit_form": forms.StatsSubmitForm(),
        "period": period,
        "year": year,
        "quarter": quarter,
    }


@login_required
def petition_stats_view(request: AuthedRequest, code: str) -> HttpResponse:
    return render(request, "petitions/petition_stats.html", _stats_context(request, code))


@login_required
def petition_stats_export(request: AuthedRequest, code: str) -> HttpResponse:
    context = _stats_context(request, code)
    organization = context["organization"]
    content = xlsx.stats_xlsx(
        stats=context["stats"],
        organization_name=organization.name,
        period_label=context["period"],
        snapshot=context["snapshots"][0] if context["snapshots"] else None,
    )
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    filename = f"{organization.code}-petitions-{context['period'].replace(' ', '-')}.xlsx"
    return file_headers(response, filename=filename)


@login_required
def petition_stats_submit(request: AuthedRequest, code: str) -> HttpResponse:
    """Submit a finished period's figures (or correct submitted ones, with a reason)."""
    organization = get_organization_for_user(
        user=request.user, code=code, action=Action.EDIT_RECORDS
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    today = timezone.localdate()
    period = forms.StatsForm(request.POST, today=today)
    form = forms.StatsSubmitForm(request.POST)
    if not period.is_valid() or not form.is_valid():
        messages.error(request, _("Choose the year and period to submit."))
        return redirect("petitions:stats", code)
    year, quarter = period.period(today)
    try:
        services.petition_stats_submit(
            organization=organization,
            year=year,
            quarter=quarter,
            actor=request.user,
            today=today,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The figures were submitted; they stay as they are now."))
    query = f"?year={year}" + (f"&quarter={quarter}" if quarter else "&quarter=")
    return redirect(reverse("petitions:stats", args=[code]) + query)


# --- Surveys -----------------------------------------------------------------------------


@login_required
def survey_list_view(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code, action=Action.VIEW)
    may_manage = may_manage_surveys(organization)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                survey = services.survey_create(
                    organization=organization,
                    actor=request.user,
                    ip=client_ip(request),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                return redirect(survey)
    return render(
        request,
        "petitions/survey_list.html",
        {
            "organization": organization,
            "surveys": survey_list(organization=organization),
            "form": form,
            "may_manage": may_manage,
        },
        status=400 if request.method == "POST" else 200,
    )


def _public_url(request: AuthedRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("public:survey", args=[key]))


@login_required
def survey_detail(request: AuthedRequest, code: str, survey_id: int) -> HttpResponse:
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id)
    may_manage = may_manage_surveys(survey.organization)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST":
        survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id, manage=True)
        if form.is_valid():
            try:
                services.survey_question_add(
                    survey=survey,
                    actor=request.user,
                    ip=client_ip(request),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("The question was added."))
                return redirect(survey)
    return render(
        request,
        "petitions/survey_detail.html",
        {
            "organization": survey.organization,
            "survey": survey,
            "questions": survey_questions(survey=survey),
            "form": form,
            "may_manage": may_manage,
            "public_url": _public_url(request, survey.public_key),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def survey_question_delete(
    request: AuthedRequest, code: str, survey_id: int, question_id: int
) -> HttpResponse:
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    question = Question.objects.filter(pk=question_id, survey=survey).first()
    if question is None:
        raise Http404
    try:
        services.survey_question_delete(
            question=question, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(survey)


@login_required
def survey_status(request: AuthedRequest, code: str, survey_id: int) -> HttpResponse:
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    change = {"open": services.survey_open, "close": services.survey_close}.get(
        request.POST.get("to", "")
    )
    if change is None:
        messages.error(request, _("Unknown status change."))
        return redirect(survey)
    try:
        change(survey=survey, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The survey's status was changed."))
    return redirect(survey)


@login_required
def survey_results_view(request: AuthedRequest, code: str, survey_id: int) -> HttpResponse:
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id)
    total, results = survey_results(survey=survey)
    return render(
        request,
        "petitions/survey_results.html",
        {
            "organization": survey.organization,
            "survey": survey,
            "total": total,
            "results": results,
            "may_manage": may_manage_surveys(survey.organization),
        },
    )


@login_required
def survey_summary(request: AuthedRequest, code: str, survey_id: int) -> HttpResponse:
    """The coordinator writes what the survey found and what was done about it."""
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id, manage=True)
    form = forms.SurveySummaryForm(
        request.POST or None,
        initial={"result": survey.result, "actions_taken": survey.actions_taken},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_summarize(
                survey=survey,
                result=form.cleaned_data["result"],
                actions_taken=form.cleaned_data["actions_taken"],
                on=timezone.localdate(),
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("The survey's summary was saved."))
            return redirect("petitions:survey_results", code, survey.pk)
    return render(
        request,
        "petitions/survey_summary.html",
        {"organization": survey.organization, "survey": survey, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def survey_results_export(request: AuthedRequest, code: str, survey_id: int) -> HttpResponse:
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id)
    total, results = survey_results(survey=survey, max_texts=100_000)
    content = xlsx.survey_xlsx(
        title=survey.title,
        organization_name=survey.organization.name,
        total=total,
        results=results,
    )
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    filename = f"{survey.organization.code}-survey-{survey.pk}.xlsx"
    return file_headers(response, filename=filename)


@login_required
def survey_qr(request: AuthedRequest, code: str, survey_id: int) -> HttpResponse:
    survey = get_survey_for_user(user=request.user, code=code, survey_id=survey_id)
    response = HttpResponse(
        qr_svg(_public_url(request, survey.public_key)), content_type="image/svg+xml"
    )
    # Shown in the page as an image, or saved with ?download=1; either way a sandboxed file.
    inline = not request.GET.get("download")
    return file_headers(response, filename=f"survey-{survey.pk}-qr.svg", inline=inline)
