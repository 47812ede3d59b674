"""Understand a plan document: choose its plan table, find the header, give each column a
role, read the rows, and read the lines around the table.

`interpret(source, choices=…, layout=…)` returns the `PlanDocument` and a `Reading` that
records every decision (table, header rows, column roles, row kinds, with reasons), which
the import preview shows and a person can correct. A refusal raises `PlanImportError`
whose message says what was understood and what is missing, carrying the reading too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shudarga.core.text import fold, squash
from shudarga.plans.documents import structure as st
from shudarga.plans.documents import vocabulary as v
from shudarga.plans.documents.choices import ImportChoices, row_key_matches
from shudarga.plans.documents.columns import (
    Band,
    ColumnReading,
    apply_choices,
    find_band,
    header_score,
    is_column_number_row,
    read_columns,
)
from shudarga.plans.documents.model import PlanDocument, PlanImportError
from shudarga.plans.documents.source import Cell, Grid, Line, Source
from shudarga.plans.documents.surroundings import (
    is_signature_label,
    read_surroundings,
    signature_lines,
    warn_mixed_scripts,
)


@dataclass
class TableCandidate:
    number: int  # 1-based, in document order
    name: str
    rows: int
    columns: int
    score: int  # how well its header reads as a plan table's (0: not at all)


@dataclass
class Reading:
    """What the importer understood of the table, decision by decision."""

    candidates: list[TableCandidate] = field(default_factory=list)
    table: int | None = None
    grid: Grid | None = None
    band: Band | None = None
    columns: list[ColumnReading] = field(default_factory=list)
    rows: list[st.RowReading] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # choices that matched nothing
    totals: dict[str, int] = field(default_factory=dict)  # goals, activities, measures, headings

    def role_columns(self, role: str) -> list[ColumnReading]:
        return [c for c in self.columns if c.role == role]

    def describe(self) -> str:
        """One paragraph: the table read, its header rows, each column's role, the rows."""
        if self.grid is None:
            return _("No table was found in the document.")
        parts = []
        candidate = next((c for c in self.candidates if c.number == self.table), None)
        if candidate is not None:
            parts.append(
                _("Read %(name)s (%(rows)s rows × %(columns)s columns).")
                % {"name": candidate.name, "rows": candidate.rows, "columns": candidate.columns}
            )
        if self.band is not None:
            parts.append(
                _("Header: rows %(first)s–%(last)s.")
                % {"first": self.band.start + 1, "last": self.band.end}
            )
        if self.columns and self.band is not None:
            parts.append(
                _("Columns: %(columns)s.")
                % {
                    "columns": "; ".join(
                        f"{c.index + 1} “{c.header or '—'}” → {c.role_label}" for c in self.columns
                    )
                }
            )
        if self.totals:
            parts.append(
                _(
                    "Read: goals %(goals)s, main activities %(activities)s, measures "
                    "%(measures)s, headings %(headings)s."
                )
                % self.totals
            )
        return " ".join(parts)


def _refuse(message: str, reading: Reading) -> PlanImportError:
    return PlanImportError(f"{message} {reading.describe()}".strip(), reading=reading)


