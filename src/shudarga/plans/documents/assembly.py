"""Finishing what the row walk collected: an item's pieces (a cell cut by a page break,
continued on the next row) joined, the legal basis split from an activity, criteria split
per column, the measure's other columns filled, and codes given where the document gave
none, made unique where a numbering restarts under each goal."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shudarga.core.text import squash
from shudarga.plans.documents import vocabulary as v
from shudarga.plans.documents.model import DocActivity, DocGoal, DocMeasure, PlanImportError
from shudarga.plans.documents.tabular import split_criteria

GOAL, ACTIVITY, MEASURE = "goal", "activity", "measure"


@dataclass
class Item:
    """A goal, activity or measure as the row walk collects it."""

    kind: str  # goal, activity, measure
    obj: DocGoal | DocActivity | DocMeasure
    text: list[str] = field(default_factory=list)
    # Criteria pieces per column: pieces of one column (a cell cut by a page break) join
    # with a space, different columns are different criteria.
    criteria: dict[int, list[str]] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    other: dict[str, list[str]] = field(default_factory=dict)
    positional: bool = False  # its number or code was given by position
    code_kind: str = ""  # "dotted", "integer" or "" (positional)
    from_heading: bool = False  # a goal read from a heading row, not from the goal column


def assemble(
    goals: list[DocGoal], items: dict[int, Item], of_role: dict[str, list[int]]
) -> list[str]:
    """Finish the goals read: texts joined, legal bases split off, criteria split, the
    measure columns filled, codes given where the document gave none and made unique.
    Returns the notices to show."""
    for goal in goals:
        item = items[id(goal)]
        goal.text = _unbulleted(" ".join(item.text))
        for activity in goal.activities:
            a_item = items[id(activity)]
            text, legal = v.split_legal_basis(" ".join(a_item.text))
            activity.text = text
            activity.legal_basis = squash(" ".join([legal, *a_item.fields.get(v.LEGAL_BASIS, [])]))
        for measure in goal.measures:
            m_item = items[id(measure)]
            measure.text = _unbulleted(" ".join(m_item.text))
            # Pieces of one cell cut by a page break join with a space, so a criterion
            # that continues on the next page stays one criterion.
            measure.criteria = [
                criterion
                for column in sorted(m_item.criteria)
                for criterion in split_criteria(" ".join(m_item.criteria[column]))
            ]
            for role, attr in (
                (v.EXPECTED_RESULT, "expected_result"), (v.DUE, "due"),
                (v.RESPONSIBLE, "responsible"), (v.BASELINE, "baseline"),
                (v.TARGET, "target"),
            ):  # fmt: skip
                if not (pieces := m_item.fields.get(role)):
                    continue
                if role == v.RESPONSIBLE:  # one party a line, as the cells list them
                    lines = (squash(line) for piece in pieces for line in piece.split("\n"))
                    measure.responsible = "\n".join(line for line in lines if line)
                else:
                    joiner = "; " if len(of_role[role]) > 1 else " "
                    setattr(measure, attr, squash(joiner.join(pieces)))
            if legal := m_item.fields.get(v.LEGAL_BASIS):
                m_item.other.setdefault(str(v.ROLE_LABELS[v.LEGAL_BASIS]), []).extend(legal)
            measure.other = {k: squash(" ".join(p)) for k, p in m_item.other.items()}
    return _number_items(goals, items)


def _number_items(goals: list[DocGoal], items: dict[int, Item]) -> list[str]:
    """Codes for items written without one, by position; codes made unique within the
    plan by their goal's number where a numbering restarts under each goal."""
    notices: list[str] = []
    positional_measures = positional_activities = 0
    for goal in goals:
        for kind, members in ((ACTIVITY, goal.activities), (MEASURE, goal.measures)):
            taken = {i.code for i in members if i.code}
            counter = 0
            for obj in members:
                if obj.code:
                    continue
                counter += 1
                while f"{goal.number}.{counter}" in taken:
                    counter += 1
                old = obj.code
                obj.code = f"{goal.number}.{counter}"
                if kind == MEASURE:
                    positional_measures += 1
                else:
                    positional_activities += 1
                    for measure in goal.measures:
                        if measure.activity == old:
                            measure.activity = obj.code
    if positional_measures:
        notices.append(
            _(
                "%(count)s measures have no code in the document; they were numbered by "
                "position (goal number, then order)."
            )
            % {"count": positional_measures}
        )
    if positional_activities:
        notices.append(
            _("%(count)s main activities have no code; they were numbered by position.")
            % {"count": positional_activities}
        )
    for kind in (ACTIVITY, MEASURE):
        notices += _unique_codes(goals, items, kind)
    return notices


