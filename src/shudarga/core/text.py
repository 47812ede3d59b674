"""Text helpers for Mongolian documents."""

from __future__ import annotations

import re
import unicodedata

_WS_RE = re.compile(r"\s+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_TOKEN_RE = re.compile(r"\S+")
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def squash(text: str) -> str:
    """Whitespace runs (tabs, newlines, non-breaking spaces) to one space, ends trimmed."""
    return _WS_RE.sub(" ", text.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """A key for case-insensitive comparison that also works for Ө ө Ү ү Ё ё."""
    return unicodedata.normalize("NFC", text).casefold()


def mixed_script_tokens(text: str) -> list[str]:
    """Words that mix Latin and Cyrillic letters, such as `khutulbur.iaас.mn` typed with
    Cyrillic а/с: they look right and break links, searches and e-mail addresses."""
    # A run of letters mixing the scripts: "iaас" in the address. "E-Mongolia”-аар" is a
    # Latin word with a Mongolian case ending after a hyphen, as it is written.
    return [
        token
        for token in _TOKEN_RE.findall(text)
        if any(
            _CYRILLIC_RE.search(run) and _LATIN_RE.search(run) for run in _LETTERS_RE.findall(token)
        )
    ]


def cyrillic_letters_in(token: str) -> list[str]:
    return sorted(set(_CYRILLIC_RE.findall(token)))


MN_ALPHABET = "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"
_MN_RANK = {letter: index for index, letter in enumerate(MN_ALPHABET)}


def search_key(*parts: object) -> str:
    """The text a row is searched by: its fields folded to lower case (Cyrillic included)
    and joined. Stored in a column by the services, because SQLite's LIKE folds only ASCII
    letters; comparing folded text with folded text works on every database."""
    return fold(" ".join(squash(str(p)) for p in parts if p not in (None, "")))[:4000]


def mn_sort_key(text: str) -> str:
    """An ASCII key that sorts in Mongolian alphabetical order under any collation:
    а б в г д е ё ж з и й к л м н о ө п р с т у ү ф х ц ч ш щ ъ ы ь э ю я, with digits
    first and Latin letters after Cyrillic (ё, ө, ү are not put after я)."""
    out = []
    for ch in fold(squash(text))[:200]:
        if ch.isdigit():
            out.append("0" + ch)
        elif ch in _MN_RANK:
            out.append(f"{_MN_RANK[ch] + 10:02d}")
        elif "a" <= ch <= "z":
            out.append(f"{ord(ch) - ord('a') + 50:02d}")
        elif ch == " ":
            out.append("00")
        else:
            out.append("99")
    return "".join(out)


def name_key(name: str, limit: int = 255) -> str:
    """How names are matched ("Хүний нөөцийн алба" = "хүний  нөөцийн алба."): folded, one
    space, no punctuation at the ends."""
    return fold(squash(name)).strip(" .,;:–-")[:limit]