def interpret(
    source: Source,
    *,
    choices: ImportChoices | None = None,
    layout: ImportChoices | None = None,
) -> tuple[PlanDocument, Reading]:
    """The plan in `source`, read with a person's `choices` over the organization's saved
    `layout` (both optional). Raises PlanImportError naming the place and what was found."""
    choices = choices or ImportChoices()
    layout = layout or ImportChoices()
    reading = Reading()
    grids = [(i, b) for i, b in enumerate(source.blocks) if isinstance(b, Grid) and b.rows]
    for number, (_i, grid) in enumerate(grids, start=1):
        band = find_band(grid)
        reading.candidates.append(
            TableCandidate(
                number=number,
                name=grid.name,
                rows=len(grid.rows),
                columns=grid.width,
                score=header_score(grid, band.start) if band else 0,
            )
        )
    if not grids:
        raise PlanImportError(
            _(
                "No plan table found: the document has no table (in a text file, the columns "
                "must be separated by tabs)."
            )
            if source.format == "text"
            else _("No plan table found: the document has no table."),
            reading=reading,
        )
    if choices.table is not None:
        if choices.table > len(grids):
            raise _refuse(
                _("The document has %(count)s tables; there is no table %(number)s.")
                % {"count": len(grids), "number": choices.table},
                reading,
            )
        reading.table = choices.table
    else:
        best = max(reading.candidates, key=lambda c: (c.score, c.rows * c.columns))
        reading.table = (
            best.number
            if best.score
            else max(reading.candidates, key=lambda c: c.rows * c.columns).number
        )
    block_index, grid = grids[reading.table - 1]
    auto_band = find_band(grid)
    if choices.header_start is not None or choices.header_rows is not None:
        start = choices.header_start - 1 if choices.header_start else None
        if start is None and auto_band is not None:
            start = auto_band.start
        band = find_band(grid, start=start if start is not None else 0, rows=choices.header_rows)
    elif (
        layout.header_rows
        and auto_band is not None
        and layout.header_signature == header_signature(grid, auto_band.start)
    ):
        band = find_band(grid, start=auto_band.start, rows=layout.header_rows)
    else:
        band = auto_band
    if band is None and (choices.columns or layout.columns):
        # No header words, but the person said what the columns are: the table's first row
        # of several cells is its header.
        first = next((r for r in range(len(grid.rows)) if len(grid.starting_texts(r)) >= 2), 0)
        band = find_band(grid, start=first, rows=1)
    grid, after_blocks = _with_continuations(source, block_index, grid, band)
    reading.grid, reading.band = grid, band
    if band is None:
        # Shown so a person can still say which row is the header and what the columns are.
        reading.columns = [
            ColumnReading(index, "", "", _("no header row found")) for index in range(grid.width)
        ]
        raise _refuse(_no_table_message(reading), reading)

    data = range(band.data_start, len(grid.rows))
    reading.columns = read_columns(grid, band, data, year=2000)
    reading.unmatched += apply_choices(reading.columns, layout.columns, source="layout")
    reading.unmatched += apply_choices(reading.columns, choices.columns, source="choice")
    if not reading.role_columns(v.MEASURE):
        raise _refuse(
            _(
                "No column reads as the measures to implement (a header such as “Хэрэгжүүлэх "
                "арга хэмжээ”). Choose the measure column."
            ),
            reading,
        )
    overrides = _row_overrides(grid, data, layout.rows, "layout")
    overrides.update(_row_overrides(grid, data, choices.rows, "choice"))
    try:
        structure = st.read_rows(
            grid,
            reading.columns,
            data=data,
            header_rows=range(band.start, band.end),
            overrides=overrides,
        )
    except PlanImportError as exc:
        raise PlanImportError(str(exc), reading=reading) from None
    reading.rows = _all_rows(grid, band, structure)
    reading.notices = list(structure.notices)
    reading.totals = {
        "goals": len(structure.goals),
        "activities": sum(len(g.activities) for g in structure.goals),
        "measures": sum(len(g.measures) for g in structure.goals),
        "headings": sum(1 for r in reading.rows if r.kind == st.HEADING),
    }

    before, after = _lines_around(source, block_index, after_blocks, grid, band, structure)
    document = PlanDocument(title="", year=None, approved_on=None, place="", goals=structure.goals)
    if not document.measures:
        raise _refuse(
            _("The plan table has no measures: no row reads as a measure to implement."), reading
        )
    for goal in document.goals:
        if not goal.measures and not goal.activities:
            reading.notices.append(_("Goal %(number)s has no measures.") % {"number": goal.number})
    try:
        read_surroundings(document, before, after)
    except PlanImportError as exc:
        raise PlanImportError(str(exc), reading=reading) from None
    ignored = [c for c in reading.columns if c.role == v.IGNORE and c.header]
    if ignored:
        reading.notices.append(
            ngettext(
                "The column %(columns)s was not read: it reports implementation, not the plan.",
                "The columns %(columns)s were not read: they report implementation, not the plan.",
                len(ignored),
            )
            % {"columns": ", ".join(f"“{c.header}”" for c in ignored)}
        )
    if reading.unmatched:
        reading.notices.append(
            _("These choices matched no column or row of this document: %(keys)s.")
            % {"keys": ", ".join(f"“{k}”" for k in reading.unmatched)}
        )
    document.warnings.extend(reading.notices)
    warn_mixed_scripts(document)
    return document, reading


