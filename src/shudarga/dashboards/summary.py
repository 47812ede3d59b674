"""Each descendant's row of a parent body's view, kept in the database (`OrganizationSummary`)
and recomputed only when the organization has changed.

An organization's audit chain head moves with every audited change of its plans, registers,
evidence, reports and petitions, in the same transaction as the change (`core.services`). A
summary remembers the head it was computed from (`stamp`); reading the parent view first
compares every descendant's stamp with its head (one query) and recomputes the rows that
differ, in a fixed number of queries for any number of them. So the rows are never stale,
a change costs its own organization's row only, and sorting or filtering 3,000 rows (by
percent, overdue measures, "late only") is one query over them.

Why not recompute inside each writing transaction: an import or a bulk register upload
writes hundreds of audit entries, and recomputing a summary for each would slow exactly the
writes the audit chains per organization made independent. The head already marks the row
stale in that transaction; the next reader does the work once.

Overdue counts depend on the day, so they are not stored: `SummaryMeasureDue` keeps how many
unrecorded measures fall due on each date, and open petitions are counted by their own index.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from shudarga.core.models import AuditChainHead
from shudarga.criteria.facts import measures_with_records
from shudarga.dashboards.models import OrganizationSummary, SummaryMeasureDue
from shudarga.organizations.models import Organization
from shudarga.petitions.models import Petition
from shudarga.plans.models import Measure, Plan
from shudarga.plans.schedule import due_dates

# Rows recomputed per round of queries: bounds the size of the IN lists and of one
# transaction's locks when a whole country is stale (the first view after an upgrade).
REFRESH_BATCH = 500


def descendants(organization: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=organization.path).exclude(
        pk=organization.pk
    )


def _states(organizations: QuerySet[Organization]) -> list[tuple[int, str, str, bool]]:
    """(id, name, code, up to date) of each organization: its summary's stamp against its
    chain head, one query."""
    head = AuditChainHead.objects.filter(organization_id=OuterRef("pk"), legacy=False).values(
        "last_entry_id"
    )[:1]
    rows = organizations.annotate(head=Subquery(head)).values_list(
        "pk", "name", "code", "summary__computed", "summary__stamp", "head"
    )
    return [
        (pk, name, code, bool(computed) and stamp == head)
        for pk, name, code, computed, stamp, head in rows
    ]


def stale_organizations(organizations: QuerySet[Organization]) -> list[int]:
    """Which of `organizations` have no summary, or one older than their newest change."""
    return [pk for pk, _name, _code, fresh in _states(organizations) if not fresh]


def fresh_summaries(
    organization: Organization, *, q: str = ""
) -> tuple[QuerySet[OrganizationSummary], int]:
    """The summaries of `organization`'s descendants (those whose name or code contains
    `q`, case folded), each recomputed first if its organization has changed since; and how
    many were recomputed."""
    states = _states(descendants(organization))
    if q:
        needle = q.casefold()
        states = [s for s in states if needle in f"{s[1]} {s[2]}".casefold()]
    stale = [pk for pk, _name, _code, fresh in states if not fresh]
    refresh(stale)
    summaries = OrganizationSummary.objects.filter(
        organization__path__startswith=organization.path
    ).exclude(organization=organization)
    if q:
        summaries = summaries.filter(organization_id__in=[s[0] for s in states])
    return summaries, len(stale)


def refresh(organization_ids: Iterable[int]) -> None:
    """Recompute the summaries of `organization_ids` that are not up to date."""
    ids = sorted(set(organization_ids))
    for start in range(0, len(ids), REFRESH_BATCH):
        _refresh_batch(ids[start : start + REFRESH_BATCH])


def _refresh_batch(ids: list[int]) -> None:
    with transaction.atomic():
        # Placeholders first, in id order, then the rows locked in id order: two processes
        # refreshing the same organizations take turns instead of writing twice.
        OrganizationSummary.objects.bulk_create(
            [OrganizationSummary(organization_id=pk) for pk in ids], ignore_conflicts=True
        )
        locked = {
            pk: (computed, stamp)
            for pk, computed, stamp in OrganizationSummary.objects.select_for_update()
            .filter(organization_id__in=ids)
            .order_by("organization_id")
            .values_list("organization_id", "computed", "stamp")
        }
        # The heads are read before the data: a change committed while computing leaves
        # the row stale for the next reader, never stale under the new stamp. Rows another
        # process computed while this one waited for the lock stay as they are.
        current = dict(
            AuditChainHead.objects.filter(organization_id__in=ids, legacy=False).values_list(
                "organization_id", "last_entry_id"
            )
        )
        ids = [pk for pk in ids if locked.get(pk) != (True, current.get(pk))]
        if not ids:
            return
        rows = compute(ids)
        now = timezone.now()
        summaries = []
        for pk in ids:
            row = rows[pk]
            summaries.append(
                OrganizationSummary(
                    organization_id=pk,
                    computed=True,
                    stamp=current.get(pk),
                    plan_id=row["plan_id"],
                    plan_status=row["plan_status"],
                    latest_report_id=row["latest_report_id"],
                    latest_status=row["latest_status"],
                    percent=row["percent"],
                    goal_percents={str(n): str(v) for n, v in row["goal_percents"].items()},
                    periods=",".join(row["periods"]),
                    goals=",".join(str(n) for n in sorted(row["goal_percents"])),
                    computed_at=now,
                )
            )
        # Replaced rather than updated: an UPDATE of many rows is many CASE expressions.
        OrganizationSummary.objects.filter(organization_id__in=ids).delete()
        OrganizationSummary.objects.bulk_create(summaries, batch_size=REFRESH_BATCH)
        SummaryMeasureDue.objects.filter(organization_id__in=ids).delete()
        SummaryMeasureDue.objects.bulk_create(
            SummaryMeasureDue(organization_id=pk, due_on=due_on, count=count)
            for pk in ids
            for due_on, count in sorted(rows[pk]["due"].items())
        )


def compute(ids: Iterable[int]) -> dict[int, dict]:
    """What the summaries of `ids` hold, computed from the data: the latest plan, its
    latest scored report's percent and per-goal percents (as the report page counts them,
    `dashboards.selectors.report_percents`), the periods with a report, and per first due
    date the measures with nothing recorded. A fixed number of queries."""
    from shudarga.dashboards.selectors import _latest_plans, report_percents
    from shudarga.reports.models import Report
    from shudarga.reports.periods import PERIOD_KEYS

    ids = list(ids)
    plans = _latest_plans(ids)
    rows: dict[int, dict] = {
        pk: {
            "plan_id": None,
            "plan_status": "",
            "latest_report_id": None,
            "latest_status": "",
            "percent": None,
            "goal_percents": {},
            "periods": [],
            "due": Counter(),
        }
        for pk in ids
    }
    for pk, plan in plans.items():
        rows[pk]["plan_id"] = plan.pk
        rows[pk]["plan_status"] = plan.status
    reports = list(Report.objects.filter(plan__in=list(plans.values())))
    plan_by_id = {p.pk: p for p in plans.values()}
    for report in reports:
        report.plan = plan_by_id[report.plan_id]
    sums = report_percents(reports)
    for report in sorted(reports, key=lambda r: PERIOD_KEYS.index(r.period)):
        row = rows[report.plan.organization_id]
        row["periods"].append(report.period)
        by_goal = sums.get(report.pk)
        if by_goal:
            percent, goal_percents = by_goal
            row["latest_report_id"] = report.pk
            row["latest_status"] = report.status
            row["percent"] = percent
            row["goal_percents"] = goal_percents
    for pk, due in measure_due_dates(plans.values()).items():
        rows[pk]["due"] = due
    return rows


def measure_due_dates(plans: Iterable[Plan]) -> dict[int, Counter]:
    """Per organization, how many measures of its `plans` with nothing recorded fall first
    due on each date (`due_dates(...)[0]`): overdue on every later day."""
    plan_by_id = {p.pk: p for p in plans}
    result: dict[int, Counter] = {}
    if not plan_by_id:
        return result
    recorded = measures_with_records(plan_ids=list(plan_by_id))
    for measure_id, plan_id, recurrence, due_date, dates in Measure.objects.filter(
        plan_id__in=list(plan_by_id)
    ).values_list("id", "plan_id", "recurrence", "due_date", "scheduled_dates"):
        if measure_id in recorded:
            continue
        plan = plan_by_id[plan_id]
        first_due = due_dates(
            recurrence=recurrence, year=plan.year, due_date=due_date, dates=dates
        )[0]
        result.setdefault(plan.organization_id, Counter())[first_due] += 1
    return result


def overdue_counts(
    summaries: QuerySet[OrganizationSummary], today: dt.date
) -> tuple[dict[int, int], dict[int, int]]:
    """Per organization of `summaries`: measures overdue on `today` (first due before it,
    nothing recorded) and petitions overdue on `today` (due before it, not resolved by
    then). Three grouped queries over indexes, for any number of organizations."""
    organizations = summaries.values("organization_id")
    measures = dict(
        SummaryMeasureDue.objects.filter(organization_id__in=organizations, due_on__lt=today)
        .order_by()
        .values("organization_id")
        .annotate(n=Sum("count"))
        .values_list("organization_id", "n")
    )
    # Not resolved by `today`: still open (a partial index holds those by deadline), or
    # resolved after it; two queries, each a range of an index, rather than one with OR.
    petitions: dict[int, int] = {}
    for condition in (Q(resolved_on__isnull=True), Q(resolved_on__gt=today)):
        for organization_id, n in (
            Petition.objects.filter(condition, organization_id__in=organizations)
            .filter(due_on__lt=today)
            .order_by()
            .values("organization_id")
            .annotate(n=Count("*"))  # not a column: the partial index alone answers
            .values_list("organization_id", "n")
        ):
            petitions[organization_id] = petitions.get(organization_id, 0) + n
    return measures, petitions


def goal_percents(summary: OrganizationSummary) -> dict[int, Decimal]:
    return {int(n): Decimal(v) for n, v in summary.goal_percents.items()}
