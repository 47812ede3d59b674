"""The official plan table as rows for templates, from a `PlanDocument`.

The plan page and the import preview both render through this, so what a coordinator
previews is exactly what the saved plan shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shudarga.plans.documents.model import DocActivity, PlanDocument


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


@dataclass
class TableGoal:
    number: int
    text: str
    rows: list[TableRow] = field(default_factory=list)
    span: int = 1  # rows the merged goal cells cover, activity rows included
    activity_colspan: int = 2  # measure + criteria columns, plus any extra columns


def column_numbers(extras: dict[str, bool]) -> list[int]:
    """The `1 2 3 4 …` row under the official table's header."""
    return list(range(1, 5 + sum(extras.values())))


def plan_table(document: PlanDocument) -> tuple[list[TableGoal], dict[str, bool]]:
    """Goals with their rows, and which optional columns (due, responsible, baseline,
    target) the table shows."""
    extras = document.has_extra_columns()
    colspan = 2 + sum(extras.values())
    goals = []
    for goal in document.goals:
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
            )
        )
    return goals, extras
