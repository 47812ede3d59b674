"""The plan table as text: criteria written in one cell, and the table the writers lay out.

- criteria split at `-`, `·`, `•` bullets and at `;`, never inside words such as `2-оос`;
- the writers lay the plan out as the table the importer reads back.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from shudarga.core.text import squash
from shudarga.plans.documents.model import DocActivity, PlanDocument

_BULLET_CHARS = "•·▪●◦○■□➢►✓✔*"
_NUMBERED_LINE_RE = re.compile(r"^\s*(?:\d{1,2}|[а-яa-z])\s*[.)]\s+(?=\S)")


def split_criteria(raw: str) -> list[str]:
    """Criteria written in one cell, one per bullet or per `;`, bullets removed.

    A `-` is a bullet at the start of the cell or of a line, or after a space when a
    letter or digit follows it directly (`байх -Үр дүнг`); a dash inside a word or a
    number (`2-оос`, `2023 - 2024`) is text. A cell with several lines and no bullet at
    all holds one criterion per line.
    """
    text = raw.replace("\r", "\n").replace("\u00a0", " ")
    text = "\n".join(_split_inline_numbers(line) for line in text.split("\n"))
    lines = [line for line in text.split("\n") if line.strip()]
    if sum(1 for line in lines if _NUMBERED_LINE_RE.match(line)) >= 2:
        # Criteria numbered "1." "2)" "а)" at the start of lines: each number starts one.
        text = "\n".join(_NUMBERED_LINE_RE.sub("• ", line, count=1) for line in lines)
        lines = text.split("\n")
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


_INLINE_NUMBER_RE = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+(?=\S)")


def _split_inline_numbers(line: str) -> str:
    """ "1. А байх 2. Б байх" written on one line: a line for each, when the numbers run
    1, 2, 3 … (so "2-оос", "1.5 сая" and a lone "3. " stay text)."""
    matches = list(_INLINE_NUMBER_RE.finditer(line))
    numbers = [int(m[1]) for m in matches]
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return line
    starts = [m.start() for m in matches] + [len(line)]
    pieces = [line[a:b] for a, b in itertools.pairwise(starts)]
    head = line[: starts[0]]
    return "\n".join([head, *pieces] if head.strip() else pieces)


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
    "expected_result": "Хүрэх үр дүн",
    "activity": "Үндсэн үйл ажиллагаа",
}
LEGAL_BASIS_LABEL = "Эрх зүйн үндэслэл"


@dataclass
class TableLayout:
    """A plan table ready to write: `rows[r][c]` is the list of paragraphs of a cell;
    `goal_spans` the first and last row index (inclusive) of each goal, whose number and
    text cells the writer merges; `activity_spans` the same for each main activity's cell;
    `heading_rows` the rows of direction headings, one cell across the table."""

    keys: list[str]
    titles: list[str]
    rows: list[list[list[str]]]
    goal_spans: list[tuple[int, int]]
    activity_spans: list[tuple[int, int]] = field(default_factory=list)
    heading_rows: list[int] = field(default_factory=list)

    def index(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None


def lay_out_table(document: PlanDocument) -> TableLayout:
    """The table rows of `document`; an optional column only when some measure fills it, a
    main activity column when the plan has activities, the plan's other columns last.

    Every goal gets at least one row, so a goal without measures still reads back.
    """
    used = document.has_extra_columns()
    others = document.other_headers()
    has_activities = any(goal.activities for goal in document.goals)
    keys = ["code", "goal"] + (["activity"] if has_activities else []) + ["measure"]
    keys += ["criteria"] if document.has_criteria_column() else []
    keys += [key for key in used if used[key]]
    keys += [f"other:{header}" for header in others]
    titles = [COLUMN_TITLES.get(key, key.removeprefix("other:")) for key in keys]
    layout = TableLayout(keys=keys, titles=titles, rows=[], goal_spans=[])
    rows = layout.rows

    def row(**cells: list[str]) -> list[list[str]]:
        return [cells.get(key, []) for key in keys]

    previous_heading = ""
    for goal in document.goals:
        if goal.heading and goal.heading != previous_heading:  # once above its goals
            layout.heading_rows.append(len(rows))
            rows.append(row(code=[goal.heading]))
        previous_heading = goal.heading
        first = len(rows)
        by_activity = {a.code: a for a in goal.activities}
        written: set[str] = set()
        for measure in goal.measures:
            activity = by_activity.get(measure.activity)
            cells = {
                "measure": [f"{measure.code}. {measure.text}"],
                "criteria": [f"-{criterion}" for criterion in measure.criteria],
                **{
                    key: [getattr(measure, key)]
                    for key in used
                    if used[key] and getattr(measure, key)
                },
                **{f"other:{h}": [v] for h, v in measure.other.items() if v},
            }
            if activity is not None and activity.code not in written:
                written.add(activity.code)
                cells["activity"] = _activity_paragraphs(activity)
                layout.activity_spans.append((len(rows), len(rows)))
            elif activity is not None:
                start, _end = layout.activity_spans[-1]
                layout.activity_spans[-1] = (start, len(rows))
            rows.append(row(**cells))
        for activity in goal.activities:
            if activity.code not in written:
                layout.activity_spans.append((len(rows), len(rows)))
                rows.append(row(activity=_activity_paragraphs(activity)))
        if len(rows) == first:
            rows.append(row())
        rows[first][0] = [str(goal.number)]
        rows[first][1] = [goal.text]
        layout.goal_spans.append((first, len(rows) - 1))
    return layout


def _activity_paragraphs(activity: DocActivity) -> list[str]:
    paragraphs = [f"{activity.code}. {activity.text}"]
    if activity.legal_basis:
        paragraphs.append(f"{LEGAL_BASIS_LABEL}: {activity.legal_basis}")
    return paragraphs
