"""Text helpers for Mongolian documents."""

from __future__ import annotations

import re
import unicodedata

_WS_RE = re.compile(r"\s+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_TOKEN_RE = re.compile(r"\S+")


def squash(text: str) -> str:
    """Whitespace runs (tabs, newlines, non-breaking spaces) to one space, ends trimmed."""
    return _WS_RE.sub(" ", text.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """A key for case-insensitive comparison that also works for Ө ө Ү ү Ё ё."""
    return unicodedata.normalize("NFC", text).casefold()


def mixed_script_tokens(text: str) -> list[str]:
    """Words that mix Latin and Cyrillic letters, such as `khutulbur.iaас.mn` typed with
    Cyrillic а/с: they look right and break links, searches and e-mail addresses."""
    return [
        token
        for token in _TOKEN_RE.findall(text)
        if _CYRILLIC_RE.search(token) and _LATIN_RE.search(token)
    ]


def cyrillic_letters_in(token: str) -> list[str]:
    return sorted(set(_CYRILLIC_RE.findall(token)))
