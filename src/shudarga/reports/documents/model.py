"""The report as one plain document, which every format (DOCX, XLSX, PDF, JSON, the
bundle's manifest) writes. Built by `selectors.report_to_document`; no database here."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from shudarga.core.charts import DOCUMENT_BAR, Bar, bars_png, bars_svg
from shudarga.reports.scale import format_percent

# The official column titles, in order; the level columns appear only when the plan has
# baseline or target levels.
COLUMNS = {
    "code": "Д/д",
    "goal": "Зорилго",
    "measure": "Арга хэмжээ",
    "criteria": "Шалгуур үзүүлэлт",
    "baseline": "Суурь түвшин",
    "target": "Зорилтот түвшин",
    "achieved": "Хүрсэн түвшин",
    "implementation": "Хэрэгжилт",
    "evidence": "Нотломж",
    "score": "Үнэлгээ",
}
# The national template of Government resolution 2017/89, annex 3 (issue 18): five
# columns, the organization's score beside its parent body's.
NATIONAL = "national"
NATIONAL_CAPTION = "Засгийн газрын 2017 оны 89 дүгээр тогтоолын 3 дугаар хавсралт"
NATIONAL_COLUMNS = {
    "goal": "Зорилт",
    "measure": "Хэрэгжүүлэх арга хэмжээ",
    "implementation": "Хэрэгжүүлсэн ажил, арга хэмжээг тоо баримтаар товч бичих",
    "score": "Байгууллагын үнэлгээ",
}
GOAL_TOTAL = "Зорилгын хэрэгжилт, дундаж хувь"
PLAN_TOTAL = "Төлөвлөгөөний хэрэгжилт, дундаж хувь"
REVIEWER_NOTE = "Хянагчийн тайлбар"
SHORTFALL = "Зорилтот түвшинд хүрээгүй шалтгаан"
# The Word document lists at most this many evidence items a measure and counts the rest
# (a busy organization attaches thousands a year); the PDF summarises each measure's
# evidence: how many by kind and the `EVIDENCE_RECENT` newest. The JSON export, the XLSX and
# the evidence bundle keep them all.
EVIDENCE_LISTED = 15
EVIDENCE_RECENT = 3
# How much evidence of a measure `report_to_document` reads: every item (JSON, XLSX, the
# bundle's manifest), the first `EVIDENCE_LISTED` (Word) or the `EVIDENCE_RECENT` newest
# (PDF), these two with the counts of `DocEvidenceSummary`.
EVIDENCE_ALL, EVIDENCE_FIRST, EVIDENCE_NEWEST = "all", "first", "newest"


@dataclass
class DocEvidence:
    title: str
    name: str  # the file's name, or the link
    is_file: bool
    relates_to: dt.date
    sha256: str = ""
    size: int | None = None
    evidence_id: int = 0


@dataclass
class DocEvidenceSummary:
    """A measure's evidence of the period counted, when `DocItem.evidence` holds only some:
    files and links, and of them those that prove a register's row, per register (its
    Mongolian name, in the registers' order)."""

    files: int
    links: int
    registers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.files + self.links


