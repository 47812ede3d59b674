"""Report pages: the organization's reports, one report, one measure of it, the workflow,
downloads, the evidence bundle and comparisons.

Every view looks the report up through `get_report_for_user` (404 for outsiders) before
anything else, then asks `report_may` whether the user may press the button (403).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from shudarga.core.fragments import PageFragment
from shudarga.core.http import (
    AuthedRequest,
    client_ip,
    file_headers,
    stored_file_missing,
    stream_length,
)
from shudarga.core.models import Seal
from shudarga.core.selectors import seal_exists, seal_latest, seals_of_object
from shudarga.core.storage import open_stream
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    get_organization_for_user,
    has_children,
    subtree_change_stamp,
)
from shudarga.plans.models import Measure
from shudarga.reports import evaluation, services
from shudarga.reports.consolidated import consolidated_report
from shudarga.reports.documents import consolidated_docs, consolidated_xlsx
from shudarga.reports.documents.model import chart_svg
from shudarga.reports.exports import (
    ANNEX_FORMATS,
    ANNEXES,
    EXPORT_FORMATS,
    LAYOUTS,
    default_layout,
    report_export,
    report_filename,
)
from shudarga.reports.forms import (
    CommentForm,
    DueDateForm,
    ItemForm,
    ParentStepForm,
    ReportCreateForm,
    ReportPolicyForm,
    ScoreForm,
    TransitionForm,
)
from shudarga.reports.models import Report, ReportBundle
from shudarga.reports.periods import DEFAULT_PERIODS, PERIOD_CHOICES, PERIOD_KEYS, UI_LABELS
from shudarga.reports.ranking import descendant_ranking, ranking_approve, ranking_published
from shudarga.reports.sealing import report_seal_badge, report_seal_verify
from shudarga.reports.selectors import (
    compare_reports,
    four_eyes_refusal,
    get_report_for_user,
    get_report_measure,
    last_year_report,
    parent_four_eyes_refusal,
    plans_for_reports,
    report_history,
    report_item_comments,
    report_latest_bundle,
    report_list_for_organization,
    report_may,
    report_page,
    report_permissions,
    report_policy,
    report_title,
    reports_of_plan,
)
from shudarga.reports.tasks import build_report_bundle

# Bundles with more files than this are built in the background, with progress in the page.
DEFAULT_BUNDLE_SYNC_MAX_FILES = 50

# Which `report_may` action each workflow button needs. Reopening an approved report needs
# "approve"; sending back a submitted or reviewed one, "review" or "approve".
_TRANSITION_NEEDS = {"submit": ("edit",), "review": ("review",), "approve": ("approve",)}


def _may_any(report: Report, *whats: str) -> bool:
    return any(report_may(organization=report.plan.organization, what=w) for w in whats)


def _reopen_needs(report: Report) -> tuple[str, ...]:
    return ("approve",) if report.status == Report.Status.APPROVED else ("review", "approve")


def _transitions(report: Report, user: Any) -> tuple[list[tuple[str, str]], str | None]:
    """The workflow buttons this user may press on this report now, and why a button their
    role allows is not offered (the four-eyes rule), if that is so."""
    applies = {
        Report.Status.DRAFT: ["submit"],
        Report.Status.SUBMITTED: ["review", "reopen"],
        Report.Status.REVIEWED: ["approve", "reopen"],
        Report.Status.APPROVED: ["reopen"],
    }[report.status]
    labels = dict(TransitionForm.TRANSITIONS)
    buttons, held_back = [], None
    for name in applies:
        needs = _reopen_needs(report) if name == "reopen" else _TRANSITION_NEEDS[name]
        if not _may_any(report, *needs):
            continue
        if name in ("review", "approve") and (
            refusal := four_eyes_refusal(report=report, user=user, step=name)
        ):
            held_back = refusal
            continue
        buttons.append((name, str(labels[name])))
    return buttons, held_back


def _evaluates(report: Report) -> bool:
    """Whether the user scores this report for the parent body (a reviewer or leader of a
    parent body; the organization has a parent)."""
    organization = report.plan.organization
    return organization.parent_id is not None and organization.access.evaluates_as_parent


def _parent_open(report: Report, page: Any) -> bool:
    """Whether the parent body's evaluation may change now (report sent, not approved)."""
    ev = page.evaluation
    return report.status in evaluation.EVALUABLE and (ev is None or ev.status == ev.Status.OPEN)


