"""The implementation text of a measure, drafted in Mongolian from the period's records.

Pure functions over facts already fetched (`selectors.draft_facts`): register rows linked
to the measure (or, for registers its criteria count across the organization, every row of
the organization), its evidence, and the petition statistics for a measure about petitions.
Each register says what it knows the way the officer would write it: counts, dates,
channels, views, participants, clauses, months. The officer then edits the text.

The text is document content, so it is Mongolian whatever the user's language; the words
for each register's choices are kept here, next to the sentences that use them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from shudarga.core.dates import mn_month_ordinal

NOTHING_RECORDED = "Тайлант хугацаанд энэ арга хэмжээний хүрээнд бүртгэгдсэн ажил байхгүй."
_MAX_LISTED = 8  # rows named one by one; the rest are counted

CHANNELS = {
    "website": "цахим хуудас",
    "facebook": "Facebook",
    "twitter": "Twitter (X)",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "tv": "телевиз",
    "radio": "радио",
    "newspaper": "сонин",
    "led": "LED дэлгэц",
    "billboard": "гадна самбар",
    "other": "бусад",
}
MATERIALS = {
    "spot": "шторк",
    "infographic": "инфографик",
    "article": "нийтлэл",
    "poster": "зурагт хуудас",
    "ebook": "цахим ном",
    "handbook": "гарын авлага",
    "brochure": "товхимол",
    "other": "бусад",
}
PRODUCERS = {"own": "өөрсдийн бэлтгэсэн", "authority": "АТГ-аас ирүүлсэн"}
EVENT_KINDS = {
    "awareness_day": "өдөрлөг",
    "outreach": "нөлөөллийн арга хэмжээ",
    "discussion": "хэлэлцүүлэг",
    "meeting": "уулзалт",
    "briefing": "албан хаагчдад танилцуулах уулзалт",
}
TRAINING_KINDS = {
    "anti_corruption": "авлигын эсрэг, ёс зүйн",
    "procurement": "худалдан авах ажиллагааны",
    "other": "бусад",
}
RISK_STATUSES = {"open": "нээлттэй", "mitigating": "бууруулж буй", "closed": "хаагдсан"}
REVIEW_KINDS = {"internal_rule": "дотоод журам", "management_order": "удирдлагын тушаал"}
REVIEW_OUTCOMES = {
    "valid": "хүчинтэй",
    "amended": "нэмэлт, өөрчлөлт оруулсан",
    "repealed": "хүчингүй болгосон",
}
AUDIT_KINDS = {"state": "төрийн аудит", "internal": "дотоод аудит"}
OVERSIGHT_KINDS = {"public_oversight": "олон нийтийн хяналт", "recommendation": "АТГ-ын зөвлөмж"}


@dataclass
class PetitionFigures:
    received: int
    answered: int
    transferred: int
    on_time: int
    late: int
    overdue: int
    open: int


@dataclass
class MeasureFacts:
    """Everything the draft of one measure may speak about, for one period."""

    period_start: dt.date
    period_end: dt.date
    today: dt.date
    rows: dict[str, list[Any]] = field(default_factory=dict)  # register key -> rows
    attendees: dict[int, set[int]] = field(default_factory=dict)  # training id -> staff ids
    # Staff who attended an anti-corruption training of the period, in the whole organization.
    trained_staff: set[int] = field(default_factory=set)
    evidence: list[Any] = field(default_factory=list)
    petitions: PetitionFigures | None = None
    survey: Any = None  # petitions.selectors.SurveySummary for a measure about the survey


def short_date(value: dt.date) -> str:
    """`2023.04.12`, as tables and lists in Mongolian documents write a date."""
    return f"{value.year}.{value.month:02d}.{value.day:02d}"


def number(value: int | float) -> str:
    """Whole numbers grouped by thousands with a space: `12 345`."""
    return f"{int(value):,}".replace(",", " ")


def _tally(values: Iterable[str], words: dict[str, str]) -> str:
    """`шторк 2, инфографик 1`, most frequent first, in the documents' words."""
    counts = Counter(values)
    return ", ".join(f"{words.get(key, key)} {count}" for key, count in counts.most_common() if key)