@dataclass
class DocItem:
    code: str
    text: str
    criteria: list[str]
    implementation: str
    evidence: list[DocEvidence]
    due: bool
    score: int | None  # None: unscored, or not due (see `due`)
    score_mark: str  # "100", "ХБ", or "" when not yet scored
    score_label: str  # "бүрэн хэрэгжсэн", "хугацаа болоогүй", …
    comment: str = ""
    self_score: int | None = None
    baseline: str = ""
    target: str = ""
    achieved: str = ""
    target_reached: bool | None = None
    shortfall_reason: str = ""
    responsible: str = ""
    # Set when `evidence` holds only the first or newest few (never in the JSON export).
    evidence_summary: DocEvidenceSummary | None = None

    @property
    def evidence_total(self) -> int:
        """How many evidence items the measure has in the period (listed or not)."""
        return self.evidence_summary.total if self.evidence_summary else len(self.evidence)

    @property
    def evidence_listed(self) -> list[DocEvidence]:
        """The evidence the Word document lists (at most `EVIDENCE_LISTED`)."""
        return self.evidence[:EVIDENCE_LISTED]

    @property
    def evidence_more_text(self) -> str:
        """`… бусад 130 нотломж нотломжийн багцад` when the list was cut, else ""."""
        return _more_text(self.evidence_total - EVIDENCE_LISTED)

    # -- the PDF's summary of the measure's evidence

    @property
    def evidence_counts_text(self) -> str:
        """`Нотломж 93: файл 70, холбоос 23` (only the kinds it has), or "" without any."""
        summary = self.evidence_summary
        if summary is not None:
            files, links = summary.files, summary.links
        else:
            files = sum(1 for e in self.evidence if e.is_file)
            links = len(self.evidence) - files
        kinds = [f"{word} {n}" for word, n in (("файл", files), ("холбоос", links)) if n]
        return f"Нотломж {files + links}: {', '.join(kinds)}" if kinds else ""

    @property
    def evidence_registers_text(self) -> str:
        """`Бүртгэлийн мөрийг нотлох — сургалт: 5; гэрээ: 2`, or ""."""
        registers = self.evidence_summary.registers if self.evidence_summary else []
        if not registers:
            return ""
        return "Бүртгэлийн мөрийг нотлох — " + "; ".join(f"{name}: {n}" for name, n in registers)

    @property
    def evidence_recent(self) -> list[DocEvidence]:
        """The `EVIDENCE_RECENT` newest (date of the work, then the latest added)."""
        newest = sorted(self.evidence, key=lambda e: (e.relates_to, e.evidence_id), reverse=True)
        return newest[:EVIDENCE_RECENT]

    @property
    def evidence_recent_more_text(self) -> str:
        """`… бусад 90 нотломж нотломжийн багцад` beside the newest few, else ""."""
        return _more_text(self.evidence_total - len(self.evidence_recent))


def _more_text(more: int) -> str:
    return f"… бусад {more} нотломж нотломжийн багцад" if more > 0 else ""


@dataclass
class DocGoal:
    number: int
    text: str
    items: list[DocItem]
    percent: Decimal | None

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


@dataclass
class DocSigner:
    label: str  # "ХЯНАСАН", "БОЛОВСРУУЛСАН"
    title: str
    name: str


@dataclass
class DocParentItem:
    code: str
    score: int | None
    score_mark: str  # as `DocItem.score_mark`, for the parent body's score
    score_label: str
    comment: str = ""


@dataclass
class DocParentGoal:
    number: int
    percent: Decimal | None

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


@dataclass
class DocParent:
    """The parent body's evaluation of the report (issue 18): its scores beside the
    organization's, and its percents, computed as the organization's are."""

    organization: str  # "Аймгийн ЗДТГазар"
    status: str  # open, returned, approved
    percent: Decimal | None
    goals: list[DocParentGoal]
    items: list[DocParentItem]

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def column(self) -> str:
        """The column title of the national template: "<parent body> үнэлгээ"."""
        return f"{self.organization} үнэлгээ"

    def item(self, code: str) -> DocParentItem | None:
        return next((i for i in self.items if i.code == code), None)

    def goal_percent_text(self, number: int) -> str:
        goal = next((g for g in self.goals if g.number == number), None)
        return format_percent(goal.percent if goal else None)


