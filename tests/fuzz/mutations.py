"""Mutations of a plan document, the same for Hypothesis and for the seeded random run.

A mutation is a tuple `(kind, a, b, text)`; byte flips and `truncate_bytes` work on bytes,
text insertion and `truncate` on letters, the rest on lines and tab-separated cells.
Positions are taken modulo the document's size when applied, so any integers make a valid
mutation and Hypothesis can shrink them freely.
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import strategies as st

SEED_PATH = Path(__file__).resolve().parents[2] / "src/shudarga/plans/fixtures/seed_plan_2023.txt"
SEED = SEED_PATH.read_bytes()

KINDS = (
    "flip_byte",
    "delete_line",
    "duplicate_line",
    "swap_lines",
    "insert_tab",
    "delete_tab",
    "truncate",
    "truncate_bytes",
    "insert_text",
    "replace_cell",
)

CYRILLIC = "АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\u2028\u2029\ufeff\u00a0\u200b"
PLAN_PUNCTUATION = "0123456789.-–;:•·▪“”()/№ \t\n\r"
# Words the reader looks for: headers, goal headings, signature labels, dates.
WORDS = (
    "Д/д",
    "Зорилго",
    "Хэрэгжүүлэх арга хэмжээ",
    "Гүйцэтгэлийн шалгуур үзүүлэлт",
    "Хугацаа",
    "Суурь түвшин",
    "Зорилтот түвшин",
    "ЗОРИЛТ 1.",
    "Нэг.",
    "ХЯНАСАН:",
    "БАТЛАВ",
    "ТӨЛӨВЛӨГӨӨ",
    "Эрх зүйн үндэслэл:",
    "2023 оны 13 дугаар сарын 45",
    "2023 оны 2 дугаар сарын 30",
    "9999 оны 1 дүгээр сарын 1",
    "1.1.1.",
    "99.99.",
    "0.",
    "{",
    "%PDF",
    "PK\x03\x04",
)
ALPHABET = CYRILLIC + LATIN + CONTROL + PLAN_PUNCTUATION

_text = st.one_of(
    st.text(alphabet=ALPHABET, min_size=1, max_size=12),
    st.sampled_from(WORDS),
)
_position = st.integers(min_value=0, max_value=2**20)
mutation = st.tuples(st.sampled_from(KINDS), _position, _position, _text)
mutations = st.lists(mutation, min_size=1, max_size=8)


# A flipped byte inside Cyrillic text, or a burst of control characters, makes the file
# invalid UTF-8 or binary and it is refused at once; weighting them lower sends more inputs
# through the table rules, where the interesting mistakes are.
_KIND_WEIGHTS = {
    kind: 1 if kind in {"flip_byte", "truncate", "truncate_bytes"} else 3 for kind in KINDS
}
_PRINTABLE = CYRILLIC + LATIN + PLAN_PUNCTUATION


def random_mutation(rng: random.Random) -> tuple[str, int, int, str]:
    """One mutation drawn from `rng`, over the same space as the `mutation` strategy."""
    draw = rng.random()
    if draw < 0.3:
        text = rng.choice(WORDS)
    else:
        alphabet = ALPHABET if draw > 0.85 else _PRINTABLE
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
    kind = rng.choices(KINDS, weights=[_KIND_WEIGHTS[k] for k in KINDS])[0]
    return (kind, rng.randrange(2**20), rng.randrange(2**20), text)


def apply(data: bytes, ops: list[tuple[str, int, int, str]]) -> bytes:
    for op in ops:
        data = _apply_one(data, *op)
    return data


def _apply_one(data: bytes, kind: str, a: int, b: int, text: str) -> bytes:
    if kind == "flip_byte":
        if not data:
            return data
        i = a % len(data)
        return data[:i] + bytes([data[i] ^ (b % 255 + 1)]) + data[i + 1 :]
    if kind == "truncate_bytes":  # a download cut off, maybe inside a letter
        return data[: a % (len(data) + 1)]
    if kind in {"truncate", "insert_text"}:
        # At a letter boundary: Cyrillic letters are two bytes, and splitting one would only
        # test the UTF-8 check. Bytes that are already not UTF-8 stay as they are.
        chars = data.decode("utf-8", "surrogateescape")
        i = a % (len(chars) + 1)
        chars = chars[:i] if kind == "truncate" else chars[:i] + text + chars[i:]
        return chars.encode("utf-8", "surrogateescape")
    lines = data.split(b"\n")
    i, j = a % len(lines), b % len(lines)
    if kind == "delete_line":
        del lines[i]
    elif kind == "duplicate_line":
        lines.insert(j, lines[i])
    elif kind == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert_tab":
        k = b % (len(lines[i]) + 1)
        lines[i] = lines[i][:k] + b"\t" + lines[i][k:]
    elif kind == "delete_tab":
        tabs = [k for k, byte in enumerate(lines[i]) if byte == 9]
        if tabs:
            k = tabs[b % len(tabs)]
            lines[i] = lines[i][:k] + lines[i][k + 1 :]
    elif kind == "replace_cell":
        cells = lines[i].split(b"\t")
        cells[b % len(cells)] = text.encode("utf-8")
        lines[i] = b"\t".join(cells)
    return b"\n".join(lines)
