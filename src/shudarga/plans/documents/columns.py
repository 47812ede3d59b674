"""Where a plan table's header is and what each column holds.

The header band is found by its words (`header_role`) and extended downwards by its
structure: cells merged down from the first header row, a group cell over sub-columns
("Шалгуур үзүүлэлт" over "Хугацаа" | "Гүйцэтгэлийн үзүүлэлт"), or, in text without merged
cells, short header words under the first row. Each column is then read as the path of
header cells above it, its role taken from the lowest header that names one, and checked
against what the column holds: numbers and codes, deadlines, unit names, long sentences.
Every decision keeps its reason, in the user's language, for the preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shudarga.core.text import fold, squash
from shudarga.plans.documents import vocabulary as v
from shudarga.plans.documents.source import Grid
from shudarga.plans.schedule import parse_due_text

MAX_HEADER_ROWS = 4
HEADER_SCAN_ROWS = 60  # a sheet or text file may have a long preamble above its table


@dataclass
class Band:
    start: int  # first header row
    rows: int  # header rows
    data_start: int  # first row after the header (and the 1 2 3 … row)

    @property
    def end(self) -> int:
        return self.start + self.rows


@dataclass
class ColumnReading:
    index: int
    header: str  # the header path, "Шалгуур үзүүлэлт / Хугацаа"
    role: str
    reason: str
    source: str = "header"  # header, content, layout (the organization's saved layout), choice

    @property
    def role_label(self) -> str:
        return str(v.ROLE_LABELS.get(self.role, self.role or "—"))

    @property
    def key(self) -> str:
        """How a saved layout finds this column again: its folded header, else its number."""
        return fold(self.header) if self.header else str(self.index + 1)


def _header_cell(text: str) -> bool:
    t = squash(text)
    return 0 < len(t) <= 160 and not v.CODE_RE.match(t)


def is_column_number_row(grid: Grid, row: int) -> bool:
    """The `1 2 3 4` row that numbers the columns (not data)."""
    values = [squash(text) for _c, text in grid.starting_texts(row)]
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]


def header_score(grid: Grid, row: int) -> int:
    """How strongly `row` reads as the first header row: the number of distinct roles its
    cells name, 0 unless one of them is a content role and most cells are header words."""
    starts = grid.starting_texts(row)
    if not starts:
        return 0
    found = [v.header_role(text) if _header_cell(text) else None for _column, text in starts]
    roles = [f[0] for f in found if f is not None and f[0] not in (v.OTHER, v.IGNORE)]
    if len(set(roles)) < 2 or not (set(roles) & v.CONTENT_ROLES):
        return 0
    if len(roles) * 3 < len(starts):
        return 0
    return len(set(roles))


def find_band(grid: Grid, *, start: int | None = None, rows: int | None = None) -> Band | None:
    """The header band: given (`start`, `rows`, 0-based) or found; None when no row of the
    first rows reads as a plan table's header."""
    if start is None:
        scored = [(header_score(grid, r), r) for r in range(min(len(grid.rows), HEADER_SCAN_ROWS))]
        best = max((s for s, _r in scored), default=0)
        if best == 0:
            return None
        start = next(r for s, r in scored if s == best)
    start = max(0, min(start, len(grid.rows) - 1))
    if rows is None:
        rows = _band_height(grid, start)
    rows = max(1, min(rows, len(grid.rows) - start))
    data_start = start + rows
    while data_start < len(grid.rows) and is_column_number_row(grid, data_start):
        data_start += 1
    return Band(start=start, rows=rows, data_start=data_start)


