"""The numbers and bullets Word draws in front of list paragraphs (`numbering.xml`).

A plan typed with Word's automatic numbering keeps its codes ("1.1.1.") and bullets ("·")
outside the paragraph's text: the paragraph only says "list 7, level 2". This module
replays the lists in document order, as Word does, and gives each paragraph the label Word
shows, so the importer reads "1.1.1. Авлигын эсрэг…" exactly as the page does.

Counters belong to the abstract list: paragraphs of two list instances (`w:num`) of the
same abstract list continue one count, unless an instance restarts a level with
`w:startOverride`. A paragraph at one level restarts the counts of the deeper levels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

_W_VAL = qn("w:val")
BULLET = "•"
# Private-use characters of the Symbol and Wingdings fonts that Word uses as bullets.
SYMBOL_BULLETS = {"\uf0b7", "\uf0a7", "\uf076", "\uf0d8", "\uf0fc", "\uf0a8", "\uf06f", "\uf02d"}


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False  # isLgl: every level shown as a decimal number
    restart: int | None = None  # lvlRestart: restart after this level (1-based), 0 = never


@dataclass
class _Instance:
    abstract: str
    levels: dict[int, _Level]
    start_overrides: dict[int, int] = field(default_factory=dict)


def _val(element: Any, tag: str, default: str | None = None) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    if child is None:
        return default
    return child.get(_W_VAL, default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _read_level(lvl: Any, base: _Level | None = None) -> _Level:
    level = _Level(**vars(base)) if base else _Level()
    if (start := _val(lvl, "w:start")) is not None:
        level.start = _int(start, 1)
    if (fmt := _val(lvl, "w:numFmt")) is not None:
        level.fmt = fmt
    if (text := _val(lvl, "w:lvlText")) is not None:
        level.text = text
    if lvl.find(qn("w:isLgl")) is not None:
        level.legal = _val(lvl, "w:isLgl", "true") not in ("0", "false", "off")
    if (restart := _val(lvl, "w:lvlRestart")) is not None:
        level.restart = _int(restart, 0)
    return level


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _letters(number: int, alphabet: str) -> str:
    # Word repeats the letter past the alphabet: a … z, aa … zz.
    index = (number - 1) % len(alphabet)
    return alphabet[index] * ((number - 1) // len(alphabet) + 1)


def format_number(number: int, fmt: str) -> str:
    """`number` as a list level of format `fmt` shows it."""
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(max(number, 1))
        return text.upper() if fmt == "upperRoman" else text
    if fmt in ("upperLetter", "lowerLetter"):
        text = _letters(max(number, 1), "abcdefghijklmnopqrstuvwxyz")
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("russianUpper", "russianLower"):
        text = _letters(max(number, 1), _RUSSIAN)
        return text.upper() if fmt == "russianUpper" else text
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "none":
        return ""
    return str(number)  # decimal and every format we do not draw differently


class Numbering:
    """Replays a document's lists. Call `label(paragraph)` for every paragraph in document
    order (table cells included); it returns the label Word shows, or ""."""

    def __init__(self, numbering: Any = None, styles: Any = None) -> None:
        abstracts: dict[str, dict[int, _Level]] = {}
        style_links: dict[str, str] = {}  # abstract id -> numbering style it follows
        if numbering is not None:
            for abstract in numbering.iterchildren(qn("w:abstractNum")):
                levels = {
                    _int(lvl.get(qn("w:ilvl")), 0): _read_level(lvl)
                    for lvl in abstract.iterchildren(qn("w:lvl"))
                }
                abstract_id = abstract.get(qn("w:abstractNumId"), "")
                abstracts[abstract_id] = levels
                if (link := _val(abstract, "w:numStyleLink")) is not None:
                    style_links[abstract_id] = link
        self._instances: dict[str, _Instance] = {}
        if numbering is not None:
            for num in numbering.iterchildren(qn("w:num")):
                abstract_id = _val(num, "w:abstractNumId", "") or ""
                instance = _Instance(abstract_id, dict(abstracts.get(abstract_id, {})))
                for override in num.iterchildren(qn("w:lvlOverride")):
                    ilvl = _int(override.get(qn("w:ilvl")), 0)
                    if (start := _val(override, "w:startOverride")) is not None:
                        instance.start_overrides[ilvl] = _int(start, 1)
                    if (lvl := override.find(qn("w:lvl"))) is not None:
                        instance.levels[ilvl] = _read_level(lvl, instance.levels.get(ilvl))
                self._instances[num.get(qn("w:numId"), "")] = instance
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        if styles is not None:
            for style in styles.iterchildren(qn("w:style")):
                ppr = style.find(qn("w:pPr"))
                numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
                self._styles[style.get(qn("w:styleId"), "")] = (
                    _val(numpr, "w:numId"),
                    _val(numpr, "w:ilvl"),
                    _val(style, "w:basedOn"),
                )
        # A list defined by a numbering style (numStyleLink): use that style's list.
        for instance in self._instances.values():
            link = style_links.get(instance.abstract)
            if link and not instance.levels:
                num_id, _ilvl, _based = self._style_numbering(link)
                if num_id in self._instances:
                    target = self._instances[num_id]
                    instance.abstract, instance.levels = target.abstract, target.levels
        self._counts: dict[str, dict[int, int]] = {}
        self._started: set[tuple[str, int]] = set()

    def _style_numbering(self, style_id: str) -> tuple[str | None, str | None, str | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, ilvl, based = self._styles.get(style_id, (None, None, None))
            if num_id is not None:
                return num_id, ilvl, None
            style_id = based or ""
        return None, None, None

    def label(self, paragraph: Any) -> str:
        """The label of `paragraph` (a `w:p` element), advancing the list counters."""
        ppr = paragraph.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(numpr, "w:numId")
        ilvl_text = _val(numpr, "w:ilvl")
        if num_id is None and ppr is not None and (style := _val(ppr, "w:pStyle")):
            num_id, style_ilvl, _based = self._style_numbering(style)
            ilvl_text = ilvl_text if ilvl_text is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._instances:
            return ""
        instance = self._instances[num_id]
        ilvl = max(0, min(_int(ilvl_text, 0), 8))
        level = instance.levels.get(ilvl)
        if level is None:
            return ""
        counts = self._counts.setdefault(instance.abstract, {})
        if (num_id, ilvl) not in self._started and ilvl in instance.start_overrides:
            counts.pop(ilvl, None)  # this instance restarts the level
            start = instance.start_overrides[ilvl]
        else:
            start = level.start
        self._started.add((num_id, ilvl))
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else start
        for deeper in [k for k in counts if k > ilvl]:
            deeper_level = instance.levels.get(deeper)
            if deeper_level is None or deeper_level.restart != 0:
                del counts[deeper]
        if level.fmt == "bullet":
            return BULLET
        text = level.text
        for k in range(ilvl + 1):
            placeholder = f"%{k + 1}"
            if placeholder not in text:
                continue
            k_level = instance.levels.get(k, _Level())
            value = counts.get(k, k_level.start)
            fmt = "decimal" if level.legal and k < ilvl else k_level.fmt
            text = text.replace(placeholder, format_number(value, fmt))
        return text.strip()
