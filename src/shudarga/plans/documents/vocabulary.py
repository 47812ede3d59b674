"""The words and patterns real plan tables use: column headers, codes, goal headings, units.

Header words are matched on folded text. Mongolian puts the head of a noun phrase last, so
when a header names several things ("Зорилтын хүрээнд хэрэгжүүлэх үйл ажиллагаа", "Үйл
ажиллагааны зорилт") the word that comes last says what the column holds.
"""

from __future__ import annotations

import difflib
import re

from django.utils.translation import gettext_lazy as _

from shudarga.core.text import fold, squash

# -- column roles ------------------------------------------------------------------------

NUMBER = "number"
HEADING = "heading"  # a direction or section above the goals
GOAL = "goal"
ACTIVITY = "activity"
MEASURE = "measure"
CRITERIA = "criteria"
EXPECTED_RESULT = "expected_result"
DUE = "due"
RESPONSIBLE = "responsible"
BASELINE = "baseline"
TARGET = "target"
LEGAL_BASIS = "legal_basis"
OTHER = "other"  # kept with the measure under its header
IGNORE = "ignore"  # not part of the plan (implementation, score columns)

HIERARCHY = (HEADING, GOAL, ACTIVITY, MEASURE)
CONTENT_ROLES = {HEADING, GOAL, ACTIVITY, MEASURE, CRITERIA, EXPECTED_RESULT}
MEASURE_FIELDS = (CRITERIA, EXPECTED_RESULT, DUE, RESPONSIBLE, BASELINE, TARGET, LEGAL_BASIS)

ROLE_LABELS = {
    NUMBER: _("Number or code"),
    HEADING: _("Direction heading"),
    GOAL: _("Goal"),
    ACTIVITY: _("Main activity"),
    MEASURE: _("Measure to implement"),
    CRITERIA: _("Performance criteria"),
    EXPECTED_RESULT: _("Expected result"),
    DUE: _("Deadline"),
    RESPONSIBLE: _("Responsible"),
    BASELINE: _("Baseline level"),
    TARGET: _("Target level"),
    LEGAL_BASIS: _("Legal basis"),
    OTHER: _("Other (kept as it is)"),
    IGNORE: _("Not part of the plan"),
}
ROLES = tuple(ROLE_LABELS)

_NUMBER_HEADER_RE = re.compile(
    r"^(?:д\s*/\s*д|д\.\s*д\.?|дд|№|№\s*д/д|д/д\s*№|#|no\.?|n|№\s*/\s*д|дугаар|код|"
    r"ж/д|д/№|д\s*\\\s*д)$"
)
_IMPLEMENTATION_WORDS = (
    "биелэлт", "хэрэгжилт", "хувь", "тайлан", "үнэлгээ", "оноо", "гүйцэтгэл",
    "implementation", "progress", "score", "status",
)  # fmt: skip
_OTHER_WORDS = ("төсөв", "санхүүжилт", "зардал", "эх үүсвэр", "хамтран", "хамтрах", "тайлбар",
                "budget", "cost", "funding", "partner", "note", "remark")  # fmt: skip
_RESPONSIBLE_WORDS = ("хариуцах", "хариуцан", "хариуцсан", "хэрэгжүүлэгч", "гүйцэтгэгч",
                      "хэрэгжүүлэх байгууллага", "хэрэгжүүлэх нэгж", "эзэн", "responsible",
                      "owner")  # fmt: skip
_HIERARCHY_WORDS = [
    (r"арга\s+хэмжээ", MEASURE),
    (r"үйл\s+ажиллагаа", MEASURE),  # "Үндсэн үйл ажиллагаа" is handled before
    (r"хэрэгжүүлэх\s+ажил", MEASURE),
    (r"\bажил\b", MEASURE),
    (r"зорил(?:т|го)(?!от)", GOAL),
    (r"чиглэл", HEADING),
    (r"\b(?:measure|action|activit(?:y|ies))\b", MEASURE),
    (r"\b(?:objective|goal)s?\b", GOAL),
]