def _band_height(grid: Grid, start: int) -> int:
    height = 1
    # Text has no merged cells (a line without tabs is one cell across, not a merge).
    merges = grid.kind != "text" and any(
        cell.origin != (r, c) for r, row in enumerate(grid.rows) for c, cell in enumerate(row)
    )
    while height < MAX_HEADER_ROWS and start + height < len(grid.rows):
        row = start + height
        if is_column_number_row(grid, row):
            break
        starts = grid.starting_texts(row)
        merged_down = any(start <= grid.cell(row, c).origin[0] < row for c in range(grid.width))
        if not starts:
            if merged_down:  # only the header's merged cells reach this row
                height += 1
                continue
            break
        if not all(_header_cell(text) and len(squash(text)) <= 80 for _c, text in starts):
            break
        if any(v.heading_number(text) or v.INT_RE.match(text) for _c, text in starts):
            break  # a goal heading or a numbered row: the data has begun
        grouped = any(
            grid.span(r, c)[1] > 1
            and grid.span(r, c)[1] < grid.width
            and any(c <= sc < c + grid.span(r, c)[1] for sc, _t in starts)
            for r in range(start, row)
            for c, _text in grid.starting_texts(r)
        )
        worded = any(
            v.header_role(text) is not None or fold(squash(text)) in v.SUBHEADER_WORDS
            for _c, text in starts
        )
        if merged_down or grouped:
            height += 1
        elif not merges and worded and all(len(squash(t)) <= 50 for _c, t in starts):
            height += 1  # text without merged cells: short header words under the first row
        else:
            break
    return height


def header_paths(grid: Grid, band: Band) -> list[list[str]]:
    """For each column, the header texts above it from the top of the band down.

    Where the source has no merged cells, an empty header cell right of a header that has
    sub-headers below both belongs to that header (a group typed without merging)."""
    paths: list[list[str]] = []
    for column in range(grid.width):
        path: list[str] = []
        seen: set[tuple[int, int]] = set()
        for row in range(band.start, band.end):
            origin = grid.cell(row, column).origin
            if origin[0] < band.start:
                continue  # a title merged into the header rows
            text = squash(grid.origin_text(row, column))
            if not text and row + 1 < band.end:
                text, origin = _implicit_group(grid, row, column, band) or ("", origin)
            if text and origin not in seen:
                seen.add(origin)
                path.append(text)
        paths.append(path)
    return paths


def _implicit_group(grid: Grid, row: int, column: int, band: Band) -> tuple[str, tuple] | None:
    if not grid.starts_here(row, column) or not squash(grid.origin_text(row + 1, column)):
        return None
    for left in range(column - 1, -1, -1):
        if not grid.starts_here(row, left):
            return None
        text = squash(grid.cell(row, left).text)
        if text:
            below = squash(grid.origin_text(row + 1, left))
            return (text, (row, left)) if below else None
    return None


# -- roles ---------------------------------------------------------------------------------


@dataclass
class _Content:
    filled: int = 0
    numbers: int = 0  # only a number or a code
    codes: int = 0  # starts with a code
    deadlines: int = 0
    units: int = 0
    length: int = 0

    def share(self, count: int) -> float:
        return count / self.filled if self.filled else 0.0

    @property
    def mean_length(self) -> float:
        return self.length / self.filled if self.filled else 0.0


def _content(grid: Grid, column: int, rows: range, year: int) -> _Content:
    stats = _Content()
    for row in rows:
        if not grid.starts_here(row, column) or grid.span(row, column)[1] > 1:
            continue  # a heading merged across the table says nothing of one column
        text = squash(grid.cell(row, column).text)
        if not text:
            continue
        stats.filled += 1
        stats.length += len(text)
        if v.INT_RE.match(text) or (v.CODE_RE.match(text) and not v.CODE_RE.sub("", text)):
            stats.numbers += 1
        if v.CODE_RE.match(text):
            stats.codes += 1
        if len(text) <= 80:
            reading = parse_due_text(text, year)
            if reading.understood and not reading.leftover:
                stats.deadlines += 1
        if v.looks_like_unit(text):
            stats.units += 1
    return stats


def read_columns(grid: Grid, band: Band, data: range, year: int) -> list[ColumnReading]:
    """Each column's role, from its header path and then from its content."""
    paths = header_paths(grid, band)
    columns: list[ColumnReading] = []
    for index, path in enumerate(paths):
        header = " / ".join(path)
        role, reason = None, ""
        for text in reversed(path):  # the lowest header that names something decides
            if found := v.header_role(text):
                if role in (v.OTHER, v.IGNORE) and found[0] in v.MEASURE_FIELDS:
                    # "Шалгуур үзүүлэлт" over "Гүйцэтгэлийн": the group says what it is.
                    role, reason = found[0], _("the header says “%(word)s”") % {"word": found[1]}
                    break
                if role is not None:
                    break
                role = found[0]
                reason = _("the header says “%(word)s”") % {"word": found[1]}
                if role not in (v.OTHER, v.IGNORE):
                    break
        columns.append(ColumnReading(index, header, role or "", reason))
    contents = [_content(grid, c.index, data, year) for c in columns]

    for column, content in zip(columns, contents, strict=True):
        if column.role in ("", v.OTHER) and content.filled == 0:
            column.role = column.role or v.OTHER
            column.reason = column.reason or _("no header and no text")
        elif column.role == "":
            _role_from_content(column, content)
        elif column.role in v.HIERARCHY and content.share(content.numbers) >= 0.8:
            # The goal header over two columns: one holds the goal numbers.
            column.role, column.source = v.NUMBER, "content"
            column.reason = _("%(share)s%% of its cells are numbers or codes") % {
                "share": round(100 * content.share(content.numbers))
            }
    _resolve_hierarchy(columns, contents)
    return columns


