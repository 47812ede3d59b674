"""The implementation text of a measure, drafted in Mongolian from the period's records.

Pure functions over facts already fetched (`selectors.draft_facts`, from the same
`criteria.facts.period_facts` the criteria and the dashboards read): the rows that speak of
the measure, its evidence, the petition statistics for a measure about petitions, the
survey for one about the survey. How each register's rows are told is the register's own
(`registers.telling`, named by its spec). The officer then edits the text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from shudarga.registers.registry import REGISTERS

# The order the draft speaks of the registers in.
TOLD_ORDER = (
    "publications",
    "events",
    "trainings",
    "staff",
    "contracts",
    "board-updates",
    "risks",
    "document-reviews",
    "audits",
    "oversight",
)

NOTHING_RECORDED = "Тайлант хугацаанд энэ арга хэмжээний хүрээнд бүртгэгдсэн ажил байхгүй."


@dataclass
class PetitionFigures:
    received: int
    answered: int
    transferred: int
    on_time: int
    late: int
    overdue: int
    open: int
    carried_over: int = 0


@dataclass
class MeasureFacts:
    """Everything the draft of one measure may speak about, for one period: the rows of
    the period's facts that speak of it (`criteria.facts.measure_rows`), its evidence,
    the coverage of new appointees as its criterion counts it, petitions and the survey."""

    period_start: dt.date
    period_end: dt.date
    today: dt.date
    rows: dict[str, list[Any]] = field(default_factory=dict)  # register key -> rows
    coverage: Any = None  # criteria.rules.Coverage, for a measure about new appointees
    evidence: list[Any] = field(default_factory=list)
    petitions: PetitionFigures | None = None
    survey: Any = None  # petitions.selectors.SurveySummary for a measure about the survey
    surveys: list[Any] = field(default_factory=list)  # the period's surveys, with summaries


def petition_sentences(figures: PetitionFigures) -> list[str]:
    """The period's petitions as of its cut-off: carried over, received, resolved in it."""
    if not figures.received and not figures.carried_over:
        return ["Тайлант хугацаанд өргөдөл, гомдол ирээгүй."]
    carried = f"Өмнөх хугацаанаас шилжсэн {figures.carried_over}. " if figures.carried_over else ""
    return [
        f"Тайлант хугацаанд {figures.received} өргөдөл, гомдол хүлээн авсан. {carried}"
        f"Шийдвэрлэлт: хариу өгсөн {figures.answered}, шилжүүлсэн {figures.transferred}, "
        f"хугацаандаа шийдвэрлэсэн {figures.on_time}, хугацаа хэтрүүлж шийдвэрлэсэн "
        f"{figures.late}, хугацаа хэтэрсэн {figures.overdue}, шийдвэрлэгдэж буй {figures.open}."
    ]


def survey_sentence(summary: Any, surveys: list[Any] = ()) -> str:
    """Answers and the mean score, then each survey's result and actions as summed up."""
    if not summary.responses:
        return "Тайлант хугацаанд сэтгэл ханамжийн судалгаанд хариулт ирээгүй."
    text = f"Сэтгэл ханамжийн судалгаанд {summary.responses} иргэн хариулсан."
    if summary.likert_average is not None:
        average = f"{summary.likert_average:.1f}".replace(".", ",")
        text += f" 5 онооны үнэлгээний дундаж {average}."
    for survey in surveys:
        if survey.result.strip():
            result = survey.result.strip().rstrip(".")
            text += f" «{survey.title.strip()}» судалгааны дүн: {result}."
        if survey.actions.strip():
            text += f" Авсан арга хэмжээ: {survey.actions.strip().rstrip('.')}."
    return text


def evidence_sentence(items: list[Any]) -> str:
    """Files and links attached, counted."""
    files = sum(1 for e in items if e.kind == "file")
    links = len(items) - files
    parts = [f"файл {files}"] if files else []
    if links:
        parts.append(f"холбоос {links}")
    return f"Нотлох баримт {len(items)} хавсаргасан ({', '.join(parts)})."


def draft_text(facts: MeasureFacts) -> str:
    """The draft, one paragraph per register that has rows, then petitions and evidence;
    `NOTHING_RECORDED` when the period holds nothing for the measure."""
    paragraphs = [
        " ".join(spec.tell(rows, facts))
        for spec in sorted(REGISTERS.values(), key=lambda s: TOLD_ORDER.index(s.key))
        if (rows := facts.rows.get(spec.key)) and spec.tell is not None
    ]
    if facts.petitions is not None:
        paragraphs.append(" ".join(petition_sentences(facts.petitions)))
    if facts.survey is not None:
        paragraphs.append(survey_sentence(facts.survey, facts.surveys))
    if facts.evidence:
        paragraphs.append(evidence_sentence(facts.evidence))
    return "\n".join(paragraphs) if paragraphs else NOTHING_RECORDED
