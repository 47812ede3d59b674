"""What the benchmark measures, over data made by `generate_data`: one list of pages and
endpoints, used by `make bench` (timings under load) and by a test (the query count of each
does not grow with the number of organizations)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from shudarga.demo.generate import CODE_PREFIX
from shudarga.organizations.models import Membership, Organization
from shudarga.organizations.roles import Role
from shudarga.petitions.models import Petition
from shudarga.plans.models import Plan
from shudarga.reports.models import Report


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str  # username whose session or token asks
    api: bool = False
    # Targets `make bench` reads the page against (issue 17): its warm throughput at least
    # this share of the trivial view's, its warm p95 under this many milliseconds.
    share_target: float | None = None
    p95_target_ms: float | None = None


@dataclass(frozen=True)
class Targets:
    organization: Organization
    plan: Plan
    report: Report
    root: Organization
    coordinator: str
    leader: str
    pages: list[Page]
    exports: list[Page]


def _user(organization: Organization, role: str) -> str:
    return (
        Membership.objects.filter(organization=organization, role=role)
        .values_list("user__username", flat=True)
        .first()
    )


def bench_targets(prefix: str = CODE_PREFIX) -> Targets:
    """The busiest generated organization (most petitions), its latest plan and that
    plan's latest report, and the national root for the parent view."""
    root = Organization.objects.get(code=f"{prefix}MN")
    busiest = (
        Petition.objects.filter(organization__code__startswith=f"{prefix}0")
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    organization = Organization.objects.get(pk=busiest["organization_id"])
    plan = Plan.objects.filter(organization=organization).order_by("-year").first()
    report = (
        Report.objects.filter(plan__organization=organization)
        .exclude(items__isnull=True)
        .order_by("-plan__year", "-due_date")
        .first()
    )
    code = organization.code
    coordinator = _user(organization, Role.COORDINATOR)
    leader = _user(root, Role.LEADER)
    petition_filter = "?kind=complaint"
    period_query = f"?year={report.plan.year}&period={report.period}"  # the parent's reading
    near = {"share_target": 0.2, "p95_target_ms": 60.0}  # pages near the trivial view
    parent = {"p95_target_ms": 100.0}
    children = reverse("dashboards:children", args=[root.code])
    pages = [
        Page(
            "organization dashboard",
            reverse("dashboards:dashboard", args=[code]),
            coordinator,
            **near,
        ),
        Page("plan page", reverse("plans:detail", args=[code, plan.pk]), coordinator, **near),
        Page(
            "plan progress (criteria evaluated)",
            reverse("criteria:progress", args=[code, plan.pk]),
            coordinator,
            **near,
        ),
        Page("report page", reverse("reports:detail", args=[code, report.pk]), coordinator, **near),
        Page("parent view (all organizations)", children, leader, **parent),
        Page(
            "parent view sorted by overdue measures",
            children + "?sort=measures&desc=1",
            leader,
            **parent,
        ),
        Page("parent view, late only", children + "?late=1", leader, **parent),
        Page(
            "parent ranking (all organizations)",
            reverse("reports:ranking", args=[root.code]) + period_query,
            leader,
        ),
        Page(
            "consolidated report (all organizations)",
            reverse("reports:consolidated", args=[root.code]) + period_query,
            leader,
        ),
        Page(
            "petition list, filtered",
            reverse("petitions:list", args=[code]) + petition_filter,
            coordinator,
            **near,
        ),
        Page(
            "register list (publications)",
            reverse("registers:list", args=[code, "publications"]),
            coordinator,
            **near,
        ),
        Page("API: plans", f"/api/v1/organizations/{code}/plans", coordinator, api=True),
        Page(
            "API: register rows",
            f"/api/v1/organizations/{code}/registers/publications/rows",
            coordinator,
            api=True,
        ),
        Page("API: evidence", f"/api/v1/organizations/{code}/evidence", coordinator, api=True),
        Page("API: petitions", f"/api/v1/organizations/{code}/petitions", coordinator, api=True),
    ]
    exports = [
        Page(
            f"report export {fmt.upper()}",
            reverse("reports:export", args=[code, report.pk, fmt]),
            coordinator,
        )
        for fmt in ("docx", "xlsx", "pdf")
    ]
    exports += [
        Page(
            f"consolidated report {fmt.upper()} (all organizations)",
            reverse("reports:consolidated", args=[root.code]) + f"{period_query}&fmt={fmt}",
            leader,
        )
        for fmt in ("docx", "xlsx", "pdf")
    ]
    return Targets(organization, plan, report, root, coordinator, leader, pages, exports)
