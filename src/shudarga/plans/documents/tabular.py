"""Turn the rows of a plan table, and the lines around it, into a `PlanDocument`.

Every reader (tab text, DOCX, XLSX) reduces its file to a `RawDocument`: the text lines
before the table, the table's rows as lists of cell texts, and the lines after it. This
module holds the rules that real plans teach, once for all formats:

- columns are found by their header text, not their position;
- the `1 2 3 4` row that numbers the columns is not data, nor is a header repeated per page;
- a cell that starts with a measure code (`5.4.`) is that measure wherever it sits, and the
  other filled cells of such a shifted row are its criteria;
- a row with no code continues the previous one (a page break cut it in two);
- objectives may be heading rows (`ЗОРИЛТ 1. …`, `Нэг. …`) and codes may have three levels
  (activity `1.1`, measure `1.1.1`), with a legal basis inside the activity's cell;
- criteria split at `-`, `·`, `•` bullets and at `;`, never inside words such as `2-оос`;
- signature blocks follow the table, one under another or side by side;
- text is kept as written except whitespace.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shudarga.core.dates import parse_mn_date
from shudarga.core.text import cyrillic_letters_in, fold, mixed_script_tokens, squash
from shudarga.plans.documents.model import (
    DocActivity,
    DocGoal,
    DocMeasure,
    DocSignature,
    PlanDocument,
    PlanImportError,
)


@dataclass
class RawRow:
    cells: list[str]
    location: str  # "line 13", "table 1, row 4", "sheet “Plan”, row 7"


@dataclass
class RawLine:
    text: str
    location: str


@dataclass
class RawDocument:
    before: list[RawLine]
    header: RawRow
    rows: list[RawRow]
    after: list[RawLine] = field(default_factory=list)


@dataclass
class Columns:
    measure: int
    code: int | None = None
    goal: int | None = None
    criteria: int | None = None
    due: int | None = None
    responsible: int | None = None
    baseline: int | None = None
    target: int | None = None

    def extras(self) -> dict[str, int]:
        return {
            key: index
            for key in ("due", "responsible", "baseline", "target")
            if (index := getattr(self, key)) is not None
        }


def find_columns(cells: list[str]) -> Columns | None:
    """Map header texts to roles; None unless the row names a measure column and at least
    one of the number or criteria columns."""
    found: dict[str, int] = {}
    for index, raw in enumerate(cells):
        text = fold(squash(raw))
        if not text:
            continue
        # Order matters: "зорилтот түвшин" (target) contains "зорилт" (objective).
        if "суурь" in text and "түвшин" in text:
            role = "baseline"
        elif "зорилтот" in text:
            role = "target"
        elif text in {"д/д", "№", "д/д.", "д.д", "дд", "№ д/д"} or text.startswith("д/д"):
            role = "code"
        elif "шалгуур" in text or "үзүүлэлт" in text:
            role = "criteria"
        elif "арга хэмжээ" in text or "үйл ажиллагаа" in text:
            role = "measure"
        elif "зорилго" in text or "зорилт" in text:
            role = "goal"
        elif "хугацаа" in text:
            role = "due"
        elif "хариуцах" in text or "хариуцан" in text or "хариуцсан" in text:
            role = "responsible"
        else:
            continue
        found.setdefault(role, index)
    if "measure" not in found or not ({"code", "criteria"} & found.keys()):
        return None
    return Columns(**found)


# A measure or activity code at the start of a cell: "1.1.", "5.4. ", "1.1.1", "2.2.Тухайн".
_CODE_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,2})\.?(?![\d])\s*")
_GOAL_NUMBER_RE = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")
_GOAL_HEADING_RE = re.compile(r"^\s*(?:зорилт|зорилго)\s*(\d{1,2})\s*[.:)]?\s*(.*)$", re.I | re.S)
_ORDINALS = {
    "нэг": 1, "хоёр": 2, "гурав": 3, "дөрөв": 4, "тав": 5,
    "зургаа": 6, "долоо": 7, "найм": 8, "ес": 9, "арав": 10,
}  # fmt: skip
_ORDINAL_RE = re.compile(r"^\s*(" + "|".join(_ORDINALS) + r")\s*[.:)]\s*(.*)$", re.I | re.S)
_LEGAL_BASIS_RE = re.compile(r"эрх\s+зүйн\s+үндэслэл\s*[:：.-]?\s*", re.I)
_SIGNATURE_LABEL_RE = re.compile(
    r"^\s*(ХЯНАСАН|ХЯНАЖ\s+ЗӨВШӨӨРСӨН|БОЛОВСРУУЛСАН|БАТЛАВ|БАТЛАСАН|ЗӨВШӨӨРСӨН|ЗӨВШӨӨРӨВ|"
    r"ТАНИЛЦСАН|ГҮЙЦЭТГЭСЭН|ТАЙЛАН\s+ГАРГАСАН|ТАЙЛАН\s+НЭГТГЭСЭН)\s*[:.]?\s*(.*)$"
)
_NAME_RE = re.compile(r"^[А-ЯЁӨҮA-Z]{1,3}\.\s*[А-ЯЁӨҮA-Zа-яёөүa-z-]+$")
_PLACE_RE = re.compile(r"(хот|аймаг|сум|дүүрэг|хороо)\s*$", re.I)
_BULLET_CHARS = "•·▪●◦"


def is_signature_label(text: str) -> bool:
    return bool(_SIGNATURE_LABEL_RE.match(text))


def signature_lines(grid: list[list[str]]) -> list[tuple[int, str]]:
    """The lines of signature blocks laid out in a grid (a table after the plan, the rows
    below it), each with its row index, in reading order.

    Row by row, until a row names two signers side by side (`ХЯНАСАН: | БОЛОВСРУУЛСАН:`,
    then their titles, then their names): from there on block by block, a block running
    from its label's column to the next label's.
    """
    lines: list[tuple[int, str]] = []
    label_columns: list[int] = []
    blocks: list[list[tuple[int, str]]] = []
    for index, cells in enumerate(grid):
        if not label_columns:
            labels = [i for i, cell in enumerate(cells) if is_signature_label(squash(cell))]
            if len(labels) >= 2:
                label_columns, blocks = labels, [[] for _ in labels]
        for column, cell in enumerate(cells):
            if not squash(cell):
                continue
            pieces = [(index, line) for line in cell.split("\n")]
            if label_columns:
                block = max(0, bisect.bisect_right(label_columns, column) - 1)
                blocks[block].extend(pieces)
            else:
                lines.extend(pieces)
    return lines + [line for block in blocks for line in block]


def _starts_signatures(cells: list[str]) -> bool:
    filled = [squash(cell) for cell in cells if squash(cell)]
    return bool(filled) and all(is_signature_label(cell) for cell in filled)


def split_criteria(raw: str) -> list[str]:
    """Criteria written in one cell, one per bullet or per `;`, bullets removed.

    A `-` is a bullet at the start of the cell or of a line, or after a space when a
    letter or digit follows it directly (`байх -Үр дүнг`); a dash inside a word or a
    number (`2-оос`, `2023 - 2024`) is text. A cell with several lines and no bullet at
    all holds one criterion per line.
    """
    text = raw.replace("\r", "\n").replace("\u00a0", " ")
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and not any(_starts_with_bullet(line) for line in lines):
        pieces = lines
    else:
        pieces = []
        current: list[str] = []
        length = len(text)
        for i, ch in enumerate(text):
            if _is_bullet_at(text, i, length):
                pieces.append("".join(current))
                current = []
                continue
            current.append(ch)
        pieces.append("".join(current))
    criteria = []
    for piece in pieces:
        for part in piece.split(";"):
            part = squash(part)
            part = part.lstrip("-–" + _BULLET_CHARS).strip() if _starts_with_bullet(part) else part
            if part:
                criteria.append(part)
    return criteria


def _starts_with_bullet(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and stripped[0] in "-–" + _BULLET_CHARS


def _is_bullet_at(text: str, i: int, length: int) -> bool:
    ch = text[i]
    if ch not in "-–" + _BULLET_CHARS:
        return False
    before = text[:i].rstrip(" \t")
    at_line_start = not before or before.endswith("\n") or before.endswith(";")
    if ch in _BULLET_CHARS:
        return at_line_start or text[i - 1].isspace()
    if at_line_start:
        return True
    if not text[i - 1].isspace():
        return False  # inside a word or number: 2-оос, 2023-2024
    nxt = text[i + 1] if i + 1 < length else ""
    return bool(nxt) and not nxt.isspace()


def _split_legal_basis(text: str) -> tuple[str, str]:
    match = _LEGAL_BASIS_RE.search(text)
    if not match:
        return squash(text), ""
    return squash(text[: match.start()]), squash(text[match.end() :])


def _goal_heading(text: str) -> tuple[int, str] | None:
    text = squash(text)
    if match := _GOAL_HEADING_RE.match(text):
        return int(match[1]), squash(match[2])
    if match := _ORDINAL_RE.match(text):
        return _ORDINALS[match[1].lower()], squash(match[2])
    return None


def _is_column_number_row(cells: list[str]) -> bool:
    values = [squash(c) for c in cells if squash(c)]
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]


class _Builder:
    """Accumulates goals, activities and measures row by row."""

    def __init__(self, columns: Columns, three_level: bool) -> None:
        self.columns = columns
        self.three_level = three_level
        self.goals: dict[int, DocGoal] = {}
        self.goal: DocGoal | None = None
        self.activities: dict[str, tuple[DocActivity, str]] = {}
        self.measures: dict[str, DocMeasure] = {}
        self.raw_criteria: dict[str, list[str]] = {}
        self.raw_text: dict[int, list[str]] = {}  # id(item) -> text pieces
        self.last: DocMeasure | DocActivity | DocGoal | None = None
        self.last_kind = ""
        self.warnings: list[str] = []

    # -- goals -----------------------------------------------------------------------
    def start_goal(self, number: int, text: str, location: str) -> None:
        existing = self.goals.get(number)
        if existing is not None:
            if text and fold(squash(text)) != fold(existing.text):
                raise PlanImportError(
                    _("%(where)s: goal %(number)s appears twice with different text.")
                    % {"where": location, "number": number}
                )
            self.goal = existing
        else:
            goal = DocGoal(number=number, text=squash(text), location=location)
            self.goals[number] = goal
            self.goal = goal
            self.raw_text[id(goal)] = [text]
        self.last, self.last_kind = self.goal, "goal"

    def goal_for(self, code: str, location: str) -> DocGoal:
        number = int(code.split(".")[0])
        goal = self.goals.get(number)
        if goal is None:
            raise PlanImportError(
                _(
                    "%(where)s: measure %(code)s belongs to goal %(number)s, which the plan does "
                    "not have."
                )
                % {"where": location, "code": code, "number": number}
            )
        return goal

    # -- items -----------------------------------------------------------------------
    def add_activity(self, code: str, text: str, location: str) -> None:
        if code in self.activities:
            raise PlanImportError(
                _("%(where)s: activity %(code)s appears twice (first at %(first)s).")
                % {"where": location, "code": code, "first": self.activities[code][1]}
            )
        goal = self.goal_for(code, location)
        activity = DocActivity(code=code, text="")
        goal.activities.append(activity)
        self.activities[code] = (activity, location)
        self.raw_text[id(activity)] = [text]
        self.last, self.last_kind = activity, "activity"
        self.goal = goal

    def add_measure(
        self, code: str, text: str, criteria: str, extras: dict[str, str], location: str
    ) -> None:
        if code in self.measures:
            raise PlanImportError(
                _("%(where)s: measure %(code)s appears twice (first at %(first)s).")
                % {"where": location, "code": code, "first": self.measures[code].location}
            )
        goal = self.goal_for(code, location)
        activity_code = ""
        if self.three_level and code.count(".") == 2:
            activity_code = code.rsplit(".", 1)[0]
            if activity_code not in self.activities:
                raise PlanImportError(
                    _(
                        "%(where)s: measure %(code)s belongs to activity %(activity)s, which the "
                        "plan does not have."
                    )
                    % {"where": location, "code": code, "activity": activity_code}
                )
        measure = DocMeasure(code=code, text="", activity=activity_code, location=location)
        for key, value in extras.items():
            setattr(measure, key, value)
        goal.measures.append(measure)
        self.measures[code] = measure
        self.raw_text[id(measure)] = [text]
        self.raw_criteria[code] = [criteria] if criteria.strip() else []
        self.last, self.last_kind = measure, "measure"
        self.goal = goal

    def continue_last(self, texts: dict[str, str], location: str) -> None:
        """A row without a code: the rest of the previous row, cut by a page break."""
        if self.last is None:
            raise PlanImportError(
                _("%(where)s: text before the first goal or measure: “%(text)s”.")
                % {"where": location, "text": _shorten(" ".join(texts.values()))}
            )
        if text := texts.get("goal"):
            if self.goal is None:
                raise PlanImportError(
                    _("%(where)s: text before the first goal: “%(text)s”.")
                    % {"where": location, "text": _shorten(text)}
                )
            self.raw_text[id(self.goal)].append(text)
        if text := texts.get("measure"):
            if self.last_kind == "goal":
                raise PlanImportError(
                    _(
                        "%(where)s: a measure without a code: “%(text)s”. Write its code, "
                        "such as 1.1, at the start of the cell."
                    )
                    % {"where": location, "text": _shorten(text)}
                )
            self.raw_text[id(self.last)].append(text)
        if text := texts.get("criteria"):
            if self.last_kind != "measure":
                raise PlanImportError(
                    _("%(where)s: criteria without a measure: “%(text)s”.")
                    % {"where": location, "text": _shorten(text)}
                )
            self.raw_criteria[self.last.code].append(text)
        if self.last_kind == "measure":
            for key in ("due", "responsible", "baseline", "target"):
                if text := texts.get(key):
                    current = getattr(self.last, key)
                    setattr(self.last, key, squash(f"{current} {text}"))

    # -- result ----------------------------------------------------------------------
    def finish(self) -> list[DocGoal]:
        goals = list(self.goals.values())
        for goal in goals:
            goal.text = squash(" ".join(self.raw_text.get(id(goal), [goal.text])))
            for activity in goal.activities:
                text, basis = _split_legal_basis(" ".join(self.raw_text[id(activity)]))
                activity.text, activity.legal_basis = text, basis
            for measure in goal.measures:
                measure.text = squash(" ".join(self.raw_text[id(measure)]))
                # Pieces of one cell cut by a page break join with a space, so a criterion
                # that continues on the next page stays one criterion.
                measure.criteria = split_criteria(" ".join(self.raw_criteria[measure.code]))
        return goals


def _shorten(text: str, limit: int = 80) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def interpret(raw: RawDocument) -> PlanDocument:
    """Build the plan from a reader's raw rows. Raises PlanImportError naming the place."""
    columns = find_columns(raw.header.cells)
    if columns is None:  # readers only pass a header that find_columns accepted
        raise PlanImportError(_("The plan table has no measure column."))
    # Signers side by side come as rows (`ХЯНАСАН:<tab>БОЛОВСРУУЛСАН:`): the table ends there.
    end = next((i for i, row in enumerate(raw.rows) if _starts_signatures(row.cells)), None)
    if end is not None:
        tail = raw.rows[end:]
        signatures = [
            RawLine(text, tail[index].location)
            for index, text in signature_lines([row.cells for row in tail])
        ]
        raw = RawDocument(raw.before, raw.header, raw.rows[:end], signatures + raw.after)
    scan = [columns.measure] + ([columns.code] if columns.code is not None else [])
    three_level = any(
        (m := _CODE_RE.match(row.cells[i] if i < len(row.cells) else "")) and m[1].count(".") == 2
        for row in raw.rows
        for i in scan
    )
    builder = _Builder(columns, three_level)

    for row in raw.rows:
        cells = list(row.cells) + [""] * (max(0, _width(columns) - len(row.cells)))
        filled = [c for c in cells if squash(c)]
        if not filled or _is_column_number_row(cells) or find_columns(cells) is not None:
            continue
        distinct = {squash(c) for c in filled}
        if len(distinct) == 1:
            only = filled[0]
            if heading := _goal_heading(only):
                builder.start_goal(heading[0], heading[1], row.location)
                continue
            if not _CODE_RE.match(only):
                col = next(i for i, c in enumerate(cells) if squash(c))
                if col not in _known_columns(columns):
                    builder.warnings.append(
                        _("%(where)s: text outside the plan's columns was skipped: “%(text)s”.")
                        % {"where": row.location, "text": _shorten(only)}
                    )
                    continue
        _interpret_row(builder, columns, cells, row.location)

    goals = builder.finish()
    if not builder.measures:
        raise PlanImportError(
            _("The plan table has no measures: no cell starts with a code such as 1.1.")
        )
    for goal in goals:
        if not goal.measures and not goal.activities:
            builder.warnings.append(_("Goal %(number)s has no measures.") % {"number": goal.number})
    document = PlanDocument(title="", year=None, approved_on=None, place="", goals=goals)
    document.warnings.extend(builder.warnings)
    _read_surroundings(document, raw)
    _warn_mixed_scripts(document)
    return document