def _lost_zeros(goals: list[DocGoal], kind: str) -> list[str]:
    """Codes typed in Excel as numbers lose a last zero: 1.10 shows as 1.1. A code that
    repeats one and comes right after x.9 (x.19, …) is x.10 (x.20, …)."""
    notices = []
    for goal in goals:
        members = goal.activities if kind == ACTIVITY else goal.measures
        seen: set[str] = set()
        previous = ""
        for obj in members:
            head, _dot, last = obj.code.rpartition(".")
            before_head, _dot2, before_last = previous.rpartition(".")
            if (
                obj.code in seen
                and head
                and head == before_head
                and last.isdigit()
                and before_last.isdigit()
                and int(last) * 10 == int(before_last) + 1
            ):
                fixed = f"{head}.{int(before_last) + 1}"
                notices.append(
                    _(
                        "Code %(code)s after %(previous)s was read as %(fixed)s: a number cell "
                        "does not show its last zero."
                    )
                    % {"code": obj.code, "previous": previous, "fixed": fixed}
                )
                obj.code = fixed
            seen.add(obj.code)
            previous = obj.code
    return notices


def _unique_codes(goals: list[DocGoal], items: dict[int, Item], kind: str) -> list[str]:
    notices = _lost_zeros(goals, kind)
    seen: dict[str, tuple[DocGoal, str]] = {}
    clashes: list[tuple[DocGoal, object]] = []
    for goal in goals:
        for obj in goal.activities if kind == ACTIVITY else goal.measures:
            location = (
                getattr(obj, "location", "") or items[id(obj)].fields.get("location", [""])[0]
            )
            if obj.code in seen:
                clashes.append((goal, obj))
                if seen[obj.code][0] is goal or items[id(obj)].code_kind == "dotted":
                    what = _("measure") if kind == MEASURE else _("activity")
                    raise PlanImportError(
                        _("%(where)s: %(what)s %(code)s appears twice (first at %(first)s).")
                        % {
                            "where": location,
                            "what": what,
                            "code": obj.code,
                            "first": seen[obj.code][1],
                        }
                    )
            else:
                seen[obj.code] = (goal, location)
    if not clashes:
        return notices
    # A numbering that restarts under each goal: every code gets its goal's number.
    for goal in goals:
        for obj in goal.activities if kind == ACTIVITY else goal.measures:
            if not obj.code.startswith(f"{goal.number}."):
                old = obj.code
                obj.code = f"{goal.number}.{obj.code}"
                if kind == ACTIVITY:
                    for measure in goal.measures:
                        if measure.activity == old:
                            measure.activity = obj.code
    return [
        *notices,
        _(
            "The %(what)s numbers start again under each goal; each code was given its "
            "goal's number in front (2.1 for the first of goal 2)."
        )
        % {"what": _("measure") if kind == MEASURE else _("activity")},
    ]


def _unbulleted(text: str) -> str:
    """An item's text without a bullet typed before it ("- Сургалт зохион байгуулах")."""
    return squash(text).lstrip("-–—•·▪●◦➢►* ").strip()