# Words of real headers, for reading headers typed with a slip ("узуулэлт", "хугацаа" with
# a Latin "a", "Шалгуур үзүүлэт").
_HEADER_WORDS = (
    "шалгуур", "үзүүлэлт", "гүйцэтгэлийн", "гүйцэтгэл", "хугацаа", "хариуцах", "хариуцсан",
    "хариуцан", "хэрэгжүүлэх", "хэрэгжих", "хэмжээ", "арга", "зорилт", "зорилго", "зорилтот",
    "зорилтын", "ажиллагаа", "ажиллагааны", "үндсэн", "түвшин", "суурь", "хүрэх", "дүн", "эзэн",
    "нэгж", "чиглэл", "чиглэлээр", "биелэлт", "үндэслэл", "хэрэгжилт", "бодлогын", "хүрээнд",
)  # fmt: skip
_LOOKALIKES = str.maketrans("aeopcxykmthb", "аеорсхукмтнв")
_PLAIN = str.maketrans("үөёй", "уоеи")


def _plain(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word.translate(_PLAIN))


_PLAIN_WORDS = {_plain(w): w for w in _HEADER_WORDS}


def repair_header(text: str) -> str:
    """The header with each slightly mistyped word replaced by the header word it is
    closest to (Latin look-alike letters, a letter missing or doubled)."""
    words = []
    for word in fold(squash(text)).split(" "):
        core = word.strip(" :.;,*()")
        if len(core) >= 4 and re.search("[а-яөүё]", core):
            core = core.translate(_LOOKALIKES)
        if core in _HEADER_WORDS or len(core) < 4:
            words.append(core)
            continue
        close = difflib.get_close_matches(_plain(core), _PLAIN_WORDS, n=1, cutoff=0.8)
        words.append(_PLAIN_WORDS[close[0]] if close else core)
    return " ".join(words)


def header_role(text: str) -> tuple[str, str] | None:
    """The role a column header names and the words that say so, or None. A header typed
    with a slip is read as the header it is closest to."""
    found = _header_role(text)
    if found is None and (repaired := repair_header(text)) != fold(squash(text)):
        found = _header_role(repaired)
    return found


def _header_role(text: str) -> tuple[str, str] | None:
    t = fold(squash(text)).strip(" :.;,*")
    if not t or len(t) > 160:
        return None
    if _NUMBER_HEADER_RE.match(t):
        return NUMBER, squash(text)
    if "суурь" in t or "baseline" in t:
        return BASELINE, "суурь"
    if "зорилтот" in t or "target" in t or ("хүрэх түвшин" in t and "үзүүлэлт" not in t):
        return TARGET, "зорилтот" if "зорилтот" in t else "хүрэх түвшин"
    if "үндэслэл" in t or "legal basis" in t:
        return LEGAL_BASIS, "үндэслэл"
    if "шалгуур" in t or "үзүүлэлт" in t or "indicator" in t or "criteri" in t:
        return CRITERIA, "шалгуур" if "шалгуур" in t else "үзүүлэлт"
    if "үр дүн" in t or "result" in t or "outcome" in t:
        return EXPECTED_RESULT, "үр дүн"
    if "хугацаа" in t or "deadline" in t or "timeline" in t or t in ("огноо", "due"):
        return DUE, "хугацаа"
    for word in _OTHER_WORDS:
        if word in t:
            return OTHER, word
    for word in _RESPONSIBLE_WORDS:
        if word in t:
            return RESPONSIBLE, word
    if re.search(r"үндсэн\s+үйл\s+ажиллагаа", t):
        return ACTIVITY, "үндсэн үйл ажиллагаа"
    best: tuple[int, str, str] | None = None
    for pattern, role in _HIERARCHY_WORDS:
        for match in re.finditer(pattern, t):
            if best is None or match.start() > best[0]:
                best = (match.start(), role, match[0])
    if best is not None:
        return best[1], best[2]
    for word in _IMPLEMENTATION_WORDS:
        if word in t:
            return IGNORE, word
    return None