def _width(columns: Columns) -> int:
    return max(i for i in _known_columns(columns)) + 1


def _known_columns(columns: Columns) -> set[int]:
    return {
        i
        for i in (
            columns.measure, columns.code, columns.goal, columns.criteria,
            columns.due, columns.responsible, columns.baseline, columns.target,
        )
        if i is not None
    }  # fmt: skip


def _interpret_row(builder: _Builder, columns: Columns, cells: list[str], location: str) -> None:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    used: set[int] = set()
    code_text = squash(cell(columns.code))
    goal_text = cell(columns.goal)

    # A goal starts on this row: its number in the number column, or a heading in its cell.
    goal_started = False
    if columns.code is not None and (match := _GOAL_NUMBER_RE.match(code_text)):
        measure_text = cell(columns.measure)
        if columns.goal is None and squash(measure_text) and not _CODE_RE.match(measure_text):
            # No goal column: a numbered row (`1 | Ил тод байдлыг …`) writes the goal in
            # the measure column.
            goal_text = measure_text
            used.add(columns.measure)
        builder.start_goal(int(match[1]), _goal_text(goal_text), location)
        used |= {columns.code, columns.goal} - {None}
        goal_started = True
    elif squash(goal_text) and (heading := _goal_heading(goal_text)):
        builder.start_goal(heading[0], heading[1], location)
        used.add(columns.goal)
        goal_started = True

    # The measure or activity: the first cell that starts with a code, wherever it sits.
    item_index = None
    for index in [columns.measure, columns.code, columns.goal]:
        if index is None or index in used:
            continue
        if _CODE_RE.match(cell(index)):
            item_index = index
            break

    extras = {key: squash(cell(i)) for key, i in columns.extras().items()}
    if item_index is None:
        texts = {
            "measure": cell(columns.measure) if columns.measure not in used else "",
            "criteria": cell(columns.criteria),
            **{k: v for k, v in extras.items() if v},
        }
        if not goal_started and squash(goal_text) and columns.goal not in used:
            texts["goal"] = goal_text
        texts = {k: v for k, v in texts.items() if squash(v)}
        if texts:
            builder.continue_last(texts, location)
        return

    match = _CODE_RE.match(cell(item_index))
    code = match[1]
    text = cell(item_index)[match.end() :]
    used.add(item_index)
    measure_text = cell(columns.measure)
    if (
        item_index == columns.code
        and not squash(text)
        and columns.measure not in used
        and not _CODE_RE.match(measure_text)
    ):
        # The code alone in the number column (`1.1 | Мэдээлэл …`): the text is in the
        # measure column, not a criterion of a shifted row.
        text = measure_text
        used.add(columns.measure)
    if builder.three_level and code.count(".") == 1:
        builder.add_activity(code, text, location)
        return

    criteria = cell(columns.criteria)
    used |= {columns.criteria} | set(columns.extras().values())
    # A shifted row (seed 5.4-5.8): the measure sits in the number column and its criterion
    # in whatever other column holds text.
    leftovers = [
        cells[i]
        for i in range(len(cells))
        if i not in used
        and i != columns.code
        and squash(cells[i])
        and not (i == columns.goal and goal_started)
    ]
    if not squash(criteria) and leftovers:
        criteria = " ".join(leftovers)
    elif leftovers:
        builder.warnings.append(
            _("%(where)s: measure %(code)s: text in an unexpected column was skipped: “%(text)s”.")
            % {"where": location, "code": code, "text": _shorten(" ".join(leftovers))}
        )
    builder.add_measure(code, text, criteria, {k: v for k, v in extras.items() if v}, location)


