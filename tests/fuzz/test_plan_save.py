"""Saving a fuzzed plan document creates the whole plan or nothing at all."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shudarga.plans.documents.model import MAX_GOAL_NUMBER, MAX_LENGTHS, PlanImportError
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Activity, Criterion, Goal, Measure, Plan, Signature
from shudarga.plans.services import plan_create_from_document
from tests.factories import OrganizationFactory
from tests.fuzz.mutations import SEED, apply, mutation
from tests.fuzz.outcomes import ERROR, read_outcome
from tests.fuzz.profiles import examples

pytestmark = pytest.mark.django_db

MODELS = (Plan, Goal, Activity, Measure, Criterion, Signature)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _save_all_or_nothing(organization, document) -> None:
    """Save `document`; on success every row of it is there, on failure none is."""
    before = _counts()
    # Each example in a savepoint rolled back at its end, so examples do not pile up.
    with transaction.atomic():
        try:
            plan = plan_create_from_document(
                organization=organization, document=document, actor=None, source_name="fuzz"
            )
        except (PlanImportError, ValidationError):
            assert _counts() == before, "a refused plan left rows behind"
        else:
            after = _counts()
            assert after["Plan"] == before["Plan"] + 1
            assert after["Goal"] - before["Goal"] == len(document.goals) == plan.goals.count()
            assert after["Measure"] - before["Measure"] == len(document.measures)
            assert after["Criterion"] - before["Criterion"] == sum(
                len(m.criteria) for m in document.measures
            )
        transaction.set_rollback(True)
    assert _counts() == before


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(mutation, min_size=1, max_size=3))
# Found by this test on PostgreSQL: a long line moved under a signature label made a 592-letter
# job title, and saving it failed with DataError (a server error) instead of a message.
@example(ops=[("duplicate_line", 111, 1238, "0")])
def test_a_mutated_seed_is_saved_whole_or_not_at_all(ops):
    outcome, document = read_outcome(apply(SEED, ops))
    if outcome == ERROR:
        return  # nothing to save; the reading tests cover it
    _save_all_or_nothing(OrganizationFactory(), document)


_text = st.text(max_size=600)


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["title", "place", "goal", "measure", "code", "criterion",
                           "activity", "due", "responsible", "signature"]),
    value=_text,
    number=st.integers(min_value=-(2**40), max_value=2**40),
)  # fmt: skip
# Found by this test on PostgreSQL: out-of-range goal numbers, over-long codes and NUL
# characters reached the database and failed there.
@example(field="goal", value="", number=32768)
@example(field="goal", value="", number=-1)
@example(field="code", value="1." + "1" * 30, number=1)
@example(field="activity", value="1." + "1" * 30, number=1)
@example(field="signature", value="Х" * 101, number=1)
@example(field="criterion", value="\x00", number=1)
def test_a_json_plan_with_odd_values_is_saved_whole_or_not_at_all(field, value, number):
    """Values no table would produce but an interchange JSON may carry: long texts, odd
    goal numbers, control characters."""
    data = read_plan_document(SEED).to_dict()
    goal, measure = data["goals"][0], data["goals"][0]["measures"][0]
    if field in {"title", "place"}:
        data[field] = value
    elif field == "goal":
        goal["text"], goal["number"] = value, number
    elif field == "measure":
        measure["text"] = value
    elif field == "code":
        measure["code"] = value
    elif field == "criterion":
        measure["criteria"] = [value]
    elif field == "activity":
        goal["activities"] = [{"code": value, "text": value, "legal_basis": value}]
        measure["activity"] = value
    elif field in {"due", "responsible"}:
        measure[field] = value
    else:
        data["signatures"] = [{"label": value, "title": value, "name": value}]
    outcome, document = read_outcome(json.dumps(data).encode())
    if outcome == ERROR:
        return
    _save_all_or_nothing(OrganizationFactory(), document)


def test_the_document_limits_are_the_columns_sizes():
    """`PlanDocument.validate()` refuses what the plan tables cannot hold."""
    columns = {
        "title": Plan._meta.get_field("title"),
        "place": Plan._meta.get_field("place"),
        "code": Measure._meta.get_field("code"),
        "signature_label": Signature._meta.get_field("label"),
        "signature_title": Signature._meta.get_field("title"),
        "signature_name": Signature._meta.get_field("name"),
    }
    assert {key: field.max_length for key, field in columns.items()} == MAX_LENGTHS
    assert Activity._meta.get_field("code").max_length == MAX_LENGTHS["code"]
    assert MAX_GOAL_NUMBER == 32767  # PositiveSmallIntegerField's range on every database
