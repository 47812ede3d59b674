"""Every register, choice and rule kind is described once and covered everywhere: a new
register, choice or kind that is not fails here, before a page or a report gets it wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from shudarga.criteria.models import CriterionRule
from shudarga.criteria.rules import Facts, Kind, Period, Rule, Status, evaluate
from shudarga.registers.fields import is_choice_list
from shudarga.registers.models import RegisterRow
from shudarga.registers.registry import REGISTERS
from shudarga.reports.drafting import TOLD_ORDER

PO = Path(__file__).parents[2] / "src/shudarga/locale/mn/LC_MESSAGES/django.po"


def _po_entries() -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) of the one-line entries of the Mongolian catalogue."""
    entries, fuzzy, msgid = {}, False, None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            msgid = line[7:-1]
        elif line.startswith("msgstr ") and msgid is not None:
            entries[msgid] = (line[8:-1], fuzzy)
            fuzzy, msgid = False, None
    return entries


def test_every_register_model_has_a_spec():
    models_ = {
        m for m in apps.get_app_config("registers").get_models() if issubclass(m, RegisterRow)
    }
    assert models_ == {spec.model for spec in REGISTERS.values()}


@pytest.mark.parametrize("key", list(REGISTERS))
def test_every_register_says_what_a_row_is_and_how_it_is_told(key):
    spec = REGISTERS[key]
    assert str(spec.row_noun), "what one row is"
    assert spec.words, "the words of a criterion that point to it"
    assert spec.tell is not None and key in TOLD_ORDER, "how it is told in a report"
    assert spec.word_rank and len({s.word_rank for s in REGISTERS.values()}) == len(REGISTERS)
    for word_filter in spec.word_filters:
        allowed = {str(v) for v, _label in spec.field(word_filter.field).flatchoices}
        assert set(word_filter.values) <= allowed, word_filter
    for condition in spec.conditions:
        condition.test({})  # a condition reads values by name, missing ones included


def _choice_labels():
    for spec in REGISTERS.values():
        for name in spec.fields:
            model_field = spec.field(name)
            choices = (
                model_field.options.choices if is_choice_list(model_field)
                else model_field.flatchoices
            )  # fmt: skip
            for value, label in choices or ():
                yield f"{spec.key}.{name}={value}", label


@pytest.mark.parametrize(("where", "label"), list(_choice_labels()))
def test_every_choice_has_its_mongolian_word(where, label):
    # The report's Mongolian text uses each choice's own label in Mongolian.
    with translation.override("en"):
        msgid = str(label)
    msgstr, fuzzy = _po_entries().get(msgid, ("", False))
    assert msgstr and not fuzzy, where


FACTS = Facts(period=Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), today=dt.date(2024, 2, 1))


@pytest.mark.parametrize("kind", Kind.ALL)
def test_every_rule_kind_is_labelled_and_evaluated(kind):
    assert kind in dict(CriterionRule.KIND_CHOICES)
    rule = Rule(kind=kind, register="events" if kind in Kind.REGISTER else "",
                require={"followed_up": True} if kind == Kind.ALL_ROWS else {})  # fmt: skip
    result = evaluate(rule, measure_id=1, criterion_id=1, facts=FACTS)
    assert result.status in Status.ALL
    assert (result.status == Status.MANUAL) == (kind == Kind.MANUAL)


def test_every_status_is_shown():
    template = (
        Path(__file__).parents[2] / "src/shudarga/criteria/templates/criteria/_status.html"
    ).read_text()
    for status in Status.ALL:
        assert f"'{status}'" in template or status == Status.MANUAL


def test_the_channels_are_a_list_of_choices():
    field = REGISTERS["publications"].field("channels")
    assert is_choice_list(field) and isinstance(field, models.JSONField)