def _listed(rows: list[Any], describe: Callable[[Any], str]) -> str:
    named = "; ".join(describe(row) for row in rows[:_MAX_LISTED])
    rest = len(rows) - _MAX_LISTED
    return f"Үүнд: {named}" + (f" болон бусад {rest}." if rest > 0 else ".")


def _quoted(text: str) -> str:
    return f"«{text.strip()}»"


def _distinct(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t.strip().rstrip(".") for t in texts if t and t.strip()))


def _sum(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def publications(rows: list[Any], facts: MeasureFacts) -> list[str]:
    n = len(rows)
    producers = Counter(row.produced_by for row in rows)
    sentence = f"Тайлант хугацаанд {n} материал нийтэлж, түгээсэн"
    if len(producers) > 1:
        sentence += f" ({_tally((r.produced_by for r in rows), PRODUCERS)})"
    sentences = [
        f"{sentence}: {_tally((r.material for r in rows), MATERIALS)}.",
        f"Түгээсэн суваг: {_tally((r.channel for r in rows), CHANNELS)}.",
    ]
    copies, views = _sum(r.copies for r in rows), _sum(r.views for r in rows)
    reach = []
    if copies is not None:
        reach.append(f"тараасан хувь {number(copies)}")
    if views is not None:
        reach.append(f"үзэлт {number(views)}")
    if reach:
        sentences.append(f"Үр дүн: {', '.join(reach)}.")
    hotline = sum(1 for r in rows if r.shows_hotline)
    sentences.append(
        f"Авлигыг мэдээлэх 110 дугаарыг харуулсан материал: {hotline}"
        + (f", харуулаагүй: {n - hotline}." if hotline < n else ".")
    )

    def describe(r: Any) -> str:
        parts = [short_date(r.date), CHANNELS.get(r.channel, r.channel)]
        if r.views is not None:
            parts.append(f"{number(r.views)} үзэлт")
        return f"{_quoted(r.title)} ({', '.join(parts)})"

    sentences.append(_listed(sorted(rows, key=lambda r: (r.date, r.pk)), describe))
    return sentences


def events(rows: list[Any], facts: MeasureFacts) -> list[str]:
    n = len(rows)
    people = _sum(r.participants for r in rows)
    sentence = f"Тайлант хугацаанд {n} арга хэмжээ зохион байгуулсан"
    if people is not None:
        sentence += f", нийт {number(people)} хүн оролцсон"
    sentences = [f"{sentence} ({_tally((r.kind for r in rows), EVENT_KINDS)})."]

    def describe(r: Any) -> str:
        parts = [short_date(r.date)]
        if r.participants is not None:
            parts.append(f"{number(r.participants)} оролцогч")
        return f"{_quoted(r.title)} ({', '.join(parts)})"

    sentences.append(_listed(sorted(rows, key=lambda r: (r.date, r.pk)), describe))
    if outcomes := _distinct(r.outcome for r in rows):
        sentences.append(f"Үр дүн: {'; '.join(outcomes)}.")
    if follow_ups := _distinct(r.follow_up for r in rows):
        sentences.append(f"Авсан арга хэмжээ: {'; '.join(follow_ups)}.")
    return sentences


def trainings(rows: list[Any], facts: MeasureFacts) -> list[str]:
    people = set().union(*(facts.attendees.get(r.pk, set()) for r in rows))
    sentences = [
        f"Тайлант хугацаанд {len(rows)} сургалт зохион байгуулж, "
        f"{len(people)} албан хаагчийг хамруулсан "
        f"({_tally((r.kind for r in rows), TRAINING_KINDS)} сургалт)."
    ]

    def describe(r: Any) -> str:
        parts = [short_date(r.date)]
        if r.organizer:
            parts.append(r.organizer)
        parts.append(f"{len(facts.attendees.get(r.pk, ()))} оролцогч")
        return f"{_quoted(r.topic)} ({', '.join(parts)})"

    sentences.append(_listed(sorted(rows, key=lambda r: (r.date, r.pk)), describe))
    return sentences


def staff(rows: list[Any], facts: MeasureFacts) -> list[str]:
    """New appointees of the period and whether an anti-corruption training reached them."""
    appointed = [r for r in rows if facts.period_start <= r.appointed_on <= facts.period_end]
    if not appointed:
        return ["Тайлант хугацаанд шинээр томилогдсон албан хаагч байхгүй."]
    trained = [r for r in appointed if r.pk in facts.trained_staff]
    sentence = (
        f"Тайлант хугацаанд {len(appointed)} албан хаагч шинээр томилогдсоноос "
        f"{len(trained)} нь авлигаас урьдчилан сэргийлэх, ёс зүйн сургалтад хамрагдсан."
    )
    missing = [r.name for r in appointed if r.pk not in facts.trained_staff]
    if missing:
        sentence += f" Хамрагдаагүй: {', '.join(missing)}."
    return [sentence]


def contracts(rows: list[Any], facts: MeasureFacts) -> list[str]:
    n = len(rows)
    clauses = [
        ("clause_anti_corruption", "авлигаас ангид байх заалт"),
        ("clause_duty_to_report", "авлигын талаар мэдээлэх үүрэг"),
        ("clause_damages", "гэрээ цуцлахад хохирол барагдуулах заалт"),
    ]
    counts = ", ".join(
        f"{label} — {sum(1 for r in rows if getattr(r, name))}" for name, label in clauses
    )
    sentences = [f"Тайлант хугацаанд {n} гэрээ байгуулсан. Гэрээнд тусгасан байдал: {counts}."]
    lacking = [r for r in rows if not all(getattr(r, name) for name, _label in clauses)]
    if lacking:
        sentences.append(
            "Бүх заалтыг тусгаагүй гэрээ: "
            + ", ".join(f"{r.number} {r.counterparty}" for r in lacking[:_MAX_LISTED])
            + "."
        )
    else:
        sentences.append("Бүх гэрээнд авлигаас урьдчилан сэргийлэх заалтуудыг бүрэн тусгасан.")
    return sentences


def _months(months: list[int]) -> str:
    if not months:
        return ""
    return f"{', '.join(str(m) for m in months)} {mn_month_ordinal(months[-1])} сар"


def board_updates(rows: list[Any], facts: MeasureFacts) -> list[str]:
    year = facts.period_end.year
    months = sorted({r.date.month for r in rows if r.date.year == year})
    sentences = [
        f"Мэдээллийн самбарыг тайлант хугацаанд {len(rows)} удаа шинэчилсэн ({_months(months)})."
    ]
    # A month counts as missed once it is over (by today, or by the period's end).
    last = min(facts.period_end, facts.today)
    over = [
        m
        for m in range(facts.period_start.month, facts.period_end.month + 1)
        if dt.date(year, m, calendar.monthrange(year, m)[1]) <= last
    ]
    if missing := [m for m in over if m not in months]:
        sentences.append(f"Шинэчлээгүй сар: {_months(missing)}.")
    topics = _distinct(r.content for r in sorted(rows, key=lambda r: (r.date, r.pk)))
    if topics:
        sentences.append(f"Байршуулсан мэдээлэл: {'; '.join(topics[:_MAX_LISTED])}.")
    return sentences


def risks(rows: list[Any], facts: MeasureFacts) -> list[str]:
    sentences = [
        f"Авлигын эрсдэлийн бүртгэлд {len(rows)} эрсдэл тодорхойлсон "
        f"({_tally((r.status for r in rows), RISK_STATUSES)})."
    ]
    sentences.append(
        _listed(
            sorted(rows, key=lambda r: (-r.likelihood * r.impact, r.pk)),
            lambda r: (
                f"{r.process} — {r.risk.strip().rstrip('.')} "
                f"(магадлал {r.likelihood}, нөлөө {r.impact})"
            ),
        )
    )
    if mitigations := _distinct(r.mitigation for r in rows):
        sentences.append(f"Авсан арга хэмжээ: {'; '.join(mitigations)}.")
    return sentences


def document_reviews(rows: list[Any], facts: MeasureFacts) -> list[str]:
    return [
        f"Тайлант хугацаанд {len(rows)} баримт бичгийг хянасан "
        f"({_tally((r.kind for r in rows), REVIEW_KINDS)}). "
        f"Хянасны үр дүн: {_tally((r.outcome for r in rows), REVIEW_OUTCOMES)}.",
        _listed(
            sorted(rows, key=lambda r: (r.date, r.pk)),
            lambda r: (
                f"{_quoted(r.document)} ({short_date(r.date)}, "
                f"{REVIEW_OUTCOMES.get(r.outcome, r.outcome)})"
            ),
        ),
    ]


def audits(rows: list[Any], facts: MeasureFacts) -> list[str]:
    sentences = [
        f"Тайлант хугацаанд {len(rows)} аудит хийгдсэн "
        f"({_tally((r.kind for r in rows), AUDIT_KINDS)})."
    ]

    def describe(r: Any) -> str:
        text = f"{AUDIT_KINDS.get(r.kind, r.kind)}, {r.period_covered} ({short_date(r.date)})"
        if r.findings.strip():
            text += f" — {r.findings.strip().rstrip('.')}"
        return text

    sentences.append(_listed(sorted(rows, key=lambda r: (r.date, r.pk)), describe))
    if follow_ups := _distinct(r.follow_up for r in rows):
        sentences.append(f"Авсан арга хэмжээ: {'; '.join(follow_ups)}.")
    return sentences


def oversight(rows: list[Any], facts: MeasureFacts) -> list[str]:
    done = sum(1 for r in rows if r.done_on)
    sentences = [
        f"Тайлант хугацаанд хяналт, зөвлөмж {len(rows)} хүлээн авсан "
        f"({_tally((r.kind for r in rows), OVERSIGHT_KINDS)}); хэрэгжүүлсэн: {done}."
    ]

    def describe(r: Any) -> str:
        text = f"{_quoted(r.content)} ({r.source + ', ' if r.source else ''}{short_date(r.date)})"
        if r.action_taken.strip():
            text += f" — {r.action_taken.strip().rstrip('.')}"
        return text

    sentences.append(_listed(sorted(rows, key=lambda r: (r.date, r.pk)), describe))
    return sentences


# In the order the draft speaks of them.
REGISTER_WRITERS: dict[str, Callable[[list[Any], MeasureFacts], list[str]]] = {
    "publications": publications,
    "events": events,
    "trainings": trainings,
    "staff": staff,
    "contracts": contracts,
    "board-updates": board_updates,
    "risks": risks,
    "document-reviews": document_reviews,
    "audits": audits,
    "oversight": oversight,
}


def petition_sentences(figures: PetitionFigures) -> list[str]:
    if not figures.received:
        return ["Тайлант хугацаанд өргөдөл, гомдол ирээгүй."]
    return [
        f"Тайлант хугацаанд {figures.received} өргөдөл, гомдол хүлээн авсан. "
        f"Шийдвэрлэлт: хариу өгсөн {figures.answered}, шилжүүлсэн {figures.transferred}, "
        f"хугацаандаа шийдвэрлэсэн {figures.on_time}, хугацаа хэтрүүлж шийдвэрлэсэн "
        f"{figures.late}, хугацаа хэтэрсэн {figures.overdue}, шийдвэрлэгдэж буй {figures.open}."
    ]


def survey_sentence(summary: Any) -> str:
    if not summary.responses:
        return "Тайлант хугацаанд сэтгэл ханамжийн судалгаанд хариулт ирээгүй."
    text = f"Сэтгэл ханамжийн судалгаанд {summary.responses} иргэн хариулсан."
    if summary.likert_average is not None:
        average = f"{summary.likert_average:.1f}".replace(".", ",")
        text += f" 5 онооны үнэлгээний дундаж {average}."
    return text


def evidence_sentence(items: list[Any]) -> str:
    files = sum(1 for e in items if e.kind == "file")
    links = len(items) - files
    parts = [f"файл {files}"] if files else []
    if links:
        parts.append(f"холбоос {links}")
    return f"Нотлох баримт {len(items)} хавсаргасан ({', '.join(parts)})."


def draft_text(facts: MeasureFacts) -> str:
    """The draft, one paragraph per register that has rows, then petitions and evidence;
    `NOTHING_RECORDED` when the period holds nothing for the measure."""
    paragraphs = []
    for key, writer in REGISTER_WRITERS.items():
        if rows := facts.rows.get(key):
            paragraphs.append(" ".join(writer(rows, facts)))
    if facts.petitions is not None:
        paragraphs.append(" ".join(petition_sentences(facts.petitions)))
    if facts.survey is not None:
        paragraphs.append(survey_sentence(facts.survey))
    if facts.evidence:
        paragraphs.append(evidence_sentence(facts.evidence))
    return "\n".join(paragraphs) if paragraphs else NOTHING_RECORDED
