"""Dashboard pages: the organization at a glance, the parent body's view, the deadline
calendar and its personal iCalendar feed, notifications, and the year rollover."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shudarga.core import charts
from shudarga.core.fragments import PageFragment
from shudarga.core.http import AuthedRequest, client_ip, file_headers
from shudarga.criteria.rules import Status
from shudarga.criteria.selectors import survey_stamp
from shudarga.dashboards import ical, xlsx
from shudarga.dashboards.forms import CalendarFilterForm, ChildrenFilterForm, RolloverForm
from shudarga.dashboards.inbox import inbox_for_user
from shudarga.dashboards.search import organization_search
from shudarga.dashboards.selectors import (
    Dashboard,
    calendar_feed_for_token,
    calendar_feed_for_user,
    obligations,
    organization_dashboard,
    parent_overview,
    previous_year_plan,
    rollover_comparison,
)
from shudarga.dashboards.services import (
    calendar_feed_create,
    calendar_feed_revoke,
    overdue_notify,
    plan_rollover,
)
from shudarga.notifications.selectors import notifications_for_user
from shudarga.notifications.services import notifications_mark_read
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Action
from shudarga.organizations.selectors import (
    get_organization_for_user,
    organization_people,
    organizations_for_user,
    subtree_change_stamp,
)
from shudarga.plans.selectors import get_plan_for_user

FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 400


def _parent_for_user(user: object, code: str) -> Organization:
    """Organization `code` for its parent body's view: 404 for outsiders, 403 for a member
    whose role does not open descendants (only auditors and leaders see them)."""
    organization = get_organization_for_user(user=user, code=code)
    if not organization.access.sees_descendants:
        raise PermissionDenied
    return organization


def _chart_data(board: Dashboard) -> tuple[list[charts.Bar], list[charts.Slice]]:
    bars = [charts.Bar(label=_("Goal %(n)s") % {"n": g.goal.number}, percent=g.percent)
            for g in board.goals]  # fmt: skip
    labels = {
        Status.MET: _("Met"),
        Status.NOT_MET: _("Not met"),
        Status.NOT_YET_DUE: _("Not yet due"),
        Status.NOTHING_TO_CHECK: _("Nothing to check"),
        Status.MANUAL: _("Judged by people"),
    }
    keys = {status: status for status in labels}
    slices = [
        charts.Slice(key=keys[s], label=labels[s], count=board.counts.get(s, 0)) for s in labels
    ]
    return bars, slices


def _center(board: Dashboard) -> str:
    return f"{board.percent_text}%" if board.percent is not None else board.percent_text


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    """Each person's start page: what waits for them by role, then their own measures.
    Overdue petitions and reports found here are notified (once each) on the way."""
    today = timezone.localdate()
    inbox = inbox_for_user(user=request.user, today=today)
    overdue_notify(inbox=inbox, user=request.user)
    return render(
        request,
        "dashboards/my_work.html",
        {
            "inbox": inbox,
            "items": inbox.measures,
            "organizations": list(
                organizations_for_user(user=request.user).select_related("parent").order_by("path")
            ),
        },
    )


@login_required
def search(request: AuthedRequest, code: str) -> HttpResponse:
    """The search box's page: measures, register rows, evidence and petitions of the
    organization that match, within what the person may see there."""
    organization = get_organization_for_user(user=request.user, code=code)
    q = request.GET.get("q", "")
    return render(
        request,
        "dashboards/search.html",
        {
            "organization": organization,
            "q": q,
            "results": organization_search(
                organization=organization, q=q, today=timezone.localdate()
            ),
        },
    )


@login_required
def dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    sees_children = organization.access.sees_descendants and organization.children.exists()

    def compute() -> dict:
        board = organization_dashboard(organization=organization, today=timezone.localdate())
        bars, slices = _chart_data(board)
        return {
            "board": board,
            "bars_svg": charts.bars_svg(bars, title=_("Criteria met per goal")),
            "donut_svg": charts.donut_svg(
                slices, title=_("Criteria by status"), center=_center(board)
            ),
        }

    return render(
        request,
        "dashboards/dashboard.html",
        {
            "organization": organization,
            "sees_children": sees_children,
            "fragment": PageFragment(
                request=request,
                name="dashboard",
                organization=organization,
                compute=compute,
                vary=(sees_children,),
                stamps=lambda: survey_stamp(organization_id=organization.pk),
            ),
        },
    )


@login_required
def chart_goals(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    """The bars of criteria met per goal as an SVG or PNG file, for documents."""
    return _chart(request, code, "goals", fmt)


@login_required
def chart_criteria(request: AuthedRequest, code: str, fmt: str) -> HttpResponse:
    """The donut of criteria statuses as an SVG or PNG file, for documents."""
    return _chart(request, code, "criteria", fmt)


def _chart(request: AuthedRequest, code: str, name: str, fmt: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    if fmt not in {"svg", "png"}:
        raise Http404
    board = organization_dashboard(organization=organization, today=timezone.localdate())
    bars, slices = _chart_data(board)
    if name == "goals":
        title = _("Criteria met per goal")
        body = charts.bars_svg(bars, title=title) if fmt == "svg" else charts.bars_png(bars)
    else:
        title = _("Criteria by status")
        body = (
            charts.donut_svg(slices, title=title, center=_center(board))
            if fmt == "svg"
            else charts.donut_png(slices, center=_center(board))
        )
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{organization.code}-{name}-{board.today:%Y%m%d}.{fmt}"
    return file_headers(response, filename=filename)


# Rows of the parent view per page; the XLSX export has them all.
CHILDREN_PER_PAGE = 50


def _overview(request: AuthedRequest, organization: Organization, *, paginate: bool = True):
    form = ChildrenFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    overview = parent_overview(
        organization=organization,
        today=timezone.localdate(),
        q=params.get("q", ""),
        plan_status=params.get("plan_status", ""),
        late_only=params.get("late", False),
        sort=params.get("sort") or "name",
        descending=params.get("desc", False),
        page=request.GET.get("page") or 1,
        per_page=CHILDREN_PER_PAGE if paginate else None,
    )
    return form, overview


@login_required
def children(request: AuthedRequest, code: str) -> HttpResponse:
    organization = _parent_for_user(request.user, code)
    form = ChildrenFilterForm(request.GET or None)
    query = request.GET.copy()
    sort_links = {}
    for key in ("name", "plan", "report", "score", "measures", "petitions"):
        q = query.copy()
        q.pop("page", None)  # another order starts on its first page
        q["sort"] = key
        current = form.is_valid() and form.cleaned_data.get("sort") == key
        q["desc"] = "" if current and form.cleaned_data.get("desc") else "1"
        sort_links[key] = q.urlencode()
    return render(
        request,
        "dashboards/children.html",
        {
            "organization": organization,
            "form": form,
            "sort_links": sort_links,
            "export_query": request.GET.urlencode(),
            # The descendants' rows change with any of them: the body is kept per change
            # anywhere below, and per filter, sort and page.
            "fragment": PageFragment(
                request=request,
                name="children",
                organization=organization,
                compute=lambda: {"overview": _overview(request, organization)[1]},
                vary=(tuple(sorted(request.GET.lists())),),
                stamp=lambda: subtree_change_stamp(organization=organization),
            ),
        },
    )


@login_required
def children_xlsx(request: AuthedRequest, code: str) -> HttpResponse:
    organization = _parent_for_user(request.user, code)
    _form, overview = _overview(request, organization, paginate=False)
    response = HttpResponse(
        xlsx.overview_workbook(overview),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{organization.code}-children-{overview.today:%Y%m%d}.xlsx"
    return file_headers(response, filename=filename)


@login_required
def calendar(request: AuthedRequest, code: str) -> HttpResponse:
    organization = get_organization_for_user(user=request.user, code=code)
    today = timezone.localdate()
    scope = [organization]
    if organization.access.sees_descendants:
        scope += list(
            Organization.objects.filter(path__startswith=organization.path)
            .exclude(pk=organization.pk)
            .order_by("name")
        )
    people = list(organization_people(organization=organization))
    form = CalendarFilterForm(request.GET or None, organizations=scope, people=people)
    params = form.cleaned_data if form.is_valid() else {}
    month = params.get("month") or today.replace(day=1)
    chosen = params.get("organization")
    orgs = [o for o in scope if chosen is None or o.pk == chosen.pk]
    first = month.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    items = obligations(
        organizations=orgs, date_from=first, date_to=last, person=params.get("person")
    )
    by_day: dict[dt.date, list] = {}
    for item in items:
        by_day.setdefault(item.day, []).append(item)
    weeks = [
        [(day, by_day.get(day, []), day.month == first.month) for day in week]
        for week in pycalendar.Calendar().monthdatescalendar(first.year, first.month)
    ]
    organization_feed = calendar_feed_for_user(user=request.user, organization=organization)
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = last + dt.timedelta(days=1)
    nav = request.GET.copy()
    nav["month"] = f"{prev_month:%Y-%m}"
    prev_query = nav.urlencode()
    nav["month"] = f"{next_month:%Y-%m}"
    next_query = nav.urlencode()
    return render(
        request,
        "dashboards/calendar.html",
        {
            "organization": organization,
            "form": form,
            "month": first,
            "items": items,
            "weeks": weeks,
            "today": today,
            "prev_query": prev_query,
            "next_query": next_query,
            "feed": calendar_feed_for_user(user=request.user),
            "organization_feed": organization_feed,
            "organization_feed_url": (
                request.build_absolute_uri(f"/ical/{organization_feed.token}.ics")
                if organization_feed
                else ""
            ),
        },
    )


@require_POST
@login_required
def feed(request: AuthedRequest) -> HttpResponse:
    """Make a new feed URL (revoking the old one) or revoke it: the person's own, or with
    `organization` (a code the person may see, 404 otherwise) that organization's."""
    code = request.POST.get("organization", "")
    organization = get_organization_for_user(user=request.user, code=code) if code else None
    if request.POST.get("action") == "revoke":
        calendar_feed_revoke(user=request.user, organization=organization, ip=client_ip(request))
        messages.success(request, _("The calendar address no longer works."))
    else:
        made = calendar_feed_create(
            user=request.user, organization=organization, ip=client_ip(request)
        )
        messages.success(
            request,
            _("A new calendar address was made; the old one stopped working.")
            if made.replaced
            else _("Your calendar address is ready: subscribe to it in your calendar program."),
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "dashboards:notifications")


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal iCalendar feed. No session: the secret token is the key (404 when it is
    unknown or revoked), and only the owner's obligations in organizations they still see."""
    feed_row = calendar_feed_for_token(token=token)
    if feed_row is None:
        raise Http404
    today = timezone.localdate()
    visible = organizations_for_user(user=feed_row.user)
    if feed_row.organization_id is not None:
        # Everything of one organization, while its person still sees it.
        if not visible.filter(pk=feed_row.organization_id).exists():
            raise Http404
        organizations, person = [feed_row.organization], None
        name = _("Shudarga: %(organization)s") % {"organization": feed_row.organization.name}
    else:
        organizations, person = list(visible), feed_row.user
        name = _("Shudarga deadlines")
    items = obligations(
        organizations=organizations,
        date_from=today - dt.timedelta(FEED_PAST_DAYS),
        date_to=today + dt.timedelta(FEED_FUTURE_DAYS),
        person=person,
    )
    body = ical.calendar(items, name=name, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    # Inline: calendar programs subscribe to it; sandboxed like any file shown in place.
    return file_headers(response, filename="shudarga.ics", inline=True)


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        notifications_mark_read(user=request.user, ids=request.POST.getlist("id"))
        return redirect("dashboards:notifications")
    rows = list(notifications_for_user(user=request.user)[:200])
    feed_row = calendar_feed_for_user(user=request.user)
    return render(
        request,
        "dashboards/notifications.html",
        {
            "rows": rows,
            "unread": sum(1 for n in rows if n.read_at is None),
            "feed": feed_row,
            "feed_url": (
                request.build_absolute_uri(f"/ical/{feed_row.token}.ics") if feed_row else ""
            ),
        },
    )


@login_required
def rollover(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(
        user=request.user, code=code, plan_id=plan_id, action=Action.IMPORT_PLAN
    )
    organization = plan.organization
    form = RolloverForm(request.POST or None, initial={"year": plan.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            new_plan = plan_rollover(
                plan=plan, year=form.cleaned_data["year"], actor=request.user,
                ip=client_ip(request), today=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Next year's plan was started as a draft."))
            return redirect("dashboards:year_changes", organization.code, new_plan.pk)
    return render(
        request,
        "dashboards/rollover.html",
        {"organization": organization, "plan": plan, "form": form},
    )


@login_required
def year_changes(request: AuthedRequest, code: str, plan_id: int) -> HttpResponse:
    """Plan `plan_id` beside the organization's plan of the year before."""
    new_plan = get_plan_for_user(user=request.user, code=code, plan_id=plan_id)
    plan = previous_year_plan(plan=new_plan)
    return render(
        request,
        "dashboards/rollover_compare.html",
        {
            "organization": new_plan.organization,
            "plan": plan,
            "new_plan": new_plan,
            "rows": (
                rollover_comparison(old=plan, new=new_plan, today=timezone.localdate())
                if plan
                else []
            ),
        },
    )
