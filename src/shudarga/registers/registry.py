"""The registers, described once: every page, import, export, criteria rule, drafted report
text and dashboard reads this.

A register's `key` is its URL slug and the name rules use (`"events"`). `fields` are the
columns a user edits, imports and exports, in order. `date_field` is the date rules count
by; `kind_field`, when present, is the type a rule may filter on.

What a row *is* (`row_noun`: a material with its channels, a person with appointment and
departure dates, …), whether its rows count for the whole organization
(`organization_wide`: the board, contracts, staff, risks, audits serve the organization,
not one measure), the words of a criterion that point to it (`words`), narrow it
(`word_filters`), ask something of every row (`conditions`) or ask that something was done
at all (`done_words`), and how its rows are told in a report (`tell`, in `telling.py`):
all here, so the criteria, the drafted text and the dashboards cannot mean different things.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from shudarga.registers import telling
from shudarga.registers.fields import is_choice_list
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
class Condition:
    """A yes/no property of one row that an "every row" rule may require ("every contract
    has the anti-corruption clause", "every material shows 110"). `test` reads the row's
    values by field name; `words` are what a criterion says to ask for it."""

    key: str
    label: Any
    test: Callable[[Mapping[str, Any]], bool]
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordFilter:
    """Words of a criterion or its measure that narrow a rule to rows whose `field` is one
    of `values` ("хэлэлцүүлэг, уулзалт" → discussions and meetings)."""

    field: str
    values: tuple[str, ...]
    words: tuple[str, ...]


def _yes(name: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda values: values.get(name) is True


def _filled(name: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda values: bool(str(values.get(name) or "").strip())


def _field_condition(model: type[models.Model], name: str, *words: str) -> Condition:
    return Condition(name, model._meta.get_field(name).verbose_name, _yes(name), words)


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
    row_noun: Any = ""  # what one row is: "material", "person", … (lazily translated)
    organization_wide: bool = False
    words: tuple[str, ...] = ()  # words that point to this register
    word_rank: int = 0  # which register wins when the words point to two equally (lower)
    word_filters: tuple[WordFilter, ...] = ()
    conditions: tuple[Condition, ...] = ()
    done_words: tuple[str, ...] = ()  # "it was done at all": at least one row
    tell: Callable[[list[Any], Any], list[str]] | None = None  # sentences of a report

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def condition(self, key: str) -> Condition | None:
        """The condition `key`: one of `conditions`, or a yes/no column of the register."""
        for condition in self.conditions:
            if condition.key == key:
                return condition
        if key in self.fields and isinstance(self.field(key), models.BooleanField):
            return Condition(key, self.field(key).verbose_name, _yes(key))
        return None

    def all_conditions(self) -> list[Condition]:
        """Every condition a rule may require of this register's rows."""
        keys = [c.key for c in self.conditions] + [
            name
            for name in self.fields
            if isinstance(self.field(name), models.BooleanField)
            and name not in {c.key for c in self.conditions}
        ]
        return [c for key in keys if (c := self.condition(key)) is not None]

    def kind_choices(self) -> list[tuple[str, Any]]:
        """(value, label) of the type a rule may filter on; none without a type."""
        if not self.kind_field:
            return []
        model_field = self.field(self.kind_field)
        if is_choice_list(model_field):
            return list(model_field.options.choices)
        return list(model_field.flatchoices)

    def label_of(self, values: Mapping[str, Any]) -> str:
        """How a row is named in explanations: its sort field, cut at 80 characters."""
        return str(values.get(self.sort_field) or "")[:80]


REGISTERS: dict[str, RegisterSpec] = {
    spec.key: spec
    for spec in (
        RegisterSpec(
            key="publications",
            word_rank=8,
            model=Publication,
            fields=("date", "title", "channels", "material", "produced_by", "copies", "views",
                    "link", "shows_hotline"),
            search_fields=("title", "link"),
            sort_field="title",
            kind_field="material",
            measure_codes=("1.1", "1.4"),
            row_noun=_("material"),
            words=("сурталчилгаа", "материал", "шторк", "нийтлэл", "инфографик",
                   "зурагт хуудас", "хэвлэл мэдээлэл"),
            word_filters=(
                WordFilter("produced_by", ("own",), ("өөрсдийн", "боловсруулсан")),
                WordFilter("produced_by", ("authority",), ("атг-аас", "авлигатай тэмцэх газраас")),
            ),
            conditions=(
                Condition("published", _("published on at least one channel"),
                          lambda v: bool(v.get("channels")), ("олон нийтэд хүргэсэн",)),
                Condition("reach_counted", _("copies or views counted"),
                          lambda v: v.get("copies") is not None or v.get("views") is not None,
                          ("хандалт", "түгээсэн тоо")),
                _field_condition(Publication, "shows_hotline", "110"),
            ),
            done_words=("баримтжуул",),
            tell=telling.publications,
        ),
        RegisterSpec(
            key="events",
            word_rank=7,
            model=Event,
            fields=("date", "kind", "title", "participants", "outcome", "follow_up"),
            search_fields=("title", "outcome", "follow_up"),
            sort_field="title",
            kind_field="kind",
            measure_codes=("1.2", "4.2", "5.1"),
            row_noun=_("event"),
            words=("өдөрлөг", "хэлэлцүүлэг", "уулзалт", "нөлөөллийн", "танилцуулах"),
            word_filters=(
                WordFilter("kind", ("discussion", "meeting"), ("хэлэлцүүлэг", "уулзалт")),
                WordFilter("kind", ("awareness_day", "outreach"),
                           ("өдөрлөг", "нөлөөллийн", "соён гэгээрүүлэх")),
                WordFilter("kind", ("briefing",), ("танилцуулах",)),
            ),
            conditions=(
                Condition("followed_up", _("follow-up actions recorded"), _filled("follow_up"),
                          ("үр дүнд арга хэмжээ",)),
            ),
            done_words=("зохион байгуулсан",),
            tell=telling.events,
        ),
        RegisterSpec(
            key="staff",
            word_rank=6,
            model=StaffMember,
            fields=("name", "position", "unit", "appointed_on", "left_on"),
            search_fields=("name", "position", "unit"),
            sort_field="name",
            date_field="appointed_on",
            measure_codes=("2.1",),
            row_noun=_("person"),
            organization_wide=True,
            words=("томилогд",),
            tell=telling.staff,
        ),
        RegisterSpec(
            key="trainings",
            word_rank=5,
            model=Training,
            fields=("date", "topic", "kind", "organizer"),
            search_fields=("topic", "organizer"),
            sort_field="topic",
            kind_field="kind",
            measure_codes=("2.1", "5.7"),
            row_noun=_("training"),
            words=("сургалт",),
            word_filters=(
                WordFilter("kind", ("procurement",), ("худалдан авах",)),
                WordFilter("kind", ("anti_corruption",),
                           ("ёс зүйн сургалт", "авлигын эсрэг сургалт")),
            ),
            done_words=("сургалтад хамруул",),
            tell=telling.trainings,
        ),
        RegisterSpec(
            key="contracts",
            word_rank=2,
            model=Contract,
            fields=("number", "counterparty", "date", "value", "clause_anti_corruption",
                    "clause_duty_to_report", "clause_damages"),
            search_fields=("number", "counterparty"),
            sort_field="counterparty",
            measure_codes=("3.1",),
            row_noun=_("contract"),
            organization_wide=True,
            words=("гэрээ",),
            conditions=(
                _field_condition(Contract, "clause_anti_corruption", "авлигаас ангид"),
                _field_condition(Contract, "clause_duty_to_report", "мэдээлэх үүр"),
                _field_condition(Contract, "clause_damages", "хохирл"),
            ),
            tell=telling.contracts,
        ),
        RegisterSpec(
            key="board-updates",
            word_rank=1,
            model=BoardUpdate,
            fields=("date", "content"),
            search_fields=("content",),
            sort_field="content",
            measure_codes=("1.3",),
            row_noun=_("board update"),
            organization_wide=True,
            words=("мэдээллийн самбар",),
            tell=telling.board_updates,
        ),
        RegisterSpec(
            key="risks",
            word_rank=4,
            model=Risk,
            fields=("date", "process", "risk", "likelihood", "impact", "owner", "mitigation",
                    "status"),
            search_fields=("process", "risk", "owner", "mitigation"),
            sort_field="process",
            kind_field="status",
            measure_codes=("4.1",),
            row_noun=_("risk"),
            organization_wide=True,
            words=("эрсдэл",),
            conditions=(
                Condition("mitigated", _("prevention recorded"),
                          lambda v: bool(str(v.get("mitigation") or "").strip())
                          or v.get("status") in ("mitigating", "closed"),
                          ("урьдчилан сэргийлэх",)),
            ),
            done_words=("тодорхойл",),
            tell=telling.risks,
        ),
        RegisterSpec(
            key="document-reviews",
            word_rank=9,
            model=DocumentReview,
            fields=("date", "kind", "document", "legal_basis", "outcome", "reviewer"),
            search_fields=("document", "legal_basis", "reviewer"),
            sort_field="document",
            kind_field="kind",
            measure_codes=("5.4", "5.6"),
            row_noun=_("review"),
            words=("дүрэм, журам", "тушаал", "шийдвэр"),
            word_filters=(
                WordFilter("kind", ("management_order",), ("тушаал",)),
                WordFilter("kind", ("internal_rule",), ("дүрэм", "журам")),
            ),
            done_words=("хяналт шинжилгээ", "хяналт тавих", "хянасан"),
            tell=telling.document_reviews,
        ),
        RegisterSpec(
            key="audits",
            word_rank=3,
            model=Audit,
            fields=("date", "kind", "period_covered", "findings", "follow_up"),
            search_fields=("period_covered", "findings", "follow_up"),
            sort_field="period_covered",
            kind_field="kind",
            measure_codes=("5.8",),
            row_noun=_("audit"),
            organization_wide=True,
            words=("аудит",),
            done_words=("аудит",),
            tell=telling.audits,
        ),
        RegisterSpec(
            key="oversight",
            word_rank=10,
            model=OversightItem,
            fields=("date", "kind", "source", "content", "action_taken", "done_on"),
            search_fields=("source", "content", "action_taken"),
            sort_field="content",
            kind_field="kind",
            measure_codes=("3.2", "5.2"),
            row_noun=_("oversight item"),
            words=("зөвлөмж", "олон нийтийн хяналт"),
            word_filters=(
                WordFilter("kind", ("recommendation",), ("авлигатай тэмцэх газраас", "атг-ын")),
                WordFilter("kind", ("public_oversight",), ("олон нийтийн хяналт",)),
            ),
            conditions=(
                Condition("acted_on", _("acted on"), lambda v: v.get("done_on") is not None,
                          ("хэрэгжүүлсэн", "тусгасан")),
            ),
            done_words=("хүлээн ав",),
            tell=telling.oversight,
        ),
    )
}  # fmt: skip


def get_register(key: str) -> RegisterSpec:
    """The register with URL key `key`; KeyError if there is none."""
    return REGISTERS[key]