# Short words under a group header ("Суурь түвшин" over "он" | "түвшин").
SUBHEADER_WORDS = {"он", "түвшин", "хувь", "тоо", "хэмжээ", "утга", "огноо", "нэгж", "хэмжих нэгж",
                   "year", "level", "value", "%"}  # fmt: skip

# -- codes and numbers -------------------------------------------------------------------

# A measure or activity code at the start of a cell: "1.1.", "5.4. ", "1.1.1", "2.2.Тухайн".
CODE_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3}){1,3})[.)]?(?![\d])\s*")
# A cell that is only a number: "1", "1.", "12)".
INT_RE = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")
_ROMAN_CELL_RE = re.compile(r"^\s*([ivx]{1,4})\s*[.)]?\s*$")


def number_value(text: str) -> int | None:
    """The number a number-column cell holds: `1`, `1.`, `12)`, `IV`, `II.`; else None."""
    if match := INT_RE.match(text):
        return int(match[1])
    folded = fold(text).replace("і", "i").replace("х", "x")
    if (match := _ROMAN_CELL_RE.match(folded)) and match[1] in _ROMAN:
        return _ROMAN[match[1]]
    return None


# A number before text: "1. Байгууллагын …", "2) …".
INT_PREFIX_RE = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*(?=\S)")

_ORDINALS = {
    "нэг": 1, "хоёр": 2, "гурав": 3, "дөрөв": 4, "тав": 5,
    "зургаа": 6, "долоо": 7, "найм": 8, "ес": 9, "арав": 10,
}  # fmt: skip
_ORDINAL_ADJ = {
    "нэгдүгээр": 1, "хоёрдугаар": 2, "гуравдугаар": 3, "дөрөвдүгээр": 4, "тавдугаар": 5,
    "зургаадугаар": 6, "долоодугаар": 7, "наймдугаар": 8, "есдүгээр": 9, "аравдугаар": 10,
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}  # fmt: skip
_HEADING_NOUNS = r"(?:зорилт|зорилго|чиглэл|бүлэг|хэсэг|objective|goal)"
_NOUN_NUMBER_RE = re.compile(
    rf"^{_HEADING_NOUNS}\s*[-№#]?\s*(\d{{1,2}}|[ivx]{{1,4}})(?:\s*[.:)\-]\s*|\s+|$)(.*)$", re.S
)
_NUMBER_NOUN_RE = re.compile(
    rf"^(\d{{1,2}}|[ivx]{{1,4}})\s*(?:-?\s*(?:р|дүгээр|дугаар))?\s+{_HEADING_NOUNS}\s*[.:)\-]?\s*(.*)$",
    re.S,
)
_ADJ_NOUN_RE = re.compile(
    r"^(" + "|".join(_ORDINAL_ADJ) + rf")\s+{_HEADING_NOUNS}\s*[.:)\-]?\s*(.*)$", re.S
)
_ORDINAL_RE = re.compile(r"^(" + "|".join(_ORDINALS) + r")\s*[.:)]\s*(.*)$", re.S)
_NUMBER_PREFIX_RE = re.compile(r"^(\d{1,2}|[ivx]{1,4})\s*[.)]\s*(\S.*)$", re.S)


def _as_number(token: str) -> int:
    return int(token) if token.isdigit() else _ROMAN[token]