def _no_table_message(reading: Reading) -> str:
    described = "; ".join(
        _("%(name)s: %(rows)s rows × %(columns)s columns")
        % {"name": c.name, "rows": c.rows, "columns": c.columns}
        for c in reading.candidates
    )
    return _(
        "No plan table found: no row of %(tables)s reads as a plan table's header (column "
        "headers such as “Зорилт”, “Хэрэгжүүлэх арга хэмжээ”, “Шалгуур үзүүлэлт”, "
        "“Хугацаа”). Choose the header row and the columns."
    ) % {"tables": described}


def header_signature(grid: Grid, row: int) -> str:
    """The folded texts of a header row: a saved header height applies to tables whose
    header starts with this row."""
    return " | ".join(fold(squash(t)) for _c, t in grid.starting_texts(row))[:2000]


def row_text(reading: Reading, index: int) -> str:
    """The first text of a row of the table read, folded: how a saved layout names it."""
    if reading.grid is None or not 0 <= index < len(reading.grid.rows):
        return ""
    starts = reading.grid.starting_texts(index)
    return fold(squash(starts[0][1])) if starts else ""


def _row_overrides(
    grid: Grid, data: range, named: dict[str, str], source: str
) -> dict[int, tuple[str, str]]:
    overrides: dict[int, tuple[str, str]] = {}
    for key, kind in named.items():
        for row in data:
            starts = grid.starting_texts(row)
            first = starts[0][1] if starts else ""
            if row_key_matches(key, row, first):
                overrides[row] = (kind, source)
    return overrides


def _all_rows(grid: Grid, band: Band, structure: st.Structure) -> list[st.RowReading]:
    """A reading for every row of the grid: above the table, header, data, below."""
    by_index = {r.index: r for r in structure.rows}
    rows = []
    for index in range(len(grid.rows)):
        location = grid.where(index)
        if index < band.start:
            rows.append(st.RowReading(index, location, st.ABOVE, reason=_("above the table")))
        elif index < band.end:
            rows.append(st.RowReading(index, location, st.HEADER, reason=_("the header")))
        elif index < band.data_start:
            rows.append(
                st.RowReading(index, location, st.COLUMN_NUMBERS, reason=_("numbers the columns"))
            )
        elif index in by_index:
            rows.append(by_index[index])
        elif index >= structure.end:
            rows.append(st.RowReading(index, location, st.BELOW, reason=_("below the table")))
        else:
            rows.append(st.RowReading(index, location, st.EMPTY))
    return rows


def _grid_lines(grid: Grid, rows: range) -> list[Line]:
    """The texts of `rows` as lines, signature blocks side by side read block by block."""
    texts = [[cell.text if cell.origin == (r, c) else "" for c, cell in enumerate(grid.rows[r])]
             for r in rows]  # fmt: skip
    result: list[Line] = []
    last_row = None
    for i, text in signature_lines(texts):
        if last_row is not None and i > last_row + 1:
            result.append(Line("", grid.where(rows[i])))  # keep the blank rows between
        result.append(Line(text, grid.where(rows[i])))
        last_row = i
    return result