@dataclass
class ReportDocument:
    organization: str
    year: int
    title: str  # "2023 ОНЫ … ХЭРЭГЖИЛТИЙН ТАЙЛАН"
    period_key: str
    period_label: str  # "хагас жилийн байдлаар"
    period_start: dt.date
    period_end: dt.date
    date: dt.date  # the report's date: approval, else today
    place: str
    status: str
    goals: list[DocGoal]
    percent: Decimal | None
    scale: list[tuple[int, str]]
    not_due_mark: str
    not_due_label: str
    signers: list[DocSigner] = field(default_factory=list)
    has_levels: bool = False  # some measure has a baseline or target
    # The parent body's evaluation, when it has started one; never part of the report's
    # own seal (the parent scores after the organization approved), sealed on its own.
    parent: DocParent | None = None
    # "official" (the table above) or `NATIONAL`; the parent body's name for the national
    # template's last column, even before it scores.
    layout: str = "official"
    parent_name: str = ""

    @property
    def items(self) -> list[DocItem]:
        return [item for goal in self.goals for item in goal.items]

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def national(self) -> bool:
        return self.layout == NATIONAL

    @property
    def columns(self) -> list[str]:
        if self.national:
            keys = list(NATIONAL_COLUMNS)
            return [*keys, "parent"] if self.parent is not None or self.parent_name else keys
        keys = ["code", "goal", "measure", "criteria"]
        if self.has_levels:
            keys += ["baseline", "target", "achieved"]
        keys += ["implementation", "evidence", "score"]
        return [*keys, "parent"] if self.parent is not None else keys

    def column_title(self, key: str) -> str:
        """A column's title; the parent body's is "<its name> үнэлгээ"."""
        if key == "parent":
            return self.parent.column if self.parent is not None else f"{self.parent_name} үнэлгээ"
        return NATIONAL_COLUMNS[key] if self.national else COLUMNS[key]

    def counts(self) -> dict[str, int]:
        """Measures per scale mark (`"100"`, …, `"ХБ"`) and unscored due ones (`""`)."""
        counts = {str(value): 0 for value, _label in self.scale}
        counts[self.not_due_mark] = 0
        counts[""] = 0
        for item in self.items:
            counts[item.score_mark] = counts.get(item.score_mark, 0) + 1
        return counts

    def summary(self) -> str:
        """One Mongolian sentence for under the table: how many measures, how many due, the
        percent and the count per level."""
        counts = self.counts()
        due = sum(1 for item in self.items if item.due)
        levels = ", ".join(f"{label} {counts[str(value)]}" for value, label in self.scale)
        text = (
            f"Төлөвлөгөөний нийт {len(self.items)} арга хэмжээнээс хугацаа болсон {due} арга "
            f"хэмжээний хэрэгжилт {self.percent_text}"
            + ("%" if self.percent is not None else "")
            + f" ({levels}); {self.not_due_label} {counts[self.not_due_mark]}"
        )
        if counts[""]:
            text += f"; үнэлгээгүй {counts['']}"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
            return value

        data = plain(asdict(self))
        for goal in data["goals"]:
            for item in goal["items"]:
                if item["evidence_summary"] is None:  # the full list: as before summaries
                    del item["evidence_summary"]
        data["percent_text"] = self.percent_text
        for goal, raw in zip(self.goals, data["goals"], strict=True):
            raw["percent_text"] = goal.percent_text
        if self.parent is not None:
            data["parent"]["percent_text"] = self.parent.percent_text
            for goal, raw in zip(self.parent.goals, data["parent"]["goals"], strict=True):
                raw["percent_text"] = goal.percent_text
        return data


# -- the chart of implementation per goal, as the documents and the report page draw it ---

CHART_TITLE = "Зорилго тус бүрийн хэрэгжилт, хувиар"


def goal_bars(
    goals: list[tuple[str, Decimal | None]], *, label: str = "Зорилго %(n)s"
) -> list[Bar]:
    """One bar per (goal number, percent): "Зорилго 1", the percent as reports print it."""
    return [
        Bar(
            label=label % {"n": number},
            percent=percent,
            text=format_percent(percent) + ("%" if percent is not None else ""),
        )
        for number, percent in goals
    ]


def chart_svg(
    goals: list[tuple[str, Decimal | None]],
    *,
    width: int = 640,
    title: str = CHART_TITLE,
    label: str = "Зорилго %(n)s",
) -> str:
    """The chart as inline SVG (all text escaped), with a 0-100 % axis; the document's
    Mongolian words unless a page gives its reader's."""
    return bars_svg(
        goal_bars(goals, label=label), title=title, width=width, font_size=12, ticks=True,
        color=DOCUMENT_BAR,
    )  # fmt: skip


def chart_png(goals: list[tuple[str, Decimal | None]], *, scale: int = 3) -> bytes:
    """The same chart as a PNG, for Word."""
    return bars_png(
        goal_bars(goals), title=CHART_TITLE, width=640, font_size=12, scale=scale, ticks=True,
        color=DOCUMENT_BAR,
    )  # fmt: skip