def heading_number(text: str, *, bare_number: bool = True) -> tuple[int, str] | None:
    """The number and text of a numbered heading: `ЗОРИЛТ 1. …`, `Зорилт-1: …`, `1-р
    зорилт …`, `Нэгдүгээр зорилт …`, `Нэг. …`, `II. …`, and with `bare_number` `1. …`.
    The text keeps its letters as written."""
    squashed = squash(text)
    folded = fold(squashed).replace("і", "i")

    def rest(match: re.Match[str]) -> str:
        # "ЗОРИЛТ 1" with nothing after it: the heading is its own text.
        return squashed[len(squashed) - len(match[2]) :].strip() or squashed

    for pattern in (_NOUN_NUMBER_RE, _NUMBER_NOUN_RE):
        if (match := pattern.match(folded)) and match[1] and _is_number(match[1]):
            return _as_number(match[1]), rest(match)
    if match := _ADJ_NOUN_RE.match(folded):
        return _ORDINAL_ADJ[match[1]], rest(match)
    if match := _ORDINAL_RE.match(folded):
        return _ORDINALS[match[1]], rest(match)
    if bare_number and (match := _NUMBER_PREFIX_RE.match(folded)) and _is_number(match[1]):
        if CODE_RE.match(folded):
            return None  # "1.1. …" is a code, not a heading
        return _as_number(match[1]), rest(match)
    return None


def _is_number(token: str) -> bool:
    return token.isdigit() or token in _ROMAN


def starts_lowercase(text: str) -> bool:
    """Whether the text begins with a lower-case letter: the rest of a sentence cut by a
    page break rather than a new item."""
    for ch in squash(text):
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


# -- the legal basis inside an activity's cell --------------------------------------------

LEGAL_BASIS_RE = re.compile(r"(?:эрх|хууль)\s+зүйн\s+үндэслэл\s*[:：.\-]?\s*", re.I)


def split_legal_basis(text: str) -> tuple[str, str]:
    """(`text` before `Эрх зүйн үндэслэл:`, the legal basis after it), squashed."""
    match = LEGAL_BASIS_RE.search(text)
    if not match:
        return squash(text), ""
    return squash(text[: match.start()]), squash(text[match.end() :])


# -- units and people ---------------------------------------------------------------------

UNIT_NOUNS = (
    "хэлтэс", "хэлтсүүд", "алба", "албад", "газар", "газрууд", "нэгж", "нэгжүүд", "тасаг",
    "баг", "зөвлөл", "хороо", "төв", "агентлаг", "агентлагууд", "байгууллага", "байгууллагууд",
    "сургууль", "эмнэлэг", "дарга", "дарга нар", "мэргэжилтэн", "мэргэжилтнүүд", "ажилтан",
    "ажилтнууд", "байцаагч", "нягтлан бодогч", "зөвлөх", "нарийн бичиг", "менежер", "хянагч",
    "салбар", "хэсэг", "комисс", "ажлын хэсэг", "удирдлага", "захирал", "орлогч", "туслах",
    "хариуцагч", "ахлагч", "ерөнхий нягтлан", "гишүүд", "нарийн бичгийн дарга", "хүний нөөц",
)  # fmt: skip
_UNIT_END_RE = re.compile(
    r"(?:" + "|".join(sorted((re.escape(w) for w in UNIT_NOUNS), key=len, reverse=True)) + r")"
    r"(?:ийн|ын|ний|н)?\s*[.,;]?$"
)
# Nouns that alone name no particular unit ("хэлтэс" = the departments, whichever).
GENERIC_UNITS = {"хэлтэс", "хэлтсүүд", "алба", "албад", "нэгж", "нэгжүүд", "агентлаг",
                 "агентлагууд", "байгууллага", "байгууллагууд", "бүх хэлтэс", "бүх нэгж",
                 "холбогдох", "холбогдох байгууллага", "холбогдох нэгж", "холбогдох хэлтэс",
                 "бүх албан хаагчид", "албан хаагчид"}  # fmt: skip
PERSON_RE = re.compile(
    r"^(?:[А-ЯЁӨҮ]{1,2}\.\s*[А-ЯЁӨҮ][А-ЯЁӨҮа-яёөү-]+|[А-ЯЁӨҮ][а-яёөү-]+\s+[А-ЯЁӨҮ]\.)$"
)


def looks_like_unit(text: str) -> bool:
    """Whether the text names a unit or a post: it ends in a unit noun."""
    t = fold(squash(text)).strip(" -–•·")
    return bool(t) and len(t) <= 200 and bool(_UNIT_END_RE.search(t))