def _goal_text(text: str) -> str:
    heading = _goal_heading(text)
    return heading[1] if heading else text


def _read_surroundings(document: PlanDocument, raw: RawDocument) -> None:
    """Title, date, year, place and signature blocks from the lines around the table."""
    leftovers: list[RawLine] = []
    for lines in (raw.before, raw.after):
        leftovers += _take_signatures(document, lines)
    title_line = None
    for line in leftovers:
        text = squash(line.text)
        try:
            date = parse_mn_date(text)
        except ValueError:
            raise PlanImportError(
                _("%(where)s: “%(text)s” is not a real date.")
                % {"where": line.location, "text": _shorten(text)}
            ) from None
        if date is not None:
            if document.approved_on is None:
                document.approved_on = date
            continue
        if title_line is None and "төлөвлөгөө" in fold(text):
            title_line = line
    if title_line is not None:
        document.title = squash(title_line.text)
    place_candidates = [
        squash(line.text)
        for line in raw.before
        if line is not title_line
        and squash(line.text)
        and line in leftovers
        and parse_mn_date(squash(line.text)) is None
    ]
    for candidate in place_candidates:
        if _PLACE_RE.search(candidate):
            document.place = candidate
            break
    if not document.title:
        if place_candidates:
            document.title = max(place_candidates, key=len)
            document.warnings.append(
                _(
                    "The document has no line with the word “ТӨЛӨВЛӨГӨӨ”; the title was taken "
                    "as “%(title)s”."
                )
                % {"title": _shorten(document.title)}
            )
        else:
            raise PlanImportError(
                _(
                    "The document has no title above the plan table (a line such as “2023 ОНЫ "
                    "АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ”)."
                )
            )
    if match := re.search(r"\b(19\d\d|20\d\d|21\d\d)\b", document.title):
        document.year = int(match[1])
    elif document.approved_on is not None:
        document.year = document.approved_on.year