def _role_from_content(column: ColumnReading, content: _Content) -> None:
    column.source = "content"
    percent = {
        "numbers": round(100 * content.share(content.numbers)),
        "deadlines": round(100 * content.share(content.deadlines)),
        "units": round(100 * content.share(content.units)),
    }
    if content.share(content.numbers) >= 0.6:
        column.role = v.NUMBER
        column.reason = _("%(numbers)s%% of its cells are numbers or codes") % percent
    elif content.share(content.deadlines) >= 0.6:
        column.role = v.DUE
        column.reason = _("%(deadlines)s%% of its cells are deadlines") % percent
    elif content.share(content.units) >= 0.6:
        column.role = v.RESPONSIBLE
        column.reason = _("%(units)s%% of its cells name units or posts") % percent
    else:
        column.role = v.OTHER
        column.reason = _("its header names nothing the plan has")


def _resolve_hierarchy(columns: list[ColumnReading], contents: list[_Content]) -> None:
    """One column per level of the hierarchy, higher levels to the left: a second measure
    column to the left of another is the main activity, a second goal column the direction;
    a table without a measure column takes its activity, else its longest texts."""

    def of(role: str) -> list[ColumnReading]:
        return [c for c in columns if c.role == role]

    demote = {v.MEASURE: v.ACTIVITY, v.ACTIVITY: v.GOAL, v.GOAL: v.HEADING}
    for role in (v.MEASURE, v.ACTIVITY, v.GOAL):
        found = of(role)
        for column in found[:-1]:  # all but the rightmost move one level up, if free
            higher = demote[role]
            if not of(higher):
                column.role, column.source = higher, "content"
                column.reason = _(
                    "a second “%(role)s” column, left of another: read as “%(higher)s”"
                ) % {"role": v.ROLE_LABELS[role], "higher": v.ROLE_LABELS[higher]}
            else:
                column.role = v.OTHER
                column.reason = _("a second “%(role)s” column") % {"role": v.ROLE_LABELS[role]}
    if of(v.HEADING) and not of(v.GOAL):
        for column in of(v.HEADING):
            column.role = v.GOAL
            column.reason = _("the highest level of the table: read as the goal")
    if not of(v.MEASURE):
        if activity := of(v.ACTIVITY):
            activity[-1].role = v.MEASURE
            activity[-1].reason = _("the lowest level of the table: read as the measures")
        else:
            candidates = [
                (contents[c.index].mean_length, c)
                for c in columns
                if c.role in (v.OTHER, "") and contents[c.index].filled
            ]
            if candidates:
                _length, column = max(candidates, key=lambda pair: pair[0])
                column.role, column.source = v.MEASURE, "content"
                column.reason = _("no header names the measures; this column has the longest texts")


def apply_choices(
    columns: list[ColumnReading], choices: dict[str, str], *, source: str
) -> list[str]:
    """Give the columns the roles `choices` names (by 1-based number or by header text);
    returns the keys that matched no column."""
    unmatched = []
    for key, role in choices.items():
        targets = [
            c
            for c in columns
            if key == str(c.index + 1)
            or (
                c.header
                and (fold(squash(key)) in (fold(c.header), fold(c.header.split(" / ")[-1])))
            )
        ]
        if not targets:
            unmatched.append(key)
        for column in targets:
            if column.role != role:
                column.role, column.source = role, source
                column.reason = (
                    _("chosen by you") if source == "choice" else _("your organization's layout")
                )
    return unmatched
