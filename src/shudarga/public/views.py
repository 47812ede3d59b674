"""The public portal, without sign-in: organizations and their published plans, the petition
form and tracking, the satisfaction survey.

Nothing here shows personal data: the petition pages show a tracking code once to the
person who filed, and by code only the status and dates. Forms that write are protected by
CSRF, per-address rate limits (core.ratelimit), size limits and a honeypot field.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shudarga.core.anchors import anchor_dict
from shudarga.core.http import client_ip, file_headers
from shudarga.core.ratelimit import rate_limit_hit
from shudarga.core.selectors import audit_anchors_published
from shudarga.petitions.models import Petition, Survey
from shudarga.petitions.selectors import (
    open_surveys,
    petition_for_tracking_code,
    survey_for_public,
    survey_questions,
)
from shudarga.petitions.services import SurveyClosed, petition_register, survey_submit
from shudarga.petitions.statistics import public_year_figures
from shudarga.petitions.validators import format_tracking_code
from shudarga.plans.exports import plan_export
from shudarga.plans.sealing import plan_seal_badge
from shudarga.plans.selectors import plan_to_document
from shudarga.plans.table import plan_table_context
from shudarga.public.forms import PublicPetitionForm, SurveyAnswerForm, TrackForm
from shudarga.public.selectors import (
    get_public_organization,
    get_public_report,
    get_published_plan,
    public_organizations,
    published_plans,
)
from shudarga.reports.ranking import ranking_published
from shudarga.reports.selectors import report_list_for_organization, report_page

PAGE_SIZE = 50
TRANSPARENCY_MAX = 5000  # anchors in the JSON: more than thirteen years of daily anchors
PUBLIC_FORMATS = ("docx", "xlsx")
SURVEY_COOKIE_SALT = "shudarga.public.survey"
SURVEY_COOKIE_AGE = 365 * 24 * 3600
_FILED_KEY = "public_filed_code"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "public/too_many.html", status=429)


def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = Paginator(public_organizations(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/index.html", {"page_obj": page, "q": q})


def organization(request: HttpRequest, code: str) -> HttpResponse:
    org = get_public_organization(code=code)
    surveys = open_surveys(organization=org)
    # Only approved reports of published plans are public; drafts and reviews are not.
    scores = [
        (plan, [s for s in summaries if s.report.status == "approved"])
        for plan, summaries in report_list_for_organization(organization=org)
        if plan.status == "published"
    ]
    return render(
        request,
        "public/organization.html",
        {
            "org": org,
            "plans": published_plans(organization=org),
            "surveys": surveys,
            "scores": [(plan, summaries) for plan, summaries in scores if summaries],
            # The parent body's rankings of its descendants, as it approved them (issue 18).
            "rankings": ranking_published(organization=org),
            "petition_years": public_year_figures(
                organization_id=org.pk, today=timezone.localdate()
            ),
        },
    )


def report_detail(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    """An approved report of a published plan, as it was approved: each measure's
    implementation text, its score, the goals' and the plan's percent."""
    org = get_public_organization(code=code)
    report = get_public_report(organization=org, report_id=report_id)
    return render(
        request,
        "public/report.html",
        {"org": org, "report": report, "page": report_page(report=report, with_evidence=False)},
    )


def plan_detail(request: HttpRequest, code: str, plan_id: int) -> HttpResponse:
    org = get_public_organization(code=code)
    plan = get_published_plan(organization=org, plan_id=plan_id)
    document = plan_to_document(plan=plan)
    return render(
        request,
        "public/plan.html",
        {
            **plan_table_context(document),
            "seal_check": plan_seal_badge(plan=plan, document=document),
            "org": org,
            "plan": plan,
            "formats": PUBLIC_FORMATS,
        },
    )


def plan_download(request: HttpRequest, code: str, plan_id: int, fmt: str) -> HttpResponse:
    if fmt not in PUBLIC_FORMATS:
        raise Http404
    org = get_public_organization(code=code)
    plan = get_published_plan(organization=org, plan_id=plan_id)
    exported = plan_export(plan=plan, fmt=fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    return file_headers(response, filename=exported.filename)


@never_cache
@require_http_methods(["GET", "POST"])
def petition_new(request: HttpRequest, code: str) -> HttpResponse:
    org = get_public_organization(code=code)
    if request.method == "POST" and not rate_limit_hit(scope="petition", ip=client_ip(request)):
        return _too_many(request)
    form = PublicPetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_bot:
            # Look like success to the bot; nothing is saved.
            return render(request, "public/petition_filed.html", {"org": org, "code": None})
        if form.is_valid():
            try:
                registered = petition_register(
                    organization=org,
                    received_on=timezone.localdate(),
                    channel=Petition.Channel.WEBSITE,
                    actor=None,
                    ip=client_ip(request),
                    **form.petition_data(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[_FILED_KEY] = [org.code, registered.tracking_code]
                return redirect("public:petition_filed")
    return render(
        request,
        "public/petition_form.html",
        {"org": org, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def petition_filed(request: HttpRequest) -> HttpResponse:
    """Shows the new tracking code once: it is taken out of the session as it is shown."""
    filed = request.session.pop(_FILED_KEY, None)
    if not filed:
        return redirect("public:track")
    org = get_public_organization(code=filed[0])
    return render(
        request,
        "public/petition_filed.html",
        {"org": org, "code": format_tracking_code(filed[1])},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Status by tracking code. The code is sent by POST so it stays out of addresses,
    logs and browser history; every lookup counts against the address's limit."""
    form = TrackForm(request.POST or None)
    petition = None
    not_found = False
    if request.method == "POST":
        if not rate_limit_hit(scope="track", ip=client_ip(request)):
            return _too_many(request)
        if form.is_valid():
            petition = petition_for_tracking_code(code=form.cleaned_data["code"])
            not_found = petition is None
    status = _public_status(petition) if petition else None
    return render(
        request,
        "public/track.html",
        {"form": form, "status": status, "not_found": not_found},
        status=404 if not_found else 200,
    )


