"""The parent body's ranking of its descendants (issue 18): by the parent body's percent of
each organization's report for one year and period, with the change from last year.

Ranks are competition ranks: organizations with the same percent share a rank and the next
rank skips (1, 2, 2, 4), those sharing one are listed by name. Organizations without a
percent of the parent body are not ranked and say why: no report submitted, the report
returned for correction, or submitted and not yet evaluated. The percent is the one every
page prints (`scale.mean_percent` of the due measures' scores of the parent body).
Approving the ranking keeps its rows (`RankingApproval`), which the public portal shows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from shudarga.core.memo import AuditMemo
from shudarga.core.services import audit_record
from shudarga.organizations.models import Organization
from shudarga.organizations.selectors import subtree_change_stamp
from shudarga.reports.models import ParentEvaluation, RankingApproval, Report, ReportItem
from shudarga.reports.scale import format_percent, mean_percent_of_sum

EVALUATED, NOT_EVALUATED, RETURNED, NOT_SUBMITTED = (
    "evaluated",
    "not_evaluated",
    "returned",
    "not_submitted",
)
STATE_LABELS = {
    EVALUATED: _("Evaluated"),
    NOT_EVALUATED: _("Submitted, not evaluated yet"),
    RETURNED: _("Returned for correction"),
    NOT_SUBMITTED: _("Not submitted"),
}


@dataclass
class RankRow:
    code: str
    name: str
    state: str
    rank: int | None
    percent: Decimal | None  # the parent body's
    own_percent: Decimal | None  # the organization's own reviewer's
    approved: bool  # the parent body approved its evaluation
    last_percent: Decimal | None = None
    last_rank: int | None = None

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def own_percent_text(self) -> str:
        return format_percent(self.own_percent)

    @property
    def last_percent_text(self) -> str:
        return format_percent(self.last_percent)

    @property
    def change(self) -> Decimal | None:
        if self.percent is None or self.last_percent is None:
            return None
        return self.percent - self.last_percent

    @property
    def change_text(self) -> str:
        change = self.change
        return "—" if change is None else f"{change:+.1f}"

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class Ranking:
    organization: Organization
    year: int
    period: str
    rows: list[RankRow]

    @property
    def ranked(self) -> list[RankRow]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def unranked(self) -> list[RankRow]:
        return [row for row in self.rows if row.rank is None]


def _rank(rows: list[RankRow]) -> None:
    """Competition ranks over rows with a percent, best first; ties by name."""
    ranked = sorted(
        (r for r in rows if r.percent is not None), key=lambda r: (-r.percent, r.name, r.code)
    )
    previous, rank = None, 0
    for index, row in enumerate(ranked, start=1):
        if row.percent != previous:
            rank, previous = index, row.percent
        row.rank = rank


def _percents(
    report_ids: list[int], among: QuerySet[Report]
) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
    """Each report's percent by the parent body and by its own reviewer: scores of the due
    measures (fixed at submission) through `mean_percent_of_sum`, the database summing and
    counting them per report (a national body's reports hold hundreds of thousands of
    items). One query, over the reports of `among` (a subquery holding `reports`, not
    thousands of ids sent with it)."""
    parent: dict[int, Decimal | None] = {}
    own: dict[int, Decimal | None] = {}
    sums = (
        ReportItem.objects.filter(report__in=among.values("pk"), due=True)
        .values("report_id")
        .annotate(
            parent_total=Sum("parent_score"),
            parent_count=Count("parent_score"),
            own_total=Sum("score"),
            own_count=Count("score"),
        )
        .values_list("report_id", "parent_total", "parent_count", "own_total", "own_count")
        .order_by()
    )
    for report_id, parent_total, parent_count, own_total, own_count in sums:
        parent[report_id] = mean_percent_of_sum(total=parent_total or 0, count=parent_count)
        own[report_id] = mean_percent_of_sum(total=own_total or 0, count=own_count)
    return (
        {pk: parent.get(pk) for pk in report_ids},
        {pk: own.get(pk) for pk in report_ids},
    )


# Rankings, shared by every process until something changes in the parent body or one of
# its descendants (`core.memo`): the ranking page, the consolidated report and its exports
# read the same one.
_RANKINGS = AuditMemo("ranking")


def descendant_ranking(*, organization: Organization, year: int, period: str) -> Ranking:
    """Every descendant of `organization` with its state, the parent body's and its own
    percent, rank, and last year's percent and rank for the same period.

    Queries: descendants, reports of both years (their plan's organization and year and
    their evaluation's status, as values), item scores. The same three whatever the
    number of organizations; none while nothing changed under the parent body.
    """
    return _RANKINGS.get(
        lambda: (
            organization.pk,
            organization.path,
            year,
            period,
            subtree_change_stamp(organization=organization),
        ),
        lambda: _ranking(organization=organization, year=year, period=period),
    )


def _ranking(*, organization: Organization, year: int, period: str) -> Ranking:
    descendants = list(
        Organization.objects.filter(path__startswith=organization.path)
        .exclude(pk=organization.pk)
        .order_by("name", "code")
        .values_list("pk", "code", "name")
    )
    # The descendants' reports of both years, asked by path (not by thousands of ids).
    of_period = Report.objects.filter(
        plan__organization__path__startswith=organization.path,
        plan__year__in=[year, year - 1],
        period=period,
    ).exclude(plan__organization=organization)
    reports = of_period.order_by("plan__created_at", "id").values_list(
        "pk", "status", "plan__organization_id", "plan__year", "parent_evaluation__status"
    )
    # An organization with two plans for a year (a revision) is judged on the newest.
    latest: dict[tuple[int, int], tuple[int, str, str | None]] = {}
    for pk, status, organization_id, plan_year, evaluation in reports:
        latest[(organization_id, plan_year)] = (pk, status, evaluation)
    parent_percent, own_percent = _percents([pk for pk, _s, _e in latest.values()], among=of_period)

    def row_for(code: str, name: str, report: tuple[int, str, str | None] | None) -> RankRow:
        pk, status, evaluation = report or (None, None, None)
        if report is None or status == Report.Status.DRAFT:
            returned = evaluation == ParentEvaluation.Status.RETURNED
            state = RETURNED if returned else NOT_SUBMITTED
            percent = own = None
        else:
            percent, own = parent_percent[pk], own_percent[pk]
            state = EVALUATED if percent is not None else NOT_EVALUATED
        return RankRow(
            code=code,
            name=name,
            state=state,
            rank=None,
            percent=percent,
            own_percent=own,
            approved=evaluation == ParentEvaluation.Status.APPROVED,
        )

    rows = [row_for(code, name, latest.get((pk, year))) for pk, code, name in descendants]
    last = [row_for(code, name, latest.get((pk, year - 1))) for pk, code, name in descendants]
    _rank(rows)
    _rank(last)
    for row, before in zip(rows, last, strict=True):
        row.last_percent, row.last_rank = before.percent, before.rank
    rows.sort(
        key=lambda r: (r.rank is None, r.rank or 0, list(STATE_LABELS).index(r.state), r.name)
    )
    return Ranking(organization=organization, year=year, period=period, rows=rows)


def ranking_rows_as_json(ranking: Ranking) -> list[dict[str, Any]]:
    """The rows as they are kept and published: percents as printed ("89.2", "—")."""
    return [
        {
            **{k: v for k, v in asdict(row).items() if "percent" not in k},
            "percent": row.percent_text,
            "own_percent": row.own_percent_text,
            "last_percent": row.last_percent_text,
            "change": row.change_text,
        }
        for row in ranking.rows
    ]


@transaction.atomic
def ranking_approve(*, ranking: Ranking, actor: Any, ip: str | None = None) -> RankingApproval:
    """The parent body approves the ranking as it stands: its rows are kept and published
    on the public portal. Audited under the parent body. ValidationError when there is
    nothing to rank."""
    if not ranking.rows:
        raise ValidationError(_("There is no subordinate organization to rank."), code="empty")
    approval = RankingApproval(
        organization=ranking.organization,
        year=ranking.year,
        period=ranking.period,
        rows=ranking_rows_as_json(ranking),
        approved_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    approval.full_clean()
    approval.save()
    audit_record(
        actor=actor,
        action="ranking.approved",
        obj=approval,
        organization_id=ranking.organization.pk,
        changes={
            "year": ranking.year,
            "period": ranking.period,
            "ranked": len(ranking.ranked),
            "unranked": len(ranking.unranked),
        },
        ip=ip,
    )
    return approval


def ranking_published(*, organization: Organization) -> list[RankingApproval]:
    """The newest approved ranking of each year and period of `organization`, newest
    first. One query."""
    seen, result = set(), []
    for approval in RankingApproval.objects.filter(organization=organization).order_by(
        "-year", "-approved_at", "-id"
    ):
        if (approval.year, approval.period) not in seen:
            seen.add((approval.year, approval.period))
            result.append(approval)
    return result