def _lines_around(
    source: Source,
    block_index: int,
    after_blocks: int,
    grid: Grid,
    band: Band,
    structure: st.Structure,
) -> tuple[list[Line], list[Line]]:
    before: list[Line] = []
    # Other sheets of a workbook are other documents; a Word document's tables before the
    # plan (an approval block laid out as a table) are part of its text.
    for block in source.blocks[:block_index]:
        if isinstance(block, Line):
            before.append(block)
        elif block.kind != "sheet":
            before.extend(_grid_lines(block, range(len(block.rows))))
    before.extend(_grid_lines(grid, range(band.start)))
    after: list[Line] = [Line(text, grid.where(row)) for row, text in structure.notes]
    after.extend(_grid_lines(grid, range(structure.end, len(grid.rows))))
    for block in source.blocks[after_blocks:]:
        if isinstance(block, Line):
            after.append(block)
        elif block.kind != "sheet":
            after.extend(_grid_lines(block, range(len(block.rows))))
    return before, after


def _with_continuations(
    source: Source, block_index: int, grid: Grid, band: Band | None
) -> tuple[Grid, int]:
    """The plan table with the Word tables that continue it: tables after it with as many
    columns and no other header (a table per goal, a table cut at a page break), the
    paragraphs between them as rows across the table. Returns the table and the index of
    the first block after it."""
    next_index = block_index + 1
    if grid.kind != "table" or band is None:
        return grid, next_index
    header = [fold(squash(t)) for _c, t in grid.starting_texts(band.start)]
    parts: list[tuple[Grid, int]] = []  # (grid, first row to take)
    pending: list[Line] = []
    index = next_index
    consumed = next_index
    while index < len(source.blocks):
        block = source.blocks[index]
        index += 1
        if isinstance(block, Line):
            if is_signature_label(squash(block.text)):
                break
            pending.append(block)
            continue
        if block.width != grid.width or not block.rows:
            break
        first_texts = [squash(t) for _c, t in block.starting_texts(0)]
        if first_texts and is_signature_label(first_texts[0]):
            break
        skip = 0
        if [fold(t) for t in first_texts] == header:
            found = find_band(block, start=0, rows=band.rows)
            skip = found.data_start if found else band.rows
        elif header_score(block, 0) > 0:
            break  # another plan-like table with a header of its own
        while skip < len(block.rows) and is_column_number_row(block, skip):
            skip += 1
        parts.extend(
            (_line_grid(line, grid.width), 0) for line in pending if not _between_note(line.text)
        )
        pending = []
        parts.append((block, skip))
        consumed = index
    if not parts:
        return grid, next_index
    rows = [list(r) for r in grid.rows]
    wheres = [grid.where(r) for r in range(len(grid.rows))]
    paragraph_rows = set()
    for part, skip in parts:
        if part.name == "":
            paragraph_rows.add(len(rows))
        offset = len(rows) - skip
        for r in range(skip, len(part.rows)):
            rows.append(
                [
                    Cell(cell.text, (cell.origin[0] + offset, cell.origin[1]))
                    if cell.origin[0] >= skip
                    else Cell("", (r + offset, c))
                    for c, cell in enumerate(part.rows[r])
                ]
            )
            wheres.append(part.where(r))
    combined = Grid(rows=rows, name=grid.name, where=wheres.__getitem__, kind=grid.kind)
    combined.paragraph_rows = paragraph_rows
    return combined, consumed


def _between_note(text: str) -> bool:
    """A paragraph between two parts of the table that is no heading: empty, or a note
    such as "(хүснэгтийн үргэлжлэл)"."""
    text = squash(text)
    return not text or (text.startswith("(") and text.endswith(")")) or "үргэлжлэл" in fold(text)


def _line_grid(line: Line, width: int) -> Grid:
    """A paragraph between two plan tables, as a row across the table."""
    return Grid(
        rows=[[Cell(line.text, (0, 0))] + [Cell("", (0, 0)) for _index in range(width - 1)]],
        name="",
        where=lambda _r, location=line.location: location,
        kind="table",
    )
