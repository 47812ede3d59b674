"""The registers, described once: every page, import, export and criteria rule reads this.

A register's `key` is its URL slug and the name rules use (`"events"`). `fields` are the
columns a user edits, imports and exports, in order. `date_field` is the date rules count
by; `kind_field`, when present, is the type a rule may filter on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from shudarga.registers.models import (
    Audit,
    BoardUpdate,
    Contract,
    DocumentReview,
    Event,
    OversightItem,
    Publication,
    RegisterRow,
    Risk,
    StaffMember,
    Training,
)


@dataclass(frozen=True)
class RegisterSpec:
    key: str
    model: type[RegisterRow]
    fields: tuple[str, ...]
    search_fields: tuple[str, ...]
    sort_field: str
    date_field: str = "date"
    kind_field: str | None = None
    measure_codes: tuple[str, ...] = ()  # the seed measures this register usually serves

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


REGISTERS: dict[str, RegisterSpec] = {
    spec.key: spec
    for spec in (
        RegisterSpec(
            key="publications",
            model=Publication,
            fields=("date", "title", "channel", "material", "produced_by", "copies", "views",
                    "link", "shows_hotline"),
            search_fields=("title", "link"),
            sort_field="title",
            kind_field="channel",
            measure_codes=("1.1", "1.4"),
        ),
        RegisterSpec(
            key="events",
            model=Event,
            fields=("date", "kind", "title", "participants", "outcome", "follow_up"),
            search_fields=("title", "outcome", "follow_up"),
            sort_field="title",
            kind_field="kind",
            measure_codes=("1.2", "4.2", "5.1"),
        ),
        RegisterSpec(
            key="staff",
            model=StaffMember,
            fields=("name", "position", "unit", "appointed_on", "left_on"),
            search_fields=("name", "position", "unit"),
            sort_field="name",
            date_field="appointed_on",
            measure_codes=("2.1",),
        ),
        RegisterSpec(
            key="trainings",
            model=Training,
            fields=("date", "topic", "kind", "organizer"),
            search_fields=("topic", "organizer"),
            sort_field="topic",
            kind_field="kind",
            measure_codes=("2.1", "5.7"),
        ),
        RegisterSpec(
            key="contracts",
            model=Contract,
            fields=("number", "counterparty", "date", "value", "clause_anti_corruption",
                    "clause_duty_to_report", "clause_damages"),
            search_fields=("number", "counterparty"),
            sort_field="counterparty",
            measure_codes=("3.1",),
        ),
        RegisterSpec(
            key="board-updates",
            model=BoardUpdate,
            fields=("date", "content"),
            search_fields=("content",),
            sort_field="content",
            measure_codes=("1.3",),
        ),
        RegisterSpec(
            key="risks",
            model=Risk,
            fields=("date", "process", "risk", "likelihood", "impact", "owner", "mitigation",
                    "status"),
            search_fields=("process", "risk", "owner", "mitigation"),
            sort_field="process",
            kind_field="status",
            measure_codes=("4.1",),
        ),
        RegisterSpec(
            key="document-reviews",
            model=DocumentReview,
            fields=("date", "kind", "document", "legal_basis", "outcome", "reviewer"),
            search_fields=("document", "legal_basis", "reviewer"),
            sort_field="document",
            kind_field="kind",
            measure_codes=("5.4", "5.6"),
        ),
        RegisterSpec(
            key="audits",
            model=Audit,
            fields=("date", "kind", "period_covered", "findings", "follow_up"),
            search_fields=("period_covered", "findings", "follow_up"),
            sort_field="period_covered",
            kind_field="kind",
            measure_codes=("5.8",),
        ),
        RegisterSpec(
            key="oversight",
            model=OversightItem,
            fields=("date", "kind", "source", "content", "action_taken", "done_on"),
            search_fields=("source", "content", "action_taken"),
            sort_field="content",
            kind_field="kind",
            measure_codes=("3.2", "5.2"),
        ),
    )
}  # fmt: skip


def get_register(key: str) -> RegisterSpec:
    """The register with URL key `key`; KeyError if there is none."""
    return REGISTERS[key]
