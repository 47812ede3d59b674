"""Property-based tests of the plan importer: whatever the bytes, a plan or a clear error.

Inputs are the seed document (the 2023 plan as Word saves it as text) with mutations a real
file suffers — bytes flipped, lines lost, doubled or swapped, tabs added or lost, cut off,
stray Cyrillic, Latin and control characters — plus its interchange JSON mutated in shape,
and bytes of no format at all.
"""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from shudarga.plans.documents import json_format
from shudarga.plans.documents.reading import read_plan_document
from tests.fuzz.mutations import SEED, apply, mutations
from tests.fuzz.outcomes import PLAN, read_outcome

SEED_DOCUMENT = read_plan_document(SEED)
SEED_JSON = json_format.write(SEED_DOCUMENT)


def test_the_unmutated_seed_is_a_plan():
    assert read_outcome(SEED)[0] == PLAN


@given(ops=mutations)
@example(ops=[("truncate", 0, 0, "x")])
@example(ops=[("insert_text", 0, 0, "\x00")])
@example(ops=[("delete_tab", 11, 0, "x"), ("delete_tab", 11, 0, "x")])  # the header's tabs
def test_a_mutated_seed_becomes_a_plan_or_a_clear_error(ops):
    read_outcome(apply(SEED, ops))


@given(ops=mutations)
def test_a_mutated_interchange_json_becomes_a_plan_or_a_clear_error(ops):
    read_outcome(apply(SEED_JSON, ops))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _replace_at(node, path: list[int], value):
    """`node` with the element that `path` leads to (indexes taken modulo, through dicts
    and lists) replaced by `value`."""
    if not path or not isinstance(node, dict | list) or not node:
        return value
    if isinstance(node, dict):
        key = sorted(node)[path[0] % len(node)]
        return {**node, key: _replace_at(node[key], path[1:], value)}
    index = path[0] % len(node)
    return [*node[:index], _replace_at(node[index], path[1:], value), *node[index + 1 :]]


@given(
    path=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=5),
    value=_json_values,
)
def test_a_json_plan_with_any_value_anywhere_becomes_a_plan_or_a_clear_error(path, value):
    data = _replace_at(SEED_DOCUMENT.to_dict(), path, value)
    read_outcome(json.dumps(data, ensure_ascii=False).encode())


@given(data=st.binary(max_size=4096))
def test_any_bytes_become_a_plan_or_a_clear_error(data):
    read_outcome(data)


@given(
    lines=st.lists(
        st.lists(
            st.sampled_from(["Д/д", "Зорилго", "Хэрэгжүүлэх арга хэмжээ", "Гүйцэтгэлийн шалгуур",
                             "1", "1.1.", "1.1.1", "ЗОРИЛТ 2.", "ХЯНАСАН:", "-", "• а; б", "",
                             "ТӨЛӨВЛӨГӨӨ 2023", "Нэг. Зорилго"]) | st.text(max_size=10),
            max_size=6,
        ),
        max_size=12,
    )
)  # fmt: skip
def test_any_table_of_plan_words_becomes_a_plan_or_a_clear_error(lines):
    read_outcome("\n".join("\t".join(cells) for cells in lines).encode())