def _parent_steps(report: Report, page: Any, user: Any) -> dict[str, Any] | None:
    """What the parent body's evaluator may do on the report page: return it, approve the
    evaluation (or why not: the four-eyes rule), or reopen the approved evaluation. None
    for everyone else."""
    if not _evaluates(report):
        return None
    ev = page.evaluation
    if ev is not None and ev.status == ev.Status.APPROVED:
        return {"reopen": True, "approve": False, "refusal": None}
    if not _parent_open(report, page):
        return None
    refusal = (
        parent_four_eyes_refusal(report=report, evaluation=page.evaluation, user=user)
        if page.evaluation is not None
        else None
    )
    return {
        "approve": page.evaluation is not None and refusal is None and not page.parent_unscored,
        "refusal": refusal,
    }


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def report_list(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    may_edit = report_may(organization=organization, what="edit")
    listed = report_list_for_organization(organization=organization)
    # The "create the default reports" button only while one of them is missing.
    plans = [
        (plan, summaries, not set(DEFAULT_PERIODS) <= {s.report.period for s in summaries})
        for plan, summaries in listed
    ]
    return render(
        request,
        "reports/report_list.html",
        {
            "organization": organization,
            "plans": plans,
            "may_edit": may_edit,
            "form": ReportCreateForm(plans=[plan for plan, _reports in listed])
            if may_edit
            else None,
        },
    )


@login_required
def report_create_view(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    if request.method != "POST":  # checked after the lookup: outsiders get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    if not report_may(organization=organization, what="edit"):
        raise PermissionDenied
    plans = list(plans_for_reports(organization=organization))
    if "defaults" in request.POST:
        plan = next((p for p in plans if str(p.pk) == request.POST.get("plan")), None)
        if plan is None:
            raise Http404
        plan.organization = organization
        created = services.report_create_defaults(
            plan=plan, actor=request.user, ip=client_ip(request)
        )
        messages.success(
            request,
            _("%(count)s reports were created, their texts drafted from the records.")
            % {"count": len(created)},
        )
        return redirect("reports:list", code)
    form = ReportCreateForm(request.POST, plans=plans)
    if form.is_valid():
        plan = form.cleaned_data["plan"]
        plan.organization = organization
        try:
            report = services.report_create(
                plan=plan,
                period=form.cleaned_data["period"],
                due_date=form.cleaned_data["due_date"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The report was created and its texts drafted."))
            return redirect(report)
    else:
        messages.error(request, _("Check the plan, period and due date."))
    return redirect("reports:list", code)


# Evidence items listed per measure on the report page; the measure's page lists them all.
EVIDENCE_SHOWN = 4


@login_required
def report_detail(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    organization = report.plan.organization
    access = organization.access
    # The parent body's own report may carry its descendants' consolidated report.
    offers_annex = (access.sees_descendants or access.approves_reports) and has_children(
        organization=organization
    )

    def compute() -> dict:
        # Read after the fragment's key (see `core.fragments`): the report as it is now.
        current = Report.objects.select_related("plan").get(pk=report.pk)
        current.plan.organization = organization
        page = report_page(report=current, evidence_per_measure=EVIDENCE_SHOWN)
        transitions, held_back = _transitions(current, request.user)
        return {
            "report": current,
            "parent_steps": _parent_steps(current, page, request.user),
            "transitions": transitions,
            "four_eyes_note": held_back,
            "policy": report_policy(organization_id=organization.pk),
            "seal_check": report_seal_badge(report=current, page=page),
            "page": page,
            "history": report_history(report=current),
            "bundle": report_latest_bundle(report=current),
            "chart": mark_safe(  # noqa: S308 - escaped inside
                chart_svg(
                    page.chart(),
                    width=560,
                    title=_("Implementation per goal, percent"),
                    label=_("Goal %(n)s"),
                )
            ),
            "due_form": DueDateForm(initial={"due_date": current.due_date}),
        }

    return render(
        request,
        "reports/report_detail.html",
        {
            "organization": organization,
            "report": report,
            "seal_url": reverse("reports:seal", args=[code, report.pk]),
            "title": report_title(year=report.plan.year),
            "period_label": UI_LABELS[report.period],
            "may": report_permissions(organization=organization),
            "export_formats": EXPORT_FORMATS,
            "layout_formats": ANNEX_FORMATS,
            "default_layout": default_layout(organization=organization),
            "offers_annex": offers_annex,
            # The workflow buttons depend on who did what (the four-eyes rule): the body
            # is kept per person, not only per role.
            "fragment": PageFragment(
                request=request,
                name="report",
                organization=organization,
                compute=compute,
                vary=(
                    report.pk,
                    request.user.pk,
                    offers_annex,
                    default_layout(organization=organization),
                ),
                keep=not seal_exists(kind=Seal.Kind.REPORT, object_id=report.pk),
            ),
        },
    )


def _measure_page(
    request: AuthedRequest,
    report: Report,
    measure: Measure,
    *,
    item_form: ItemForm | None = None,
    score_form: ScoreForm | None = None,
    parent_form: ScoreForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """One measure of a report: its text and self-assessment, its score and the comments;
    the forms post to the views below and come back here, bound, when they are refused."""
    organization = report.plan.organization
    page = report_page(report=report)
    rows = page.rows
    index = next(i for i, r in enumerate(rows) if r.measure.pk == measure.pk)
    row = rows[index]
    may = report_permissions(organization=organization)
    if item_form is None:
        item_form = ItemForm(initial=ItemForm.initial_for(row.item))
    if score_form is None:
        score_form = ScoreForm(
            initial={
                "score": "" if row.item is None or row.item.score is None else str(row.item.score),
                "comment": row.item.score_comment if row.item else "",
            }
        )
    if parent_form is None:
        parent_form = ScoreForm(
            prefix="parent",
            initial={
                "score": ""
                if row.item is None or row.item.parent_score is None
                else str(row.item.parent_score),
                "comment": row.item.parent_comment if row.item else "",
            },
        )
    score_refusal = (
        four_eyes_refusal(report=report, user=request.user, step="score")
        if report.status in (Report.Status.SUBMITTED, Report.Status.REVIEWED) and may["review"]
        else None
    )
    return render(
        request,
        "reports/report_measure.html",
        {
            "organization": organization,
            "report": report,
            "page": page,
            "row": row,
            "measure": measure,
            "previous": rows[index - 1] if index > 0 else None,
            "next": rows[index + 1] if index + 1 < len(rows) else None,
            "comments": report_item_comments(report=report, measure=measure).select_related(
                "author"
            ),
            "may": may,
            "editable": report.status == Report.Status.DRAFT and may["edit"],
            "scorable": report.status in (Report.Status.SUBMITTED, Report.Status.REVIEWED)
            and may["review"]
            and row.due
            and score_refusal is None,
            "score_refusal": score_refusal,
            "parent_scorable": _evaluates(report) and row.due and _parent_open(report, page),
            "commentable": not report.is_locked and may["comment"],
            "item_form": item_form,
            "score_form": score_form,
            "parent_form": parent_form,
            "comment_form": comment_form or CommentForm(),
        },
        status=status,
    )


@login_required
def report_measure(
    request: AuthedRequest, code: str, report_id: int, measure_id: int
) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    measure = get_report_measure(report=report, measure_id=measure_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _measure_page(request, report, measure)


def _measure_for_action(
    request: AuthedRequest, code: str, report_id: int, measure_id: int, what: str
) -> tuple[Report, Measure]:
    """The report and measure an action posts to: 404 for outsiders, 403 unless the user
    may `what` ("edit", "review", "comment"), then only POST (405)."""
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    measure = get_report_measure(report=report, measure_id=measure_id)
    allowed = (
        _evaluates(report)
        if what == "parent"
        else report_may(organization=report.plan.organization, what=what)
    )
    if not allowed:
        raise PermissionDenied
    if request.method != "POST":
        raise _NotAllowed
    return report, measure


class _NotAllowed(Exception):
    """The action views answer only POST."""


def _refused(
    request: AuthedRequest,
    report: Report,
    measure: Measure,
    exc: ValidationError,
    form_name: str | None = None,
    form: Any = None,
) -> HttpResponse:
    """A service's refusal: next to the fields it names when it names some, else a message
    on the measure's page (a locked or submitted report may show no form at all)."""
    if form is None or not hasattr(exc, "error_dict"):
        messages.error(request, _errors(exc))
        return redirect(_measure_url(report, measure))
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
    return _measure_page(request, report, measure, status=400, **{form_name: form})


def _measure_url(report: Report, measure: Measure) -> str:
    return reverse("reports:measure", args=[report.plan.organization.code, report.pk, measure.pk])


def _action_view(what: str):
    """Decorate an action view: the lookups and checks of `_measure_for_action`."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(
            request: AuthedRequest, code: str, report_id: int, measure_id: int
        ) -> HttpResponse:
            try:
                report, measure = _measure_for_action(request, code, report_id, measure_id, what)
            except _NotAllowed:
                return HttpResponseNotAllowed(["POST"])
            return view(request, report, measure)

        return wrapper

    return decorate


@_action_view("edit")
def report_measure_save(request: AuthedRequest, report: Report, measure: Measure) -> HttpResponse:
    """Save the measure's implementation text, self-assessment and level reached."""
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _measure_page(request, report, measure, item_form=form, status=400)
    try:
        services.report_item_save(
            report=report, measure=measure, actor=request.user, ip=client_ip(request),
            **form.cleaned_data,
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, report, measure, exc, "item_form", form)
    messages.success(request, _("Saved."))
    return redirect(_measure_url(report, measure))


@_action_view("edit")
def report_measure_redraft(
    request: AuthedRequest, report: Report, measure: Measure
) -> HttpResponse:
    """Draft the measure's text again from the period's records."""
    try:
        services.report_redraft(
            report=report, measure=measure, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as exc:
        return _refused(request, report, measure, exc)
    messages.success(request, _("The text was drafted again from the records."))
    return redirect(_measure_url(report, measure))


@_action_view("review")
def report_measure_score(request: AuthedRequest, report: Report, measure: Measure) -> HttpResponse:
    """The reviewer's score of the measure, with a comment."""
    form = ScoreForm(request.POST)
    if not form.is_valid():
        return _measure_page(request, report, measure, score_form=form, status=400)
    try:
        services.report_item_score(
            report=report, measure=measure, actor=request.user,
            score=form.cleaned_data["score"], comment=form.cleaned_data["comment"],
            ip=client_ip(request),
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, report, measure, exc, "score_form", form)
    messages.success(request, _("The score was saved."))
    return redirect(_measure_url(report, measure))


@_action_view("parent")
def report_measure_parent_score(
    request: AuthedRequest, report: Report, measure: Measure
) -> HttpResponse:
    """The parent body's score of the measure, with a comment (issue 18)."""
    form = ScoreForm(request.POST, prefix="parent")
    if not form.is_valid():
        return _measure_page(request, report, measure, parent_form=form, status=400)
    try:
        evaluation.report_item_parent_score(
            report=report, measure=measure, actor=request.user,
            score=form.cleaned_data["score"], comment=form.cleaned_data["comment"],
            ip=client_ip(request),
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, report, measure, exc, "parent_form", form)
    messages.success(request, _("The parent body's score was saved."))
    return redirect(_measure_url(report, measure))


@_action_view("comment")
def report_measure_comment(
    request: AuthedRequest, report: Report, measure: Measure
) -> HttpResponse:
    """A note between the reviewer and the officer about this measure."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _measure_page(request, report, measure, comment_form=form, status=400)
    try:
        services.report_comment_add(
            report=report, measure=measure, actor=request.user,
            text=form.cleaned_data["text"], ip=client_ip(request),
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(request, report, measure, exc, "comment_form", form)
    return redirect(f"{_measure_url(report, measure)}#comments")


@login_required
def report_transition(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _may_any(report, "edit", "review", "approve"):
        raise PermissionDenied  # auditors press no workflow button, valid or not
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown report status change."))
        return redirect(report)
    transition = form.cleaned_data["transition"]
    needs = _reopen_needs(report) if transition == "reopen" else _TRANSITION_NEEDS[transition]
    if not _may_any(report, *needs):
        raise PermissionDenied
    try:
        if transition == "reopen":
            services.report_reopen(
                report=report,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        else:
            services.TRANSITIONS[transition](
                report=report, actor=request.user, ip=client_ip(request)
            )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The report's status was changed."))
    return redirect(report)


@login_required
def report_parent_step(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    """The parent body returns the report for correction, approves its evaluation or
    reopens the approved evaluation."""
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _evaluates(report):
        raise PermissionDenied
    form = ParentStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown step of the parent body's evaluation."))
        return redirect(report)
    try:
        if form.cleaned_data["step"] == "return":
            evaluation.parent_evaluation_return(
                report=report,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
            messages.success(request, _("The report was returned to the organization."))
        elif form.cleaned_data["step"] == "reopen":
            evaluation.parent_evaluation_reopen(
                report=report,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
            messages.success(
                request, _("The evaluation was reopened; approve it again when it is done.")
            )
        else:
            evaluation.parent_evaluation_approve(
                report=report, actor=request.user, ip=client_ip(request)
            )
            messages.success(request, _("The parent body's evaluation was approved and sealed."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(report)


@login_required
def report_redraft_view(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not report_may(organization=report.plan.organization, what="edit"):
        raise PermissionDenied
    try:
        count = services.report_redraft(report=report, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(count)s texts were drafted again; texts edited by a person were kept.")
            % {"count": count},
        )
    return redirect(report)


@login_required
def report_due_date(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not report_may(organization=report.plan.organization, what="edit"):
        raise PermissionDenied
    form = DueDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect(report)
    try:
        services.report_set_due_date(
            report=report,
            due_date=form.cleaned_data["due_date"],
            actor=request.user,
            ip=client_ip(request),
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The due date was changed."))
    return redirect(report)


@login_required
def report_export_view(request: AuthedRequest, code: str, report_id: int, fmt: str) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    # Without `?layout=` the organization's default: national where it has a parent body.
    layout = request.GET.get("layout") or default_layout(organization=report.plan.organization)
    annex = request.GET.get("annex") or None
    if fmt not in EXPORT_FORMATS or layout not in LAYOUTS or annex not in ANNEXES:
        raise Http404
    if annex is not None:
        if fmt not in ANNEX_FORMATS:
            raise Http404
        # The annex is the consolidated report: those who may read that page may have it.
        _require_consolidated(report.plan.organization.access)
    exported = report_export(report=report, fmt=fmt, layout=layout, annex=annex)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    return file_headers(response, filename=exported.filename)


@login_required
def report_seal_view(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    """The report's seal in force compared with the report and the evidence rows (not the
    files' bytes: `verify_seal` reads those), and its history of seals."""
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    seal = seal_latest(kind=Seal.Kind.REPORT, object_id=report.pk)
    return render(
        request,
        "reports/report_seal.html",
        {
            "organization": report.plan.organization,
            "object_title": f"{report.plan.title} · {report.get_period_display()}",
            "back_url": report.get_absolute_url(),
            "check": report_seal_verify(seal=seal, rehash=False) if seal is not None else None,
            "seals": seals_of_object(kind=Seal.Kind.REPORT, object_id=report.pk),
            "unsealed_text": _(
                "This report has not been sealed: a report is sealed when it is approved."
            ),
        },
    )


@login_required
def report_compare(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    against = request.GET.get("against", "periods")
    if against == "last_year":
        previous = last_year_report(report=report)
        reports = [report] if previous is None else [report, previous]
        missing = previous is None
    else:
        against, reports, missing = "periods", reports_of_plan(report=report), False
    return render(
        request,
        "reports/report_compare.html",
        {
            "organization": report.plan.organization,
            "report": report,
            "against": against,
            "missing": missing,
            "comparison": compare_reports(reports=reports),
        },
    )


# -- the evidence bundle ------------------------------------------------------------------


@login_required
def report_bundle(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    """GET: the bundle's state (the htmx partial polls it). POST: build a new bundle."""
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    if request.method == "POST":
        try:
            bundle = services.bundle_request(
                report=report, actor=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect(report)
        limit = getattr(settings, "REPORT_BUNDLE_SYNC_MAX_FILES", DEFAULT_BUNDLE_SYNC_MAX_FILES)
        if bundle.total <= limit:
            try:
                services.bundle_build(bundle=bundle)
            except Exception:
                messages.error(request, _("The bundle could not be built; try again."))
            else:
                messages.success(request, _("The evidence bundle is ready."))
        else:
            # The task worker builds it (TASKS); the page polls the bundle row's progress.
            transaction.on_commit(lambda: build_report_bundle.enqueue(bundle_id=bundle.pk))
            messages.info(
                request, _("The evidence bundle is being built; this page shows its progress.")
            )
        return redirect(f"{report.get_absolute_url()}#bundle")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "reports/_bundle.html",
        {
            "organization": report.plan.organization,
            "report": report,
            "bundle": report_latest_bundle(report=report),
        },
    )


@login_required
def report_bundle_download(request: AuthedRequest, code: str, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, code=code, report_id=report_id)
    bundle = report_latest_bundle(report=report)
    if bundle is None or bundle.status != ReportBundle.Status.DONE or not bundle.file:
        raise Http404
    try:
        handle = open_stream(bundle.file.storage, bundle.file.name)
    except FileNotFoundError:
        return stored_file_missing(
            request,
            name=bundle.file.name,
            heading=_("The evidence bundle's file is missing"),
            message=_(
                "The bundle was built, but its file is no longer in the file storage. Build "
                "the bundle again on the report's page; if this happens again, tell the "
                "system administrator."
            ),
            back_url=f"{report.get_absolute_url()}#bundle",
            back_label=_("Back to the report"),
            context={"organization": report.plan.organization},
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report_filename(report=report, suffix="zip").replace("-report-", "-bundle-"),
        content_type="application/zip",
    )
    return file_headers(stream_length(response, handle))


# -- the parent body's ranking of its descendants (issue 18) -----------------------------


RANKING_PAGE_SIZE = 100  # organizations a page of the ranking and consolidated report


def _ranking_choice(request: AuthedRequest) -> tuple[int, str]:
    """The year and period asked for (`?year=2023&period=year`); this year's year report
    when missing or malformed."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        year = int(data.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    period = data.get("period", "year")
    return year, period if period in PERIOD_KEYS else "year"


@login_required
def report_ranking(request: AuthedRequest, code: str) -> HttpResponse:
    """The organization's descendants ranked by its percent of their reports (GET), and
    approving that ranking for the public portal (POST: a reviewer or leader)."""
    organization = get_organization_for_user(user=request.user, code=code)
    access = organization.access
    if not (access.sees_descendants or access.approves_reports):
        raise PermissionDenied
    year, period = _ranking_choice(request)
    if request.method == "POST":
        ranking = descendant_ranking(organization=organization, year=year, period=period)
        if not access.approves_reports:
            raise PermissionDenied
        try:
            ranking_approve(ranking=ranking, actor=request.user, ip=client_ip(request))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The ranking was approved and published on the portal."))
        return redirect(f"{reverse('reports:ranking', args=[code])}?year={year}&period={period}")
    page = request.GET.get("page")

    def compute() -> dict:
        ranking = descendant_ranking(organization=organization, year=year, period=period)
        published = ranking_published(organization=organization)
        return {
            "ranking": ranking,
            # Thousands of organizations under a national body: the page shows a hundred at
            # a time, the ranking's order and ranks are the whole list's.
            "page_obj": Paginator(ranking.rows, RANKING_PAGE_SIZE).get_page(page),
            "may_approve": access.approves_reports and bool(ranking.rows),
            "approved": next((a for a in published if (a.year, a.period) == (year, period)), None),
        }

    return render(
        request,
        "reports/report_ranking.html",
        {
            "organization": organization,
            "periods": PERIOD_CHOICES,
            "fragment": PageFragment(
                request=request,
                name="ranking",
                organization=organization,
                compute=compute,
                vary=(year, period, page),
                stamp=lambda: subtree_change_stamp(organization=organization),
            ),
        },
    )


def _require_consolidated(access: Any) -> None:
    """403 unless the person reads the organization's consolidated report: those who see
    its descendants or approve its reports."""
    if not (access.sees_descendants or access.approves_reports):
        raise PermissionDenied


_CONSOLIDATED_FORMATS = {
    "docx": (
        consolidated_docs.write_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        consolidated_xlsx.write,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (consolidated_docs.write_pdf, "application/pdf"),
}


@login_required
def report_consolidated(request: AuthedRequest, code: str) -> HttpResponse:
    """The consolidated report of the organization's descendants for a year and period
    (`?fmt=docx|xlsx|pdf` downloads it). Read by those who see the descendants or approve
    reports."""
    organization = get_organization_for_user(user=request.user, code=code)
    _require_consolidated(organization.access)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    year, period = _ranking_choice(request)
    fmt = request.GET.get("fmt", "")
    if fmt in _CONSOLIDATED_FORMATS:
        consolidated = consolidated_report(organization=organization, year=year, period=period)
        write, content_type = _CONSOLIDATED_FORMATS[fmt]
        response = HttpResponse(write(consolidated), content_type=content_type)
        return file_headers(response, filename=f"{code}-{year}-{period}-consolidated.{fmt}")
    page = request.GET.get("page")

    def compute() -> dict:
        consolidated = consolidated_report(organization=organization, year=year, period=period)
        return {
            "c": consolidated,
            "page_obj": Paginator(consolidated.rows, RANKING_PAGE_SIZE).get_page(page),
        }

    return render(
        request,
        "reports/report_consolidated.html",
        {
            "organization": organization,
            "periods": PERIOD_CHOICES,
            "formats": list(_CONSOLIDATED_FORMATS),
            "fragment": PageFragment(
                request=request,
                name="consolidated",
                organization=organization,
                compute=compute,
                vary=(year, period, page),
                stamp=lambda: subtree_change_stamp(organization=organization),
            ),
        },
    )


# -- the organization's report rules ------------------------------------------------------


@login_required
def report_rules(request: AuthedRequest, code: str) -> HttpResponse:
    """The organization's report rules (the four-eyes rule): every member reads them; the
    leader changes them, with a reason to turn the rule off."""
    organization = get_organization_for_user(user=request.user, code=code)
    may_change = organization.access.may(Action.SET_REPORT_RULES)
    policy = report_policy(organization_id=organization.pk)
    form = ReportPolicyForm(
        request.POST or None, initial={"four_eyes": policy is None or policy.four_eyes}
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.report_policy_set(
                    organization=organization,
                    four_eyes=form.cleaned_data["four_eyes"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The report rules were saved."))
                return redirect("reports:rules", organization.code)
    return render(
        request,
        "reports/report_rules.html",
        {"organization": organization, "policy": policy, "form": form, "may_change": may_change},
        status=400 if form.errors else 200,
    )