def _public_status(petition: Petition) -> dict[str, object]:
    """All that the status page may show: status, dates, deadline. Nothing else."""
    return {
        "status": petition.get_status_display(),
        "status_key": petition.status,
        "received_on": petition.received_on,
        "due_on": petition.due_on,
        "answered_on": petition.answered_on,
        "resolved_on": petition.resolved_on,
    }


def _survey_cookie(survey: Survey) -> str:
    return f"shudarga_survey_{survey.pk}"


def _answered(request: HttpRequest, survey: Survey) -> bool:
    return (
        request.get_signed_cookie(_survey_cookie(survey), default=None, salt=SURVEY_COOKIE_SALT)
        is not None
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, key: str) -> HttpResponse:
    found = survey_for_public(key=key)
    if found is None:
        raise Http404
    if found.status != Survey.Status.OPEN:
        return render(
            request,
            "public/survey_closed.html",
            {"survey": found},
            status=410 if request.method == "POST" else 200,
        )
    if _answered(request, found):
        return render(request, "public/survey_thanks.html", {"survey": found, "again": True})
    questions = survey_questions(survey=found)
    form = SurveyAnswerForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not rate_limit_hit(scope="survey", ip=client_ip(request)):
            return _too_many(request)
        if form.is_valid():
            try:
                survey_submit(survey=found, answers=form.answers())
            except SurveyClosed:
                return render(request, "public/survey_closed.html", {"survey": found}, status=410)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                response = render(request, "public/survey_thanks.html", {"survey": found})
                response.set_signed_cookie(
                    _survey_cookie(found),
                    timezone.localdate().isoformat(),  # a marker; its signature matters
                    salt=SURVEY_COOKIE_SALT,
                    max_age=SURVEY_COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
                return response
    return render(
        request,
        "public/survey.html",
        {"survey": found, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- transparency ---------------------------------------------------------------------------


def transparency(request: HttpRequest) -> HttpResponse:
    """The audit chain's daily anchors, newest first, for anyone to read and keep: a copy
    kept outside this server lets anyone later show that history was rewritten."""
    page = Paginator(audit_anchors_published(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/transparency.html", {"page_obj": page})


def transparency_json(request: HttpRequest) -> HttpResponseBase:
    """The same anchors as a JSON file (`{"anchors": […]}`, oldest first), in the form
    `shudarga verify_audit --anchors FILE` reads."""
    anchors = [anchor_dict(row) for row in audit_anchors_published().reverse()[:TRANSPARENCY_MAX]]
    return file_headers(JsonResponse({"anchors": anchors}), filename="shudarga-audit-anchors.json")