def _take_signatures(document: PlanDocument, lines: list[RawLine]) -> list[RawLine]:
    """Move signature blocks (`ХЯНАСАН:` + title lines + name) into the document; return
    the other lines."""
    rest: list[RawLine] = []
    block: list[str] | None = None
    label = ""

    def close() -> None:
        if block is None:
            return
        parts = [squash(p) for p in block if squash(p)]
        name = parts.pop() if parts else ""
        document.signatures.append(DocSignature(label=label, title=" ".join(parts), name=name))

    for line in lines:
        text = squash(line.text)
        if not text:
            continue
        if match := _SIGNATURE_LABEL_RE.match(text):
            close()
            label = squash(match[1])
            block = [match[2]] if squash(match[2]) else []
            continue
        if block is not None:
            if parse_mn_date_safe(text) or "төлөвлөгөө" in fold(text):
                close()
                block = None
                rest.append(line)
                continue
            block.append(text)
            if _NAME_RE.match(text):
                close()
                block = None
            continue
        rest.append(line)
    close()
    return rest


def parse_mn_date_safe(text: str) -> bool:
    try:
        return parse_mn_date(text) is not None
    except ValueError:
        return True


def _warn_mixed_scripts(document: PlanDocument) -> None:
    def check(where: str, text: str) -> None:
        for token in mixed_script_tokens(text):
            document.warnings.append(
                _(
                    "%(where)s: “%(token)s” mixes Latin and Cyrillic letters (Cyrillic: "
                    "%(letters)s); it was kept as written — check the address or name."
                )
                % {"where": where, "token": token, "letters": ", ".join(cyrillic_letters_in(token))}
            )

    for goal in document.goals:
        check(_("goal %(number)s") % {"number": goal.number}, goal.text)
        for measure in goal.measures:
            where = _("measure %(code)s") % {"code": measure.code}
            check(where, measure.text)
            for criterion in measure.criteria:
                check(where, criterion)


