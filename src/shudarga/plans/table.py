"""The official plan table as rows for templates, from a `PlanDocument`, and the grid of
a document as the import preview shows its reading.

The plan page and the import preview both render through `plan_table`, so what a
coordinator previews is exactly what the saved plan shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shudarga.core.text import squash
from shudarga.plans.documents.model import DocActivity, PlanDocument
from shudarga.plans.documents.structure import ROW_KIND_LABELS


@dataclass
class TableRow:
    code: str
    text: str
    criteria_list: list[str]
    activity_row: DocActivity | None = None
    due_text: str = ""
    responsible_text: str = ""
    baseline: str = ""
    target: str = ""
    expected_result: str = ""
    other: list[str] = field(default_factory=list)  # in the order of the plan's other headers


@dataclass
class TableGoal:
    number: int
    text: str
    rows: list[TableRow] = field(default_factory=list)
    span: int = 1  # rows the merged goal cells cover, activity rows included
    activity_colspan: int = 2  # measure + criteria columns, plus any extra columns
    heading: str = ""  # a direction heading printed above the goal
    heading_colspan: int = 4


def plan_table_context(document: PlanDocument) -> dict[str, Any]:
    """What the official table's template (`plans/_plan_table.html`) and the header above
    it need: the plan page, the import preview and the public page all render it so."""
    goals, extras = plan_table(document)
    others = document.other_headers()
    return {
        "goals": goals,
        "extras": extras,
        "other_headers": others,
        # The `1 2 3 4 …` row under the header: number, goal, measure, the rest.
        "column_numbers": list(range(1, 4 + sum(extras.values()) + len(others))),
        "approvals": document.approvals,
        "signatures": document.other_signatures,
    }


def plan_table(document: PlanDocument) -> tuple[list[TableGoal], dict[str, bool]]:
    """Goals with their rows, and which optional columns (criteria, due, responsible,
    baseline, target, expected result) the table shows."""
    extras = {"criteria": document.has_criteria_column(), **document.has_extra_columns()}
    others = document.other_headers()
    colspan = 1 + sum(extras.values()) + len(others)
    goals = []
    previous_heading = ""
    for goal in document.goals:
        # A direction heading stands once, above the first of the goals under it.
        heading = goal.heading if goal.heading != previous_heading else ""
        previous_heading = goal.heading
        activities = {a.code: a for a in goal.activities}
        seen: set[str] = set()
        rows = []
        for m in goal.measures:
            activity = None
            if m.activity and m.activity not in seen:
                seen.add(m.activity)
                activity = activities.get(m.activity)
            rows.append(
                TableRow(
                    code=m.code,
                    text=m.text,
                    criteria_list=m.criteria,
                    activity_row=activity,
                    due_text=m.due,
                    responsible_text=m.responsible,
                    baseline=m.baseline,
                    target=m.target,
                    expected_result=m.expected_result,
                    other=[m.other.get(header, "") for header in others],
                )
            )
        span = len(rows) + sum(1 for r in rows if r.activity_row)
        goals.append(
            TableGoal(
                number=goal.number,
                text=goal.text,
                rows=rows,
                span=max(span, 1),
                activity_colspan=colspan,
                heading=heading,
                heading_colspan=colspan + 2,
            )
        )
    return goals, extras


# -- the import preview's grid ----------------------------------------------------------

CELL_PREVIEW = 160  # characters of a cell shown in the preview; the rest on hover


@dataclass
class GridCell:
    text: str
    full: str
    colspan: int = 1
    merged: bool = False  # continues a cell merged down from above


@dataclass
class GridRow:
    number: int
    location: str
    kind: str
    kind_label: str
    label: str
    reason: str
    source: str
    cells: list[GridCell]
    field: Any = None  # the form's select for this row, when a person may re-classify it


def reading_grid(reading: Any, form: Any) -> dict[str, Any]:
    """The document's table as read: each column with its role, reason and select, each
    row with its kind, reason and select, each cell as the page shows it (merged cells
    once, with their span)."""
    grid = reading.grid
    if grid is None:
        return {"columns": [], "rows": []}
    columns = [
        {
            "reading": column,
            "field": form[f"col_{column.index + 1}"]
            if f"col_{column.index + 1}" in form.fields
            else None,
        }
        for column in reading.columns
    ]
    by_index = {row.index: row for row in reading.rows}
    rows = []
    for index, cells in enumerate(grid.rows):
        shown: list[GridCell] = []
        column = 0
        while column < len(cells):
            cell = cells[column]
            if cell.origin == (index, column):
                span = grid.span(index, column)[1]
                full = squash(cell.text)
                text = full if len(full) <= CELL_PREVIEW else full[: CELL_PREVIEW - 1] + "…"
                shown.append(GridCell(text, full, span))
                column += span
            elif cell.origin[0] < index and cell.origin[1] == column:
                span = grid.span(*cell.origin)[1]
                shown.append(GridCell("", "", span, merged=True))
                column += span
            else:
                shown.append(GridCell("", ""))
                column += 1
        row = by_index.get(index)
        kind = row.kind if row else ""
        rows.append(
            GridRow(
                number=index + 1,
                location=row.location if row else grid.where(index),
                kind=kind,
                kind_label=str(ROW_KIND_LABELS.get(kind, kind)),
                label=row.label if row else "",
                reason=row.reason if row else "",
                source=row.source if row else "auto",
                cells=shown,
                field=form[f"row_{index + 1}"] if f"row_{index + 1}" in form.fields else None,
            )
        )
    return {"columns": columns, "rows": rows}
