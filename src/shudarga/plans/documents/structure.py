"""Read the rows of a plan table, once its columns are known, into goals, activities and
measures.

Each row is classified (heading, goal, activity, measure, continuation, empty, …) and the
decision is recorded with its reason. The rules real plans teach:

- a cell merged across the table, or the only cell of a row, is a heading: the goal itself
  when the table has no goal column, else a direction heading kept above the goals;
- a cell that starts with a code (`1.1.`, `5.4.`) is that item wherever it sits, and the
  other filled cells of such a shifted row are its criteria;
- a number column numbers whatever starts on the rows it fills: goals (the seed), main
  activities, or the measures themselves (`д/д` counting rows); decided over the table;
- without codes, items are numbered by position, and the importer says so;
- a row that starts nothing continues the row above (a page break cut it in two), as
  does text starting with a lower-case letter where codes cannot tell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shudarga.core.text import fold, squash
from shudarga.plans.documents import vocabulary as v
from shudarga.plans.documents.assembly import Item as _Item
from shudarga.plans.documents.assembly import assemble
from shudarga.plans.documents.columns import ColumnReading
from shudarga.plans.documents.model import (
    DocActivity,
    DocGoal,
    DocMeasure,
)
from shudarga.plans.documents.source import Grid

# Row kinds, as the preview shows them and a person may choose them.
HEADER = "header"
COLUMN_NUMBERS = "column_numbers"
REPEATED_HEADER = "repeated_header"
EMPTY = "empty"
HEADING = "heading"
GOAL = "goal"
ACTIVITY = "activity"
MEASURE = "measure"
CONTINUATION = "continuation"
IGNORE = "ignore"
ABOVE = "above"  # lines above the table: title, date, place, approval
BELOW = "below"  # lines after the table: signatures, notes
CHOOSABLE_KINDS = (HEADING, GOAL, ACTIVITY, MEASURE, CONTINUATION, IGNORE)
# Rows a person may re-classify: the table's rows below its header.
DATA_KINDS = {EMPTY, HEADING, GOAL, ACTIVITY, MEASURE, CONTINUATION, IGNORE, COLUMN_NUMBERS,
              REPEATED_HEADER}  # fmt: skip
ROW_KIND_LABELS = {
    HEADER: gettext_lazy("Header"),
    COLUMN_NUMBERS: gettext_lazy("Column numbers"),
    REPEATED_HEADER: gettext_lazy("Header, repeated"),
    EMPTY: gettext_lazy("Empty"),
    HEADING: gettext_lazy("Heading"),
    GOAL: gettext_lazy("Goal"),
    ACTIVITY: gettext_lazy("Main activity"),
    MEASURE: gettext_lazy("Measure"),
    CONTINUATION: gettext_lazy("Continues the row above"),
    IGNORE: gettext_lazy("Left out"),
    ABOVE: gettext_lazy("Above the table"),
    BELOW: gettext_lazy("Below the table"),
}


@dataclass
class RowReading:
    index: int
    location: str
    kind: str
    label: str = ""
    reason: str = ""
    source: str = "auto"  # auto, layout, choice

    @property
    def key(self) -> str:
        return str(self.index + 1)


@dataclass
class Structure:
    goals: list[DocGoal]
    rows: list[RowReading]
    end: int  # the first row after the table (signatures, notes)
    notices: list[str]
    notes: list[tuple[int, str]]  # rows after the last item kept as lines below the table


def _is_signature_row(grid: Grid, row: int) -> bool:
    from shudarga.plans.documents.surroundings import is_signature_label

    texts = [squash(t) for _c, t in grid.starting_texts(row)]
    if not texts:
        return False
    if all(is_signature_label(t) for t in texts):
        return True
    return is_signature_label(texts[0]) and len(texts) <= 2 and len(texts[0]) <= 60


class _Walker:
    def __init__(
        self,
        grid: Grid,
        columns: list[ColumnReading],
        *,
        data: range,
        header_rows: range,
        overrides: dict[int, tuple[str, str]],
    ) -> None:
        self.grid = grid
        self.columns = columns
        self.data = data
        self.header_rows = header_rows
        self.overrides = overrides
        self.role_of = {c.index: c.role for c in columns}
        self.header_of = {c.index: (c.header.split(" / ")[-1] if c.header else "") for c in columns}
        self.first = {role: self._first(role) for role in v.ROLES}
        self.of_role = {role: [c.index for c in columns if c.role == role] for role in v.ROLES}
        # Each number column numbers the level of the first content column on its right.
        self.numbered_by: dict[int, str] = {}
        for column in self.of_role[v.NUMBER]:
            right = next(
                (c.role for c in columns[column + 1 :] if c.role not in (v.NUMBER, v.IGNORE)), ""
            )
            if right in (v.GOAL, v.ACTIVITY, v.MEASURE):
                self.numbered_by[column] = right
        self.goals: list[DocGoal] = []
        self.items: dict[int, _Item] = {}
        self.goal: _Item | None = None
        self.activity: _Item | None = None
        self.last: _Item | None = None
        # The direction heading the goals read now stand under ("… чиглэлээр:").
        self.heading = ""
        self.readings: list[RowReading] = []
        self.notices: list[str] = []
        self.goal_numbers: set[int] = set()
        self.used_codes: dict[str, str] = {}
        self.header_texts = {
            tuple(fold(squash(t)) for _c, t in grid.starting_texts(r)) for r in header_rows
        }
        self._plan_facts()

    def _first(self, role: str) -> int | None:
        return next((c.index for c in self.columns if c.role == role), None)

    # -- facts of the whole table --------------------------------------------------------
    def _text(self, row: int, role: str) -> str:
        column = self.first[role]
        if column is None or not self.grid.starts_here(row, column):
            return ""
        return self.grid.cell(row, column).text if squash(self.grid.cell(row, column).text) else ""

    def _lone(self, row: int) -> tuple[int, str] | None:
        """The one cell holding text on `row`, when it is merged across or is alone."""
        starts = self.grid.starting_texts(row)
        if len(starts) != 1:
            return None
        column, text = starts[0]
        return column, text

    def _spanning(self, row: int) -> bool:
        lone = self._lone(row)
        if lone is None:
            return False
        span = self.grid.span(row, lone[0])[1]
        return span >= 2 and span * 2 >= self.grid.width

    def _plan_facts(self) -> None:
        scan = [self.first[r] for r in (v.MEASURE, v.NUMBER, v.ACTIVITY, v.GOAL)]
        self.coded = False
        self.three_level = False
        goal_texts = 0
        for row in self.data:
            for column in scan:
                if column is None or not self.grid.starts_here(row, column):
                    continue
                if match := v.CODE_RE.match(self.grid.cell(row, column).text):
                    if column == self.first[v.GOAL] and not squash(
                        self.grid.cell(row, column).text[match.end() :]
                    ):
                        continue
                    self.coded = True
                    self.three_level |= match[1].count(".") >= 2
            if self._text(row, v.GOAL) and not self._spanning(row):
                goal_texts += 1
        self.goal_column_used = goal_texts > 0
        self.number_level = self._number_level()
        if self.number_level == "row":
            self.notices.append(
                _(
                    "The numbers in the number column count rows, not goals or measures; the "
                    "codes were taken from the measure texts."
                )
            )

    def _number_level(self) -> str:
        """What the integers of the number column number: goal, activity, measure,
        goal_row (a goal written in the measure column) or row (nothing). With several
        number columns, each numbers the level of the column on its right."""
        if self.first[v.NUMBER] is None:
            return ""
        if len(self.of_role[v.NUMBER]) > 1:
            return self.numbered_by.get(self.first[v.NUMBER], "row")
        rows = [
            r
            for r in self.data
            if v.number_value(self._text(r, v.NUMBER)) is not None and not self._spanning(r)
        ]
        if not rows:
            return ""
        # Where a goal starts: its cell holds text other than the goal above's (a goal
        # repeated on every row starts once).
        goal_starts: set[int] = set()
        previous = ""
        for r in self.data:
            text = fold(squash(self._text(r, v.GOAL)))
            if text and text != previous:
                goal_starts.add(r)
                previous = text

        def all_rows(role: str) -> bool:
            if role == v.GOAL:
                return all(r in goal_starts for r in rows)
            return all(self._text(r, role) for r in rows)

        uncoded_measure = all(
            self._text(r, v.MEASURE) and not v.CODE_RE.match(self._text(r, v.MEASURE)) for r in rows
        )
        # Does every measure row carry a number? Then the numbers are the measures' own
        # (`д/д` counting rows); if some measures have none, the numbers belong higher up.
        measure_rows = [r for r in self.data if self._text(r, v.MEASURE)]
        every_measure_numbered = set(measure_rows) <= set(rows)
        if self.coded:
            if self.first[v.GOAL] is not None and all_rows(v.GOAL):
                return GOAL
            if self.first[v.ACTIVITY] is not None and all_rows(v.ACTIVITY):
                return ACTIVITY
            if self.first[v.GOAL] is None and uncoded_measure:
                return "goal_row"
            return "row"
        if all_rows(v.MEASURE) and every_measure_numbered:
            return MEASURE
        if self.first[v.GOAL] is not None and all_rows(v.GOAL):
            return GOAL
        if self.first[v.ACTIVITY] is not None and all_rows(v.ACTIVITY):
            return ACTIVITY
        if all_rows(v.MEASURE):
            return MEASURE
        return "row"

    # -- items -----------------------------------------------------------------------------
    def _new_goal(self, number: int | None, text: str, location: str) -> _Item:
        positional = number is None
        if number is not None and number in self.goal_numbers:
            self.notices.append(
                _("%(where)s: goal number %(number)s is used twice; this goal was renumbered.")
                % {"where": location, "number": number}
            )
            number = None
        if number is None:
            number = max(self.goal_numbers, default=0) + 1
        self.goal_numbers.add(number)
        goal = DocGoal(number=number, text="", location=location, heading=self.heading)
        self.goals.append(goal)
        item = _Item(GOAL, goal, [text], positional=positional)
        self.items[id(goal)] = item
        self.goal, self.activity, self.last = item, None, item
        return item

    def _ensure_goal(self, code: str, location: str) -> _Item:
        if self.goal is not None:
            return self.goal
        number = int(code.split(".")[0]) if code and code.split(".")[0].isdigit() else None
        item = self._new_goal(number, "", location)
        self.notices.append(
            _("%(where)s: the table starts with a measure; goal %(number)s was made for it.")
            % {"where": location, "number": item.obj.number}
        )
        return item

    def _new_activity(self, code: str, text: str, location: str, code_kind: str) -> _Item:
        goal = self._ensure_goal(code, location)
        activity = DocActivity(code=code, text="")
        goal.obj.activities.append(activity)
        item = _Item(ACTIVITY, activity, [text], code_kind=code_kind, positional=not code)
        item.fields["location"] = [location]
        self.items[id(activity)] = item
        self.activity = self.last = item
        return item

    def _new_measure(self, code: str, text: str, location: str, code_kind: str) -> _Item:
        goal = self._ensure_goal(code, location)
        head = code.split(".")[0]
        if (
            code_kind == "dotted"
            and not goal.positional
            and head.isdigit()
            and int(head) != goal.obj.number
        ):
            self.notices.append(
                _(
                    "%(where)s: measure %(code)s stands under goal %(goal)s, but its code "
                    "names goal %(named)s; check the document."
                )
                % {"where": location, "code": code, "goal": goal.obj.number, "named": head}
            )
        measure = DocMeasure(code=code, text="", location=location)
        if self.activity is not None and self.activity.obj in goal.obj.activities:
            measure.activity = self.activity.obj.code
        goal.obj.measures.append(measure)
        item = _Item(MEASURE, measure, [text], code_kind=code_kind, positional=not code)
        self.items[id(measure)] = item
        self.last = item
        return item

    # -- rows ------------------------------------------------------------------------------
    def walk(self) -> Structure:
        end = self.data.stop
        for row in self.data:
            location = self.grid.where(row)
            if _is_signature_row(self.grid, row):
                end = row
                break
            override = self.overrides.get(row)
            reading = RowReading(row, location, EMPTY)
            if override:
                reading.source = override[1]
            self.readings.append(reading)
            starts = self.grid.starting_texts(row)
            texts = tuple(fold(squash(t)) for _c, t in starts)
            if override and override[0] == IGNORE:
                reading.kind, reading.reason = IGNORE, _("left out by choice")
                continue
            if not starts:
                continue
            if override is None and len(starts) >= 3 and _is_number_row(starts):
                reading.kind, reading.reason = COLUMN_NUMBERS, _("numbers the columns")
                continue
            if override is None and texts in self.header_texts:
                reading.kind, reading.reason = REPEATED_HEADER, _("the header, repeated")
                continue
            if override is not None and override[0] != CONTINUATION:
                self._forced_row(row, override[0], reading)
            elif override is not None:
                self._continue(row, dict(self._cells(row)), reading)
                reading.kind = CONTINUATION
            elif self._lone(row) is not None and self._lone_row(row, reading):
                pass
            else:
                self._row(row, reading)
        notes = self._trailing_notes()
        self.notices += assemble(self.goals, self.items, self.of_role)
        return Structure(self.goals, self.readings, end, self.notices, notes)

    def _cells(self, row: int) -> list[tuple[int, str]]:
        return self.grid.starting_texts(row)

    def _lone_row(self, row: int, reading: RowReading) -> bool:
        """A row with one cell of text: a heading, an item, or a piece of one column.
        Returns False when the cell should be read as an ordinary row."""
        column, text = self._lone(row)  # type: ignore[misc]
        role = self.role_of.get(column, v.OTHER)
        spanning = self._spanning(row)
        if not spanning and role not in (v.NUMBER, v.HEADING):
            return False  # a goal's or measure's own cell: an ordinary row
        if match := v.CODE_RE.match(text):
            rest = text[match.end() :]
            if squash(rest):
                self._coded_item(match[1], rest, reading)
                reading.reason = _("a code at the start of a cell merged across the table")
                return True
        if role == v.NUMBER and not spanning and v.number_value(text) is not None:
            return False
        self._heading(text, reading)
        if row in self.grid.paragraph_rows:
            reading.reason = _("a paragraph between two parts of the table")
        elif not reading.reason:
            reading.reason = (
                _("one cell merged across the table") if spanning else _("the only text of its row")
            )
        return True

    def _heading(self, text: str, reading: RowReading, *, as_goal: bool | None = None) -> None:
        numbered = v.heading_number(text)
        if as_goal is None:
            as_goal = not self.goal_column_used
        if as_goal:
            self._demote_empty_heading_goal()
            number, rest = numbered if numbered else (None, squash(text))
            item = self._new_goal(number, rest, reading.location)
            item.from_heading = True
            reading.kind, reading.label = GOAL, _("goal %(number)s") % {"number": item.obj.number}
            if not self.goal_column_used:
                reading.reason = _("a heading, and the table has no goal column")
            return
        self.heading = numbered[1] if numbered else squash(text)
        reading.kind, reading.label = HEADING, _("heading of the next goals")

    def _demote_empty_heading_goal(self) -> None:
        """Two headings in a row, the first with nothing under it: the first is a direction
        above the goal the second heading starts ("I. ЧИГЛЭЛ" then "Зорилт 1. …")."""
        last = self.goals[-1] if self.goals else None
        item = self.items.get(id(last)) if last is not None else None
        if item is None or not item.from_heading or last.measures or last.activities:
            return
        if self.goal is not item:
            return
        self.goals.pop()
        self.goal_numbers.discard(last.number)
        self.goal = None
        self.heading = squash(" ".join(item.text))
        for row in self.readings:
            if row.location == last.location and row.kind == GOAL:
                row.kind, row.label = HEADING, _("heading of the next goals")
                row.reason = _("a heading followed by another heading: a direction")

    def _coded_item(self, code: str, text: str, reading: RowReading) -> _Item:
        location = reading.location
        if self.three_level and code.count(".") == 1 and self.first[v.ACTIVITY] is None:
            item = self._new_activity(code, text, location, "dotted")
            reading.kind = ACTIVITY
            reading.label = _("activity %(code)s") % {"code": code}
        else:
            item = self._new_measure(code, text, location, "dotted")
            reading.kind = MEASURE
            reading.label = _("measure %(code)s") % {"code": code}
        return item

    def _forced_row(self, row: int, kind: str, reading: RowReading) -> None:
        """A row read as the person chose: its main text is the item; the measure's other
        columns fill it as usual."""
        cells = dict(self._cells(row))
        main_column = next(
            (
                c
                for c in (
                    self.first[v.MEASURE], self.first[v.ACTIVITY], self.first[v.GOAL],
                    self.first[v.HEADING], *sorted(cells),
                )
                if c is not None and c in cells and self.role_of.get(c) != v.NUMBER
            ),
            next(iter(sorted(cells)), None),
        )  # fmt: skip
        text = cells.pop(main_column, "") if main_column is not None else ""
        number = (
            squash(cells.pop(self.first[v.NUMBER], "")) if self.first[v.NUMBER] in cells else ""
        )
        reading.reason = (
            _("chosen by you") if reading.source == "choice" else _("your organization's layout")
        )
        if kind in (HEADING, GOAL):
            if kind == GOAL and number and v.INT_RE.match(number):
                item = self._new_goal(
                    int(v.INT_RE.match(number)[1]), squash(text), reading.location
                )
                reading.kind, reading.label = (
                    GOAL,
                    _("goal %(number)s") % {"number": item.obj.number},
                )
            else:
                self._heading(text, reading, as_goal=(kind == GOAL) or None)
            self._fields(row, cells, reading, self.last if kind == GOAL else None)
            return
        code, code_kind = "", ""
        if match := v.CODE_RE.match(text):
            code, code_kind, text = match[1], "dotted", text[match.end() :]
        elif match := v.CODE_RE.match(number):
            code, code_kind = match[1], "dotted"
        elif match := v.INT_RE.match(number):
            code, code_kind = match[1], "integer"
        if kind == ACTIVITY:
            activity_text, legal = v.split_legal_basis(text)
            item = self._new_activity(code, activity_text, reading.location, code_kind)
            if legal:
                item.fields.setdefault(v.LEGAL_BASIS, []).append(legal)
            reading.kind = ACTIVITY
            reading.label = _("activity %(code)s") % {"code": code or "…"}
        else:
            item = self._new_measure(code, text, reading.location, code_kind)
            reading.kind = MEASURE
            reading.label = _("measure %(code)s") % {"code": code or "…"}
        self._fields(row, cells, reading, item)

    def _row(self, row: int, reading: RowReading) -> None:
        self.siblings: list[_Item] = []  # more measures written in this row's measure cell
        cells = dict(self._cells(row))
        location = reading.location
        started: list[_Item] = []
        labels: list[str] = []
        reasons: list[str] = []
        number_column = self.first[v.NUMBER]
        number_text = squash(cells.pop(number_column, "")) if number_column in cells else ""
        number_int = v.number_value(number_text)
        number_code = v.CODE_RE.match(number_text)
        # Further number columns, each beside the level it numbers (№ | Үйл ажиллагаа | №
        # | Арга хэмжээ).
        numbers_for: dict[str, str] = {}
        for column in self.of_role[v.NUMBER][1:]:
            if column in cells and column in self.numbered_by:
                numbers_for[self.numbered_by[column]] = squash(cells.pop(column))

        # A shifted row (seed 5.4-5.8): the measure written in the number or goal column.
        shifted_column = None
        for column in (number_column, self.first[v.GOAL]):
            text = number_text if column == number_column else cells.get(column, "")
            if column is None or not text:
                continue
            match = v.CODE_RE.match(text)
            if match and squash(text[match.end() :]) and not v.heading_number(text):
                item = self._coded_item(match[1], text[match.end() :], reading)
                started.append(item)
                labels.append(reading.label)
                reasons.append(_("a code at the start of a cell in another column"))
                shifted_column = column
                cells.pop(column, None)
                break

        heading_column = self.first[v.HEADING]
        if heading_column is not None and (text := cells.pop(heading_column, "")):
            self._heading(text, reading, as_goal=False)
            labels.append(reading.label)
            reasons.append(_("text in the direction column"))

        goal_text = cells.pop(self.first[v.GOAL], "") if self.first[v.GOAL] in cells else ""
        if goal_text and not started:
            numbered = v.heading_number(goal_text)
            same = self.goal is not None and fold(
                squash(numbered[1] if numbered else goal_text)
            ) in (fold(squash(" ".join(self.goal.text))),)
            if same:
                reasons.append(_("the goal's text, repeated"))
            elif number_int is not None and self.number_level == GOAL:
                item = self._new_goal(number_int, numbered[1] if numbered else goal_text, location)
                started.append(item)
                labels.append(_("goal %(number)s") % {"number": item.obj.number})
                reasons.append(_("a number in the number column and text in the goal column"))
                number_int = None
            elif numbered:
                item = self._new_goal(numbered[0], numbered[1], location)
                started.append(item)
                labels.append(_("goal %(number)s") % {"number": item.obj.number})
                reasons.append(_("the goal's number at the start of its cell"))
            elif self.goal is not None and (
                not self.goal.positional
                or (v.starts_lowercase(goal_text) and not self._starts(cells))
            ):
                self.goal.text.append(goal_text)
                reasons.append(_("continues the goal above (no number)"))
            else:
                item = self._new_goal(None, goal_text, location)
                started.append(item)
                labels.append(_("goal %(number)s") % {"number": item.obj.number})
                reasons.append(_("text in the goal column; numbered by position"))

        if (column := self.first[v.ACTIVITY]) in cells:
            text = cells.pop(column)
            activity_text, legal = v.split_legal_basis(text)
            match = v.CODE_RE.match(activity_text) or v.INT_PREFIX_RE.match(activity_text)
            code, code_kind = "", ""
            if match:
                code, activity_text = match[1], activity_text[match.end() :]
                code_kind = "dotted" if "." in code else "integer"
            elif number_int is not None and self.number_level == ACTIVITY:
                code, code_kind, number_int = str(number_int), "integer", None
            elif own := numbers_for.get(v.ACTIVITY, ""):
                code = own.rstrip(".)")
                code_kind = "dotted" if "." in code else "integer"
            if code or not (self.activity and v.starts_lowercase(text)):
                item = self._new_activity(code, activity_text, location, code_kind)
                if legal:
                    item.fields.setdefault(v.LEGAL_BASIS, []).append(legal)
                started.append(item)
                labels.append(_("activity %(code)s") % {"code": code or "…"})
                reasons.append(_("text in the activity column"))
            elif self.activity is not None:
                self.activity.text.append(text)
                reasons.append(_("continues the activity above"))

        measure_item = next((i for i in started if i.kind == MEASURE), None)
        if (column := self.first[v.MEASURE]) in cells and measure_item is None:
            text = cells.pop(column)
            own = numbers_for.get(v.MEASURE, "")
            if (match := v.CODE_RE.match(own)) and not v.CODE_RE.match(text):
                item = self._coded_item_quiet(match[1], text, location)
                why = _("the code in the number column beside it")
            elif (number := v.number_value(own)) is not None and not v.CODE_RE.match(text):
                item = self._new_measure(str(number), text, location, "integer")
                why = _("the number in the number column beside it")
            else:
                item, why = self._measure_cell(text, number_int, number_code, started, location)
            if item is not None:
                if item.kind == MEASURE:
                    measure_item = item
                started.append(item)
                labels.append(
                    _("goal %(number)s") % {"number": item.obj.number}
                    if item.kind == GOAL
                    else (
                        _("activity %(code)s") if item.kind == ACTIVITY else _("measure %(code)s")
                    )
                    % {"code": item.obj.code or "…"}
                )
            reasons.append(why)
        elif shifted_column is not None and measure_item is not None:
            # The rest of a shifted row is the measure's criteria (seed 5.4: the criterion
            # sits in the measure column).
            leftovers = [
                cells.pop(c)
                for c in sorted(cells)
                if self.role_of.get(c) in (v.MEASURE, v.CRITERIA, v.GOAL, v.ACTIVITY, "")
            ]
            if leftovers:
                pieces = self.items[id(measure_item.obj)].criteria.setdefault(-1, [])
                pieces.append("\n".join(leftovers))
        elif number_code and not squash(number_text[number_code.end() :]) and not started:
            item = self._new_measure(number_code[1], "", location, "dotted")
            measure_item = item
            started.append(item)
            labels.append(_("measure %(code)s") % {"code": number_code[1]})
            reasons.append(_("a code in the number column"))

        target = measure_item or (started[-1] if started else None)
        self._fields(row, cells, reading, target)
        if self.siblings and target is measure_item:
            _share_row(target, self.siblings)
        if started:
            reading.kind = started[0].kind if started[0].kind != MEASURE else MEASURE
            if any(i.kind == GOAL for i in started):
                reading.kind = GOAL
            elif any(i.kind == ACTIVITY for i in started) and not measure_item:
                reading.kind = ACTIVITY
            else:
                reading.kind = MEASURE if measure_item else started[0].kind
        elif reading.kind not in (HEADING,):
            reading.kind = CONTINUATION
            reasons.append(_("starts nothing new: continues the row above"))
        reading.label = " · ".join(dict.fromkeys(label for label in labels if label))
        reading.reason = "; ".join(dict.fromkeys(r for r in reasons if r))

    def _starts(self, cells: dict[int, str]) -> bool:
        measure = cells.get(self.first[v.MEASURE], "") if self.first[v.MEASURE] is not None else ""
        return bool(measure and (v.CODE_RE.match(measure) or not v.starts_lowercase(measure)))

    def _measure_cell(
        self,
        text: str,
        number_int: int | None,
        number_code: object,
        started: list[_Item],
        location: str,
    ) -> tuple[_Item | None, str]:
        """The measure column's text: a new item, or the rest of the one above."""
        if match := v.CODE_RE.match(text):
            pieces = _coded_pieces(text)
            first = self._coded_item_quiet(pieces[0][0], pieces[0][1], location)
            self.siblings = [
                self._coded_item_quiet(code, piece, location) for code, piece in pieces[1:]
            ]
            if len(pieces) > 1:
                codes = ", ".join(code for code, _piece in pieces)
                self.notices.append(
                    _(
                        "%(where)s: measures %(codes)s were written in one cell; they share the "
                        "row's deadline and responsible, and its criteria were kept with "
                        "%(first)s — check them."
                    )
                    % {"where": location, "codes": codes, "first": pieces[0][0]}
                )
                return first, _("several codes in one cell: one measure each")
            return first, _("a code at the start of the measure")
        if number_code is not None and not squash(number_code.string[number_code.end() :]):
            return self._coded_item_quiet(number_code[1], text, location), _(
                "the code in the number column"
            )
        if number_int is not None and self.number_level == MEASURE:
            if match := v.INT_PREFIX_RE.match(text):  # the cell's own number comes first
                return self._new_measure(match[1], text[match.end() :], location, "integer"), _(
                    "the measure's number at the start of its cell"
                )
            return self._new_measure(str(number_int), text, location, "integer"), _(
                "the number column numbers the measures"
            )
        if number_int is not None and self.number_level == "goal_row":
            item = self._new_goal(number_int, text, location)
            return item, _("a number and no code: a goal written in the measure column")
        if not self.coded and (match := v.INT_PREFIX_RE.match(text)):
            return self._new_measure(match[1], text[match.end() :], location, "integer"), _(
                "the measure's number at the start of its cell"
            )
        if self.coded:
            if any(i.kind in (GOAL, ACTIVITY) for i in started) or self.last is None:
                return self._new_measure("", text, location, ""), _(
                    "a measure without a code; numbered by position"
                )
            self._continue_text(text)
            return None, _("no code: continues the item above")
        if (
            self.last is not None
            and self.last.kind == MEASURE
            and v.starts_lowercase(text)
            and (not started)
        ):
            self._continue_text(text)
            return None, _("starts with a lower-case letter: continues the measure above")
        return self._new_measure("", text, location, ""), _(
            "the table has no codes; numbered by position"
        )

    def _coded_item_quiet(self, code: str, text: str, location: str) -> _Item:
        if self.three_level and code.count(".") == 1 and self.first[v.ACTIVITY] is None:
            return self._new_activity(code, text, location, "dotted")
        return self._new_measure(code, text, location, "dotted")

    def _continue_text(self, text: str) -> None:
        if self.last is not None:
            self.last.text.append(text)

    def _continue(self, row: int, cells: dict[int, str], reading: RowReading) -> None:
        """Every text of the row appended to the item above, column by column."""
        for column in sorted(cells):
            role = self.role_of.get(column, v.OTHER)
            if role in (v.MEASURE, v.ACTIVITY, v.GOAL):
                target = {v.MEASURE: self.last, v.ACTIVITY: self.activity, v.GOAL: self.goal}[role]
                if target is not None:
                    target.text.append(cells.pop(column))
        self._fields(row, cells, reading, None)
        reading.label = ""
        reading.reason = (
            _("chosen by you") if reading.source == "choice" else _("your organization's layout")
        )

    def _fields(
        self, row: int, cells: dict[int, str], reading: RowReading, target: _Item | None
    ) -> None:
        """Criteria, deadline, responsible and the other measure columns of the row, for the
        item the row started, else for the measure above."""
        item = target if target is not None else self.last
        for column in sorted(cells):
            text = cells[column]
            role = self.role_of.get(column, v.OTHER)
            if role in (v.IGNORE, v.NUMBER) or not squash(text):
                continue
            if role in (v.HEADING, v.GOAL, v.ACTIVITY, v.MEASURE):
                # Left over from a row whose item came from another column.
                role = v.CRITERIA if item is not None and item.kind == MEASURE else v.OTHER
            if item is None:
                self.notices.append(
                    _("%(where)s: text before the first goal or measure was left out: “%(text)s”.")
                    % {"where": reading.location, "text": _shorten(text)}
                )
                continue
            if (
                item.kind != MEASURE
                and role != v.LEGAL_BASIS
                and not (item.kind == GOAL and role == v.OTHER and not self.header_of.get(column))
            ):
                measure = self.last if self.last is not None and self.last.kind == MEASURE else None
                if target is None and measure is not None:
                    item = measure
                else:
                    self.notices.append(
                        _(
                            "%(where)s: “%(text)s” (column “%(column)s”) belongs to no measure "
                            "and was left out."
                        )
                        % {
                            "where": reading.location,
                            "text": _shorten(text),
                            "column": self.header_of.get(column) or str(column + 1),
                        }
                    )
                    continue
            if role == v.CRITERIA:
                item.criteria.setdefault(column, []).append(text)
            elif role == v.OTHER:
                header = self.header_of.get(column) or _("column %(number)s") % {
                    "number": column + 1
                }
                item.other.setdefault(header, []).append(text)
            else:
                multiple = len(self.of_role[role]) > 1
                if (
                    multiple
                    and role in (v.BASELINE, v.TARGET)
                    and (sub := self.header_of.get(column))
                ):
                    text = f"{sub}: {squash(text)}"  # "он: 2022", "түвшин: 60%"
                item.fields.setdefault(role, []).append(text)

    def _trailing_notes(self) -> list[tuple[int, str]]:
        """Goals made from headings after the last measure hold no measures: they are
        notes below the table ("Тайлбар: …"), not goals."""
        notes: list[tuple[int, str]] = []
        while self.goals and not self.goals[-1].measures and not self.goals[-1].activities:
            goal = self.goals[-1]
            item = self.items[id(goal)]
            if not any(i.kind == MEASURE for i in self.items.values()):
                break
            reading = next((r for r in self.readings if r.location == goal.location), None)
            if not item.from_heading or reading is None or reading.source != "auto":
                break
            self.goals.pop()
            reading.kind, reading.label = BELOW, ""
            reading.reason = _("after the last measure: kept as a note below the table")
            notes.insert(0, (reading.index, " ".join(item.text)))
        return notes


