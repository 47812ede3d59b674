"""The parent body's consolidated report for one year and period (issue 18): every
descendant with its own and the parent body's percent and how its report came (on time,
late, returned, not submitted), the parent body's percent per goal and organization, the
measures most often scored low, and a drafted Mongolian summary.

Percents are `scale.mean_percent` of the due measures' scores, as everywhere; the rows
and ranks are the ranking's (`ranking.descendant_ranking`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from shudarga.core.memo import AuditMemo
from shudarga.organizations.models import Organization
from shudarga.organizations.selectors import subtree_change_stamp
from shudarga.reports.models import Report, ReportItem
from shudarga.reports.periods import DOCUMENT_LABELS
from shudarga.reports.ranking import (
    EVALUATED,
    NOT_EVALUATED,
    NOT_SUBMITTED,
    RETURNED,
    Ranking,
    RankRow,
    descendant_ranking,
)
from shudarga.reports.scale import format_percent, mean_percent

# A score at or below this is "low" (хэрэгжилт хангалтгүй, хэрэгжээгүй on the official scale).
LOW_SCORE = 30
LOW_MEASURES_SHOWN = 10
ON_TIME, LATE = "on_time", "late"


@dataclass
class ConsolidatedRow:
    row: RankRow
    timing: str  # on_time, late, returned, not_submitted
    goals: dict[int, Decimal | None]  # goal number -> the parent body's percent

    def goal_text(self, number: int) -> str:
        return format_percent(self.goals.get(number))


@dataclass
class LowMeasure:
    code: str
    text: str
    count: int  # organizations that got 30 or less from the parent body


@dataclass
class Consolidated:
    ranking: Ranking
    rows: list[ConsolidatedRow]
    goal_numbers: list[int]
    low: list[LowMeasure]

    def count(self, timing: str) -> int:
        return sum(1 for r in self.rows if r.timing == timing)

    def summary(self) -> str:
        """The drafted Mongolian text summarising the consolidated report."""
        ranking = self.ranking
        evaluated = [r for r in self.rows if r.row.state == EVALUATED]
        text = (
            f"{ranking.year} оны {DOCUMENT_LABELS[ranking.period]} харьяа {len(self.rows)} "
            f"байгууллагаас {self.count(ON_TIME)} нь тайлангаа хугацаандаа, "
            f"{self.count(LATE)} нь хоцорч ирүүлсэн, {self.count(RETURNED)} тайланг засварт "
            f"буцаасан, {self.count(NOT_SUBMITTED)} нь ирүүлээгүй байна. "
        )
        if evaluated:
            best, worst = evaluated[0].row, evaluated[-1].row
            text += (
                f"Үнэлсэн {len(evaluated)} байгууллагаас хэрэгжилт хамгийн өндөр нь {best.name} "
                f"({best.percent_text}%), хамгийн бага нь {worst.name} "
                f"({worst.percent_text}%). "
            )
        if self.low:
            named = ", ".join(f"{m.code} ({m.count})" for m in self.low[:3])
            text += f"Олон байгууллагад хангалтгүй үнэлэгдсэн арга хэмжээ: {named}."
        return text.strip()


def _timing(row: RankRow, report: Report | None) -> str:
    if row.state in (RETURNED, NOT_SUBMITTED):
        return row.state
    assert report is not None and report.submitted_at is not None  # noqa: S101 - submitted
    return ON_TIME if timezone.localdate(report.submitted_at) <= report.due_date else LATE


# Consolidated reports, shared by every process until something changes under the parent
# body (`core.memo`, the ranking's key): the page, its exports and the annex read one.
_CONSOLIDATED = AuditMemo("consolidated")


def consolidated_report(*, organization: Organization, year: int, period: str) -> Consolidated:
    """The consolidated report of `organization`'s descendants for `year` and `period`.

    Queries: the stamp of the parent body and its descendants; then, when they changed, the
    ranking's three, the reports' submission dates (one), the parent body's scores of due
    measures with their goals and texts (one): a fixed number whatever the size.
    """
    return _CONSOLIDATED.get(
        lambda: (
            organization.pk,
            organization.path,
            year,
            period,
            subtree_change_stamp(organization=organization),
        ),
        lambda: _consolidated(organization=organization, year=year, period=period),
    )


def _consolidated(*, organization: Organization, year: int, period: str) -> Consolidated:
    ranking = descendant_ranking(organization=organization, year=year, period=period)
    submitted = {r.code for r in ranking.rows if r.state in (EVALUATED, NOT_EVALUATED)}
    # The descendants' submitted reports, asked by path (one query whatever their number,
    # also when none was submitted), then kept for the organizations the ranking counts.
    sent = (
        Report.objects.filter(
            plan__organization__path__startswith=organization.path,
            plan__year=year,
            period=period,
        )
        .exclude(plan__organization=organization)
        .exclude(status=Report.Status.DRAFT)
    )
    reports = {
        report.plan.organization.code: report
        for report in sent.select_related("plan__organization")
        .only("id", "submitted_at", "due_date", "plan__id", "plan__organization__code")
        .order_by("plan__created_at", "id")
        if report.plan.organization.code in submitted
    }
    goal_scores: dict[tuple[int, int], list[int]] = defaultdict(list)
    low: Counter[str] = Counter()
    texts: dict[str, str] = {}
    report_ids = {report.pk: code for code, report in reports.items()}
    for report_id, goal_number, code, text, score in ReportItem.objects.filter(
        report__in=sent, due=True, parent_score__isnull=False
    ).values_list(
        "report_id", "measure__goal__number", "measure__code", "measure__text", "parent_score"
    ):
        if report_id not in report_ids:
            continue  # a report the ranking does not count (an older plan of the year)
        goal_scores[(report_id, goal_number)].append(score)
        if score <= LOW_SCORE:
            low[code] += 1
            texts.setdefault(code, text)
    goal_numbers = sorted({number for _report, number in goal_scores})
    by_code = {code: pk for pk, code in report_ids.items()}
    rows = []
    for row in ranking.rows:
        report_id = by_code.get(row.code)
        rows.append(
            ConsolidatedRow(
                row=row,
                timing=_timing(row, reports.get(row.code)),
                goals={n: mean_percent(goal_scores.get((report_id, n), [])) for n in goal_numbers},
            )
        )
    return Consolidated(
        ranking=ranking,
        rows=rows,
        goal_numbers=goal_numbers,
        low=[
            LowMeasure(code=code, text=texts[code], count=count)
            for code, count in sorted(low.items(), key=lambda kv: (-kv[1], kv[0]))[
                :LOW_MEASURES_SHOWN
            ]
        ],
    )
