"""The petition statistics a body reports for a quarter (or a year), as of its cut-off.

A quarter's figures are the state on its last day, whenever they are printed: petitions
carried over (received before, still open when the quarter began), received in it,
resolved in it by outcome — whenever they were received — on time or late against the
deadline in force on the day of resolution, and open at its end (overdue or not yet due).
So `carried_over + received == resolved + open_at_end`, and a petition received in Q1 and
answered in Q2 is Q1's "open at the end", Q2's "carried over" and Q2's "answered".

Nothing dated after the cut-off counts: an answer of 3 April is not in Q1's figures, and an
extension decided on 2 April does not move a deadline that ran out in March. The current
quarter is shown as of today, marked provisional. Once submitted, the figures are a
`PetitionStatsSnapshot` that never changes; a correction is a new snapshot that says what
it corrects and why.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shudarga.petitions.models import Petition, PetitionStatsSnapshot

NO_SUBJECT = ""  # petitions without a category


@dataclass
class QuarterRow:
    """One line of the table."""

    key: str
    label: str = ""
    carried_over: int = 0  # received before the period, open when it began
    received: int = 0
    answered: int = 0  # resolved in the period by an answer
    transferred: int = 0
    closed: int = 0  # closed without answer or transfer
    on_time: int = 0  # resolved in the period by the deadline
    late: int = 0  # resolved in the period after the deadline
    open_at_end: int = 0
    overdue_at_end: int = 0  # of those open at the end, past the deadline

    @property
    def resolved(self) -> int:
        return self.answered + self.transferred + self.closed

    @property
    def not_yet_due_at_end(self) -> int:
        return self.open_at_end - self.overdue_at_end

    @property
    def percent_on_time(self) -> float | None:
        """Resolved on time as a share of those whose deadline came in the period (resolved,
        or open past the deadline), truncated to one decimal; None if none came."""
        due = self.resolved + self.overdue_at_end
        if due <= 0:
            return None
        return math.floor(self.on_time * 1000 / due) / 10

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k not in ("key", "label")}


@dataclass(frozen=True)
class PetitionDates:
    """What the statistics read of one petition."""

    channel: str
    kind: str
    category: str
    received_on: dt.date
    original_due_on: dt.date
    due_on: dt.date
    extended_on: dt.date | None
    resolved_on: dt.date | None
    answered_on: dt.date | None
    transferred_on: dt.date | None


@dataclass
class QuarterStats:
    date_from: dt.date
    date_to: dt.date
    cutoff: dt.date  # the state of this day; the period's last day once it is over
    total: QuarterRow
    by_channel: list[QuarterRow] = field(default_factory=list)
    by_kind: list[QuarterRow] = field(default_factory=list)
    by_subject: list[QuarterRow] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        """The period is not over: the figures still move."""
        return self.cutoff < self.date_to

    def to_data(self) -> dict[str, Any]:
        """The figures as a snapshot stores them (keys and counts, no labels)."""
        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "cutoff": self.cutoff.isoformat(),
            "total": self.total.counts(),
            "by_channel": {r.key: r.counts() for r in self.by_channel},
            "by_kind": {r.key: r.counts() for r in self.by_kind},
            "by_subject": {r.key: r.counts() for r in self.by_subject},
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> QuarterStats:
        """The figures of a snapshot, labelled in the current language."""
        channels = dict(Petition.Channel.choices)
        kinds = dict(Petition.Kind.choices)
        return cls(
            date_from=dt.date.fromisoformat(data["date_from"]),
            date_to=dt.date.fromisoformat(data["date_to"]),
            cutoff=dt.date.fromisoformat(data["cutoff"]),
            total=QuarterRow(key="total", **data["total"]),
            by_channel=[
                QuarterRow(key=k, label=str(channels.get(k, k)), **v)
                for k, v in data["by_channel"].items()
            ],
            by_kind=[
                QuarterRow(key=k, label=str(kinds.get(k, k)), **v)
                for k, v in data["by_kind"].items()
            ],
            by_subject=[
                QuarterRow(key=k, label=k or str(_("No subject given")), **v)
                for k, v in data["by_subject"].items()
            ],
        )


def _add(row: QuarterRow, p: PetitionDates, date_from: dt.date, cutoff: dt.date) -> None:
    if p.received_on > cutoff:
        return
    resolved_on = p.resolved_on if p.resolved_on and p.resolved_on <= cutoff else None
    if p.received_on < date_from:
        if p.resolved_on is not None and p.resolved_on < date_from:
            return  # resolved before the period: not its business
        row.carried_over += 1
    else:
        row.received += 1
    if resolved_on is not None:
        if p.answered_on and p.answered_on <= cutoff:
            row.answered += 1
        elif p.transferred_on and p.transferred_on <= cutoff:
            row.transferred += 1
        else:
            row.closed += 1
        due = deadline_on(p, resolved_on)
        if resolved_on > due:
            row.late += 1
        else:
            row.on_time += 1
        return
    row.open_at_end += 1
    if deadline_on(p, cutoff) < cutoff:
        row.overdue_at_end += 1


def deadline_on(p: PetitionDates, day: dt.date) -> dt.date:
    """The deadline in force on `day`: extended only by an extension decided by then."""
    if p.extended_on is not None and p.extended_on <= day:
        return p.due_on
    return p.original_due_on


def compute_quarter_stats(
    petitions: Iterable[PetitionDates], *, date_from: dt.date, date_to: dt.date, cutoff: dt.date
) -> QuarterStats:
    """The table from plain facts (no database): totals, then one row per channel and type
    (every one listed, even when zero) and per subject (category) that occurs."""
    total = QuarterRow(key="total")
    channels = {v: QuarterRow(key=v, label=str(label)) for v, label in Petition.Channel.choices}
    kinds = {v: QuarterRow(key=v, label=str(label)) for v, label in Petition.Kind.choices}
    subjects: dict[str, QuarterRow] = {}
    for p in petitions:
        before = total.carried_over + total.received
        _add(total, p, date_from, cutoff)
        if total.carried_over + total.received == before:
            continue  # not this period's
        _add(channels.setdefault(p.channel, QuarterRow(key=p.channel)), p, date_from, cutoff)
        _add(kinds.setdefault(p.kind, QuarterRow(key=p.kind)), p, date_from, cutoff)
        subject = p.category.strip()
        label = subject or str(_("No subject given"))
        _add(subjects.setdefault(subject, QuarterRow(key=subject, label=label)), p, date_from,
             cutoff)  # fmt: skip
    return QuarterStats(
        date_from=date_from,
        date_to=date_to,
        cutoff=cutoff,
        total=total,
        by_channel=list(channels.values()),
        by_kind=list(kinds.values()),
        by_subject=sorted(subjects.values(), key=lambda r: (r.key == NO_SUBJECT, r.label)),
    )


def petition_quarter_stats(
    *, organization_id: int, date_from: dt.date, date_to: dt.date, today: dt.date
) -> QuarterStats:
    """The figures of organization `organization_id` for [date_from, date_to] as of its
    cut-off: the period's last day once it is over, else `today` (provisional).

    One query: the petitions received by the cut-off and not resolved before the period.
    """
    cutoff = min(date_to, today)
    rows = (
        Petition.objects.filter(organization_id=organization_id, received_on__lte=cutoff)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=date_from))
        .values_list(
            "channel",
            "kind",
            "category",
            "received_on",
            "original_due_on",
            "due_on",
            "extended_on",
            "resolved_on",
            "answered_on",
            "transferred_on",
        )
    )
    return compute_quarter_stats(
        (PetitionDates(*row) for row in rows.iterator()),
        date_from=date_from,
        date_to=date_to,
        cutoff=cutoff,
    )


def quarter_bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of `quarter` (1-4) of `year`, or of the whole year for None."""
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def stats_snapshots(
    *, organization_id: int, year: int, quarter: int | None
) -> list[PetitionStatsSnapshot]:
    """The submitted figures of a period, newest (the one in force) first, with who
    submitted each. One query."""
    return list(
        PetitionStatsSnapshot.objects.filter(
            organization_id=organization_id, year=year, quarter=quarter or 0
        )
        .select_related("submitted_by")
        .order_by("-submitted_at", "-id")
    )


@dataclass
class YearFigures:
    year: int
    stats: QuarterStats
    submitted: PetitionStatsSnapshot | None


def public_year_figures(
    *, organization_id: int, today: dt.date, years: int = 3
) -> list[YearFigures]:
    """The annual figures of the last `years` finished years that had petitions, newest
    first: the submitted figures where the year's were submitted, else as of 31 December.
    Counts only, for the public portal. One query for the years, then two per year."""
    with_petitions = sorted(
        set(
            Petition.objects.filter(organization_id=organization_id, year__lt=today.year)
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )[:years]
    result = []
    for year in with_petitions:
        snapshots = stats_snapshots(organization_id=organization_id, year=year, quarter=None)
        if snapshots:
            stats = QuarterStats.from_data(snapshots[0].data)
        else:
            start, end = quarter_bounds(year, None)
            stats = petition_quarter_stats(
                organization_id=organization_id, date_from=start, date_to=end, today=today
            )
        result.append(
            YearFigures(year=year, stats=stats, submitted=snapshots[0] if snapshots else None)
        )
    return result
