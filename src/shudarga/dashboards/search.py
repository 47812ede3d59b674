"""One search box over an organization: measures of its plans, register rows, evidence and
petitions, each matched case-insensitively in any script (Cyrillic included) on every
database, and only within what the person may see: petitioners' personal data is
searched only for those who handle petitions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from shudarga.core.text import fold
from shudarga.evidence.selectors import evidence_for_organization
from shudarga.organizations.models import Organization
from shudarga.petitions.selectors import petition_list
from shudarga.plans.models import Measure
from shudarga.registers.registry import REGISTERS
from shudarga.registers.selectors import register_rows

# Results shown per kind: a search narrows, it does not list a register.
LIMIT = 10


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class SearchResults:
    q: str
    groups: list[tuple[str, list[Hit]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(hits) for _label, hits in self.groups)


def _measures(organization: Organization, words: list[str]) -> list[Hit]:
    """Measures of the organization's plans whose code or text has every word. Plans hold
    tens of measures, so they are matched in Python with the same folding as the stored
    search columns (one query)."""
    hits = []
    measures = (
        Measure.objects.filter(plan__organization=organization)
        .select_related("plan")
        .only("id", "code", "text", "position", "plan__id", "plan__year", "plan__organization_id")
        .order_by("-plan__year", "-plan_id", "position")
    )
    for measure in measures:
        haystack = fold(f"{measure.code} {measure.text}")
        if all(word in haystack for word in words):
            measure.plan.organization = organization
            hits.append(
                Hit(
                    title=f"{measure.code}. {measure.text[:120]}",
                    url=f"{measure.plan.get_absolute_url()}#m-{measure.code}",
                    detail=str(measure.plan.year),
                )
            )
            if len(hits) == LIMIT:
                break
    return hits


def organization_search(*, organization: Organization, q: str, today: dt.date) -> SearchResults:
    """What matches `q` in `organization` for the person `organization.access` describes.

    Queries: one for measures, one per register (ten), one for evidence, one for
    petitions, whatever the number of rows.
    """
    q = q.strip()[:200]
    results = SearchResults(q=q)
    words = fold(q).split()[:10]
    if not words:
        return results
    results.groups.append((_("Measures"), _measures(organization, words)))
    rows: list[Hit] = []
    for spec in REGISTERS.values():
        rows.extend(
            Hit(
                title=str(row),
                url=reverse("registers:edit", args=[organization.code, spec.key, row.pk]),
                detail=str(spec.verbose_name),
            )
            for row in register_rows(spec=spec, organization=organization, q=q)[:LIMIT]
        )
    results.groups.append((_("Register rows"), rows[: LIMIT * 2]))
    results.groups.append(
        (
            _("Evidence"),
            [
                Hit(
                    title=e.title or e.original_name or e.link,
                    url=reverse("evidence:detail", args=[organization.code, e.pk]),
                    detail=f"{e.measure.code} · {e.relates_to:%Y-%m-%d}",
                )
                for e in evidence_for_organization(organization=organization, q=q)[:LIMIT]
            ],
        )
    )
    personal = organization.access.handles_petitions
    results.groups.append(
        (
            _("Petitions"),
            [
                Hit(
                    title=f"№ {p.registration_no} {p.subject[:100]}",
                    url=reverse("petitions:detail", args=[organization.code, p.pk]),
                    detail=p.get_status_display(),
                )
                for p in petition_list(
                    organization=organization, today=today, q=q, personal=personal
                )[:LIMIT]
            ],
        )
    )
    results.groups = [(label, hits) for label, hits in results.groups if hits]
    return results