_CRITERIA_FOR_RE = re.compile(
    r"^\s*(\d{1,3}(?:\.\d{1,3})+)\.?\s*-?\s*(?:д|т|нд|ад|эд|од|өд|ын|ийн)?\s*:\s*", re.M
)


def _share_row(first: _Item, others: list[_Item]) -> None:
    """Measures written in one cell share the row's deadline, responsible and other
    columns; criteria marked for each ("1.1-д: …", "1.2-т: …") go to their measure, the
    rest stay with the first."""
    for item in others:
        item.fields.update({k: list(p) for k, p in first.fields.items()})
        item.other.update({k: list(p) for k, p in first.other.items()})
    by_code = {item.obj.code: item for item in (first, *others)}
    for column, pieces in list(first.criteria.items()):
        parts = _CRITERIA_FOR_RE.split("\n".join(pieces))
        codes = parts[1::2]
        if not codes or not all(code in by_code for code in codes):
            continue
        first.criteria[column] = [parts[0]] if parts[0].strip() else []
        for code, body in zip(codes, parts[2::2], strict=True):
            by_code[code].criteria.setdefault(column, []).append(body)


def _coded_pieces(text: str) -> list[tuple[str, str]]:
    """A cell's items when it holds several, each on its own line starting with a code of
    the same depth ("1.1. …\n1.2. …"); else the one item."""
    first = v.CODE_RE.match(text)
    depth = first[1].count(".")
    pieces: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        match = v.CODE_RE.match(line)
        if match and match[1].count(".") == depth and squash(line[match.end() :]):
            pieces.append((match[1], [line[match.end() :]]))
        elif pieces:
            pieces[-1][1].append(line)
        else:
            pieces.append((first[1], [line[first.end() :]]))
    if len({code for code, _lines in pieces}) != len(pieces):
        return [(first[1], text[first.end() :])]  # a code repeated: not a list of items
    return [(code, "\n".join(lines)) for code, lines in pieces]


def _is_number_row(starts: list[tuple[int, str]]) -> bool:
    values = [squash(t) for _c, t in starts]
    return values == [str(n) for n in range(1, len(values) + 1)]


def _shorten(text: str, limit: int = 80) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_rows(
    grid: Grid,
    columns: list[ColumnReading],
    *,
    data: range,
    header_rows: range,
    overrides: dict[int, tuple[str, str]] | None = None,
) -> Structure:
    """Goals, activities and measures of the table's data rows, with a reading per row.

    `overrides` maps a row index to (kind, source) chosen by a person or a saved layout.
    Raises PlanImportError when the table contradicts itself (a code used twice)."""
    return _Walker(
        grid, columns, data=data, header_rows=header_rows, overrides=overrides or {}
    ).walk()
