"""What every reader makes of its file before anything is interpreted: lines of text and
grids of cells, in document order.

A grid is rectangular. Each cell knows the top-left corner (`origin`) of the merged area it
belongs to; only the origin holds the text, the other cells of a merged area are empty, as
on the page. A Word table, an Excel sheet and the tab-separated lines of a text file all
become grids, so the table interpreter has one input whatever the format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Cell:
    text: str
    origin: tuple[int, int]  # (row, column) of the merged area's top-left cell


@dataclass
class Grid:
    rows: list[list[Cell]]
    name: str  # "table 2", "sheet “Plan”", "text"
    where: Callable[[int], str]  # a row index as the user finds it: "table 2, row 5"
    kind: str = "table"  # "table" (Word), "sheet" (Excel) or "text"
    # Rows that were paragraphs between two parts of a plan table split over Word tables.
    paragraph_rows: set[int] = field(default_factory=set)

    @cached_property
    def width(self) -> int:
        """Columns of the grid (its rows are padded to one width when it is made)."""
        return max((len(row) for row in self.rows), default=0)

    def cell(self, row: int, column: int) -> Cell:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else Cell("", (row, column))

    def starts_here(self, row: int, column: int) -> bool:
        """Whether (row, column) is the top-left cell of its merged area."""
        return self.cell(row, column).origin == (row, column)

    def origin_text(self, row: int, column: int) -> str:
        """The text shown in (row, column): the text of its merged area."""
        r, c = self.cell(row, column).origin
        return self.cell(r, c).text if (r, c) != (row, column) else self.cell(row, column).text

    def span(self, row: int, column: int) -> tuple[int, int]:
        """How many rows and columns the merged area starting at (row, column) covers."""
        rows = 1
        while row + rows < len(self.rows) and self.cell(row + rows, column).origin == (row, column):
            rows += 1
        columns = 1
        while column + columns < self.width and self.cell(row, column + columns).origin == (
            row,
            column,
        ):
            columns += 1
        return rows, columns

    def starting_texts(self, row: int) -> list[tuple[int, str]]:
        """(column, text) of the merged areas that start on `row` and hold text."""
        return [
            (column, cell.text)
            for column, cell in enumerate(self.rows[row])
            if cell.origin == (row, column) and cell.text.strip()
        ]


def grid_from_texts(
    rows: list[list[str]],
    *,
    name: str,
    where: Callable[[int], str],
    kind: str,
    merges: list[tuple[int, int, int, int]] = (),  # type: ignore[assignment]
) -> Grid:
    """A grid from rows of texts, padded to a rectangle; `merges` are (first row, first
    column, last row, last column) areas whose text is the first cell's."""
    width = max((len(r) for r in rows), default=0)
    grid_rows = [
        [Cell(texts[c] if c < len(texts) else "", (r, c)) for c in range(width)]
        for r, texts in enumerate(rows)
    ]
    for r1, c1, r2, c2 in merges:
        for r in range(r1, min(r2, len(grid_rows) - 1) + 1):
            for c in range(c1, min(c2, width - 1) + 1):
                if (r, c) != (r1, c1):
                    grid_rows[r][c] = Cell("", (r1, c1))
    return Grid(rows=grid_rows, name=name, where=where, kind=kind)


@dataclass
class Line:
    text: str
    location: str


@dataclass
class Source:
    """A document as readers see it: paragraphs (`Line`) and grids in document order."""

    blocks: list[Line | Grid] = field(default_factory=list)
    format: str = ""
