"""Reads for the public portal: only what anyone may see (published plans, organization
names, a petition's status by tracking code). Composes the lower apps' selectors."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shudarga.core.text import fold
from shudarga.organizations.models import Organization
from shudarga.plans.models import Plan
from shudarga.reports.models import Report

PUBLISHED = Plan.Status.PUBLISHED


def public_organizations(*, q: str = "") -> QuerySet[Organization] | list[Organization]:
    """Every organization by name, with its number of published plans.

    `q` filters by name case-insensitively in Cyrillic too; the names are folded in Python
    (one query for ids and names) because SQLite folds only ASCII letters.
    """
    rows = Organization.objects.annotate(
        published_count=Count("plans", filter=Q(plans__status=PUBLISHED))
    ).order_by("name", "pk")
    words = fold(q).split()[:5]
    if words:
        ids = [
            pk
            for pk, name in Organization.objects.values_list("pk", "name")
            if all(word in fold(name) for word in words)
        ]
        rows = rows.filter(pk__in=ids)
    return rows


def get_public_organization(*, code: str) -> Organization:
    """The organization with `code`, or 404."""
    organization = Organization.objects.select_related("parent").filter(code=code).first()
    if organization is None:
        raise Http404
    return organization


def published_plans(*, organization: Organization) -> QuerySet[Plan]:
    """The organization's published plans, newest year first."""
    return Plan.objects.filter(organization=organization, status=PUBLISHED).order_by(
        "-year", "-created_at"
    )


def get_published_plan(*, organization: Organization, plan_id: int) -> Plan:
    """A published plan of `organization`, or 404 (drafts and approved plans are not public)."""
    plan = published_plans(organization=organization).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    plan.organization = organization
    return plan


def get_public_report(*, organization: Organization, report_id: int) -> Report:
    """An approved report of a published plan of `organization`, or 404: drafts, reports
    under review and reports of unpublished plans are not public."""
    report = (
        Report.objects.select_related("plan")
        .filter(
            pk=report_id,
            plan__organization=organization,
            plan__status=PUBLISHED,
            status=Report.Status.APPROVED,
        )
        .first()
    )
    if report is None:
        raise Http404
    report.plan.organization = organization
    return report