# -- writing ----------------------------------------------------------------------------
# The writers lay the plan out as the table these rules read back: the goal's number and
# text once per goal (merged over its rows), `code. text` in the measure column, one `-`
# criterion per line, an activity's row before its first measure.

COLUMN_TITLES = {
    "code": "Д/д",
    "goal": "Зорилго",
    "measure": "Хэрэгжүүлэх арга хэмжээ",
    "criteria": "Гүйцэтгэлийн шалгуур үзүүлэлт",
    "due": "Хугацаа",
    "responsible": "Хариуцах нэгж",
    "baseline": "Суурь түвшин",
    "target": "Зорилтот түвшин",
}
LEGAL_BASIS_LABEL = "Эрх зүйн үндэслэл"


@dataclass
class TableLayout:
    """A plan table ready to write: `rows[r][c]` is the list of paragraphs of a cell, and
    `goal_spans` the first and last row index (inclusive) of each goal, whose number and
    text cells the writer merges."""

    keys: list[str]
    rows: list[list[list[str]]]
    goal_spans: list[tuple[int, int]]

    @property
    def titles(self) -> list[str]:
        return [COLUMN_TITLES[key] for key in self.keys]


def lay_out_table(document: PlanDocument) -> TableLayout:
    """The table rows of `document`; an optional column only when some measure fills it.

    Every goal gets at least one row, so a goal without measures still reads back.
    """
    used = document.has_extra_columns()
    keys = ["code", "goal", "measure", "criteria"] + [key for key in used if used[key]]
    rows: list[list[list[str]]] = []
    spans: list[tuple[int, int]] = []

    def row(**cells: list[str]) -> list[list[str]]:
        return [cells.get(key, []) for key in keys]

    for goal in document.goals:
        first = len(rows)
        pending = list(goal.activities)  # written in their order, each before its measures
        goal_rows: list[list[list[str]]] = []
        for measure in goal.measures:
            if any(activity.code == measure.activity for activity in pending):
                while pending:
                    activity = pending.pop(0)
                    goal_rows.append(row(measure=_activity_paragraphs(activity)))
                    if activity.code == measure.activity:
                        break
            goal_rows.append(
                row(
                    measure=[f"{measure.code}. {measure.text}"],
                    criteria=[f"-{criterion}" for criterion in measure.criteria],
                    **{key: [getattr(measure, key)] for key in keys[4:] if getattr(measure, key)},
                )
            )
        goal_rows += [row(measure=_activity_paragraphs(activity)) for activity in pending]
        if not goal_rows:
            goal_rows.append(row())
        goal_rows[0][0] = [str(goal.number)]
        goal_rows[0][1] = [goal.text]
        rows += goal_rows
        spans.append((first, len(rows) - 1))
    return TableLayout(keys=keys, rows=rows, goal_spans=spans)


def _activity_paragraphs(activity: DocActivity) -> list[str]:
    paragraphs = [f"{activity.code}. {activity.text}"]
    if activity.legal_basis:
        paragraphs.append(f"{LEGAL_BASIS_LABEL}: {activity.legal_basis}")
    return paragraphs
