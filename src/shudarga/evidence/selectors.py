"""Reads for evidence: the organization's list, one item for a user, and what the criteria
evaluation and reports need about a set of measures over a period.

Only *current* versions count anywhere but the version history: a replaced file lives on as
history, a deleted item (no current version left) is out of every list and count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from shudarga.core.text import fold
from shudarga.evidence.models import Evidence
from shudarga.organizations.models import Organization
from shudarga.organizations.selectors import get_organization_for_user
from shudarga.plans.models import Criterion, Measure, Plan


def get_evidence_for_user(*, user: Any, code: str, evidence_id: int) -> Evidence:
    """Evidence `evidence_id` of organization `code` if `user` may see that organization;
    404 otherwise — also for another organization's evidence id under one's own code.

    Any version is found (old ones are downloadable from the history). The returned row's
    `organization` carries `access` for the write checks and the templates.
    """
    organization = get_organization_for_user(user=user, code=code)
    try:
        evidence = Evidence.objects.select_related(
            "measure__plan", "criterion", "uploaded_by", "deleted_by"
        ).get(pk=evidence_id, organization=organization)
    except Evidence.DoesNotExist:
        raise Http404 from None
    evidence.organization = organization
    return evidence


def evidence_for_organization(
    *,
    organization: Organization,
    measure_id: int | None = None,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str = "",
) -> QuerySet[Evidence]:
    """Current evidence of `organization`, the latest work first, filtered.

    `date_from`/`date_to` bound `relates_to` (both inclusive). `q` matches every word,
    case-insensitively in any script, in the title, file name or link (folded words
    against the folded `search_text` column). Measure, plan and uploader are joined, so a
    page of the list is one query whatever its length.
    """
    rows = Evidence.objects.filter(organization=organization, is_current=True)
    if measure_id:
        rows = rows.filter(measure_id=measure_id)
    if kind:
        rows = rows.filter(kind=kind)
    if date_from:
        rows = rows.filter(relates_to__gte=date_from)
    if date_to:
        rows = rows.filter(relates_to__lte=date_to)
    for word in fold(q).split():
        rows = rows.filter(search_text__contains=word)
    return rows.select_related("measure__plan", "uploaded_by").order_by("-relates_to", "-id")


def evidence_versions(*, evidence: Evidence) -> QuerySet[Evidence]:
    """Every version of `evidence` (current, replaced and deleted), newest first. One query."""
    return (
        Evidence.objects.filter(lineage=evidence.lineage, organization_id=evidence.organization_id)
        .select_related("uploaded_by")
        .order_by("-version")
    )


def plans_for_evidence(*, organization: Organization) -> QuerySet[Plan]:
    """Plans of `organization` evidence may be attached to, newest year first."""
    return Plan.objects.filter(organization=organization).order_by("-year", "-created_at", "-id")


def measures_for_evidence(
    *, organization: Organization, plan: Plan | int | Subquery | None = None
) -> QuerySet[Measure]:
    """Measures evidence of `organization` may be attached to, in document order: those of
    `plan` (one of its own), or of all its plans, latest plan first, when no plan is named."""
    rows = Measure.objects.filter(plan__organization=organization)
    if plan is not None:
        rows = rows.filter(plan_id=getattr(plan, "pk", plan))
    return rows.select_related("plan").order_by("-plan__year", "-plan_id", "position")


def criteria_for_evidence(
    *, organization: Organization, measure: Measure | int | None = None
) -> QuerySet[Criterion]:
    """Criteria of `measure` (one of `organization`'s), in order; none without a measure:
    a criterion is chosen after its measure, never from every plan's list."""
    if measure is None:
        return Criterion.objects.none()
    return (
        Criterion.objects.filter(measure=measure, measure__plan__organization=organization)
        .select_related("measure__plan")
        .order_by("position")
    )


def _current_in_period(
    measure_ids: Iterable[int], date_from: dt.date | None, date_to: dt.date | None
) -> QuerySet[Evidence]:
    rows = Evidence.objects.filter(measure_id__in=list(measure_ids), is_current=True)
    if date_from is not None:
        rows = rows.filter(relates_to__gte=date_from)
    if date_to is not None:
        rows = rows.filter(relates_to__lte=date_to)
    return rows


def evidence_sample_for_measures(
    *,
    measure_ids: Iterable[int],
    date_from: dt.date | None,
    date_to: dt.date | None,
    per_measure: int,
) -> tuple[dict[int, list[Evidence]], dict[int, int]]:
    """The first `per_measure` current evidence items of each measure in the period (as
    `evidence_for_measures` orders them, with only id, measure, title, date and
    organization loaded), and how many each measure has. Two queries, whatever the count:
    a busy organization's report page lists a few per measure, not thousands."""
    ids = list(measure_ids)
    rows = _current_in_period(ids, date_from, date_to)
    sample: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in (
        rows.annotate(
            place=Window(
                RowNumber(), partition_by=F("measure_id"), order_by=[F("relates_to"), F("id")]
            )
        )
        .filter(place__lte=per_measure)
        .only("id", "measure_id", "title", "relates_to", "organization_id")
        .order_by("measure_id", "relates_to", "id")
    ):
        sample[evidence.measure_id].append(evidence)
    counts = dict(
        rows.order_by().values("measure_id").annotate(n=Count("pk")).values_list("measure_id", "n")
    )
    return sample, counts


@dataclass
class EvidenceTally:
    """How much current evidence there is for one criterion (or, under the key None, for
    the measures themselves without a criterion), over a period."""

    total: int = 0
    files: int = 0
    links: int = 0
    latest: dt.date | None = None  # the latest `relates_to` among them
    by_measure: dict[int, int] = field(default_factory=dict)  # measure id -> count


def evidence_counts_by_criterion(
    *,
    measure_ids: Iterable[int],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> dict[int | None, EvidenceTally]:
    """Current evidence of `measure_ids` whose `relates_to` falls in [date_from, date_to]
    (inclusive; None leaves that end open), counted per criterion. ONE query.

    Keys are criterion ids, and None for evidence attached to a measure but no criterion.
    Under None the counts of all the given measures add up; read `by_measure` to tell them
    apart (a criterion key's `by_measure` has just its own measure). Criteria without
    evidence are absent: use `.get(criterion_id)`. Deleted and replaced versions never count.

    For the criteria evaluation: "evidence attached" for criterion C of measure M is met when
    `tally[C].total + tally[None].by_measure.get(M, 0) > 0`, if measure-level evidence
    counts for every criterion of its measure.
    """
    grouped = (
        _current_in_period(measure_ids, date_from, date_to)
        .order_by()
        .values("measure_id", "criterion_id", "kind")
        .annotate(n=Count("id"), latest=Max("relates_to"))
    )
    tallies: dict[int | None, EvidenceTally] = {}
    for row in grouped:
        tally = tallies.setdefault(row["criterion_id"], EvidenceTally())
        tally.total += row["n"]
        if row["kind"] == Evidence.Kind.FILE:
            tally.files += row["n"]
        else:
            tally.links += row["n"]
        if tally.latest is None or row["latest"] > tally.latest:
            tally.latest = row["latest"]
        tally.by_measure[row["measure_id"]] = tally.by_measure.get(row["measure_id"], 0) + row["n"]
    return tallies


def evidence_for_measures(
    *,
    measure_ids: Iterable[int],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> QuerySet[Evidence]:
    """Current evidence of `measure_ids` whose `relates_to` falls in [date_from, date_to]
    (inclusive; None leaves that end open), for report evidence lists. Evaluating it is ONE
    query: measure, criterion and uploader are joined.

    Ordered by measure, then date of the work, then id; group with `itertools.groupby` on
    `measure_id`. Each item's `get_absolute_url` needs `organization.code`: add
    `select_related("organization")` if you link to it without the organization at hand.
    """
    return (
        _current_in_period(measure_ids, date_from, date_to)
        .select_related("measure", "criterion", "uploaded_by")
        .order_by("measure_id", "relates_to", "id")
    )


# The fields of an evidence item a report document prints (`evidence_listing_for_measures`).
LISTING_FIELDS = (
    "id", "measure_id", "title", "kind", "original_name", "link", "relates_to", "sha256", "size",
)  # fmt: skip


def evidence_listing_for_measures(
    *,
    measure_ids: Iterable[int],
    date_from: dt.date | None,
    date_to: dt.date | None,
    per_measure: int | None = None,
    newest_first: bool = False,
) -> dict[int, list[dict[str, Any]]]:
    """Current evidence of `measure_ids` in the period as plain rows (`LISTING_FIELDS`), by
    measure id: what report documents print, read without building model objects (a busy
    organization has thousands a period). ONE query.

    Each measure's list is in `evidence_for_measures`' order (date of the work, then id),
    or the reverse with `newest_first`; `per_measure` keeps only the first that many."""
    rows = _current_in_period(measure_ids, date_from, date_to)
    order = [F("relates_to").desc(), F("id").desc()] if newest_first else [F("relates_to"), F("id")]
    if per_measure is not None:
        rows = rows.annotate(
            place=Window(RowNumber(), partition_by=F("measure_id"), order_by=order)
        ).filter(place__lte=per_measure)
    listing: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.order_by("measure_id", *order).values(*LISTING_FIELDS):
        listing[row["measure_id"]].append(row)
    return listing


@dataclass
class EvidenceKinds:
    """One measure's current evidence over a period, by kind: files and links, and how many
    of them prove a register's row (register key -> count, the register's order)."""

    files: int = 0
    links: int = 0
    registers: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.files + self.links


def evidence_kinds_by_measure(
    *,
    measure_ids: Iterable[int],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> dict[int, EvidenceKinds]:
    """Current evidence of `measure_ids` in the period counted per measure by kind and by
    the register whose row it proves (`Evidence.register_type`). ONE query; measures
    without evidence are absent."""
    from shudarga.registers.registry import REGISTERS

    key_of = {(spec.model._meta.app_label, spec.model._meta.model_name): key
              for key, spec in REGISTERS.items()}  # fmt: skip
    grouped = (
        _current_in_period(measure_ids, date_from, date_to)
        .order_by()
        .values_list("measure_id", "kind", "register_type__app_label", "register_type__model")
        .annotate(n=Count("id"))
    )
    kinds: dict[int, EvidenceKinds] = {}
    by_register: dict[int, Counter[str]] = defaultdict(Counter)
    for measure_id, kind, app_label, model, n in grouped:
        tally = kinds.setdefault(measure_id, EvidenceKinds())
        if kind == Evidence.Kind.FILE:
            tally.files += n
        else:
            tally.links += n
        key = key_of.get((app_label, model))
        if key is not None:
            by_register[measure_id][key] += n
    for measure_id, counts in by_register.items():
        kinds[measure_id].registers = {key: counts[key] for key in REGISTERS if counts[key]}
    return kinds
