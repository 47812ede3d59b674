"""How each register's rows are told in a report: Mongolian sentences, the way an officer
would write them (counts, dates, channels, views, participants, clauses, months).

The text is document content, so it is Mongolian whatever the user's language. The words
for each choice are the choice's own label in Mongolian (`mn_label`), the same the pages
show: no second list of words to drift apart. Each function takes the rows of one register
(facts with the register's fields as attributes) and the measure's context (`period_start`,
`period_end`, `today`, `attendees`, `coverage`; see `reports.drafting.MeasureFacts`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import translation

from shudarga.core.dates import mn_month_ordinal
from shudarga.registers.models import (
    Audit,
    DocumentReview,
    Event,
    OversightItem,
    Publication,
    Risk,
    Training,
)

MAX_LISTED = 8  # rows named one by one; the rest are counted


def mn_label(choices: type[models.Choices], value: str) -> str:
    """The Mongolian label of `value`, as a word inside a sentence: a Cyrillic label's
    capital is lowered ("Шторк" → "шторк"), a name such as "Facebook" or "LED" is kept."""
    with translation.override("mn"):
        label = str(dict(choices.choices).get(value, value))
    if len(label) > 1 and "\u0400" <= label[0] <= "\u04ff" and label[1].islower():
        label = label[0].lower() + label[1:]
    return label


def short_date(value: dt.date) -> str:
    """`2023.04.12`, as tables and lists in Mongolian documents write a date."""
    return f"{value.year}.{value.month:02d}.{value.day:02d}"


def number(value: int | float) -> str:
    """Whole numbers grouped by thousands with a space: `12 345`."""
    return f"{int(value):,}".replace(",", " ")


def tally(values: Iterable[str], choices: type[models.Choices]) -> str:
    """`шторк 2, инфографик 1`, most frequent first, in the documents' words."""
    counts = Counter(values)
    return ", ".join(
        f"{mn_label(choices, key)} {count}" for key, count in counts.most_common() if key
    )


def listed(rows: list[Any], describe: Callable[[Any], str]) -> str:
    named = "; ".join(describe(row) for row in rows[:MAX_LISTED])
    rest = len(rows) - MAX_LISTED
    return f"Үүнд: {named}" + (f" болон бусад {rest}." if rest > 0 else ".")


def quoted(text: str) -> str:
    return f"«{text.strip()}»"


def distinct(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t.strip().rstrip(".") for t in texts if t and t.strip()))


def _sum(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _by_date(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (r.date, r.pk))


def publications(rows: list[Any], facts: Any) -> list[str]:
    """One row is one material: counted once, its channels listed."""
    n = len(rows)
    producers = Counter(row.produced_by for row in rows)
    sentence = f"Тайлант хугацаанд {n} материал нийтэлж, түгээсэн"
    if len(producers) > 1:
        sentence += f" ({tally((r.produced_by for r in rows), Publication.Producer)})"
    sentences = [f"{sentence}: {tally((r.material for r in rows), Publication.Material)}."]
    channels = [c for r in rows for c in r.channels]
    if channels:
        sentences.append(f"Түгээсэн суваг: {tally(channels, Publication.Channel)}.")
    if unpublished := sum(1 for r in rows if not r.channels):
        sentences.append(f"Нийтлэгдээгүй материал: {unpublished}.")
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
        parts = [short_date(r.date), *(mn_label(Publication.Channel, c) for c in r.channels)]
        if r.views is not None:
            parts.append(f"{number(r.views)} үзэлт")
        return f"{quoted(r.title)} ({', '.join(parts)})"

    sentences.append(listed(_by_date(rows), describe))
    return sentences


def events(rows: list[Any], facts: Any) -> list[str]:
    n = len(rows)
    people = _sum(r.participants for r in rows)
    sentence = f"Тайлант хугацаанд {n} арга хэмжээ зохион байгуулсан"
    if people is not None:
        sentence += f", нийт {number(people)} хүн оролцсон"
    sentences = [f"{sentence} ({tally((r.kind for r in rows), Event.Kind)})."]

    def describe(r: Any) -> str:
        parts = [short_date(r.date)]
        if r.participants is not None:
            parts.append(f"{number(r.participants)} оролцогч")
        return f"{quoted(r.title)} ({', '.join(parts)})"

    sentences.append(listed(_by_date(rows), describe))
    if outcomes := distinct(r.outcome for r in rows):
        sentences.append(f"Үр дүн: {'; '.join(outcomes)}.")
    if follow_ups := distinct(r.follow_up for r in rows):
        sentences.append(f"Авсан арга хэмжээ: {'; '.join(follow_ups)}.")
    return sentences


def trainings(rows: list[Any], facts: Any) -> list[str]:
    people = set().union(*(r.attendees for r in rows))
    sentences = [
        f"Тайлант хугацаанд {len(rows)} сургалт зохион байгуулж, "
        f"{len(people)} албан хаагчийг хамруулсан "
        f"({tally((r.kind for r in rows), Training.Kind)} сургалт)."
    ]

    def describe(r: Any) -> str:
        parts = [short_date(r.date)]
        if r.organizer:
            parts.append(r.organizer)
        parts.append(f"{len(r.attendees)} оролцогч")
        return f"{quoted(r.topic)} ({', '.join(parts)})"

    sentences.append(listed(_by_date(rows), describe))
    return sentences


def staff(rows: list[Any], facts: Any) -> list[str]:
    """New appointees of the period and whether the training reached them in time, as the
    criterion counts them (`facts.coverage`): those who left before their deadline are
    named apart and not counted."""
    coverage = facts.coverage
    if coverage is None or not (coverage.population or coverage.left):
        return ["Тайлант хугацаанд шинээр томилогдсон албан хаагч байхгүй."]
    sentence = (
        f"Тайлант хугацаанд {len(coverage.population)} албан хаагч шинээр томилогдсоноос "
        f"{len(coverage.covered)} нь {coverage.days} хоногийн дотор авлигаас урьдчилан "
        f"сэргийлэх, ёс зүйн сургалтад хамрагдсан."
    )
    if coverage.missing:
        sentence += f" Хамрагдаагүй: {', '.join(p.name for p in coverage.missing)}."
    if coverage.pending:
        sentence += f" Хугацаа нь болоогүй: {', '.join(p.name for p in coverage.pending)}."
    if coverage.left:
        sentence += (
            f" Сургалтад хамрагдахаас өмнө ажлаас гарсан (тооцоогүй): "
            f"{', '.join(p.name for p in coverage.left)}."
        )
    return [sentence]


CLAUSES = (
    ("clause_anti_corruption", "авлигаас ангид байх заалт"),
    ("clause_duty_to_report", "авлигын талаар мэдээлэх үүрэг"),
    ("clause_damages", "гэрээ цуцлахад хохирол барагдуулах заалт"),
)


def contracts(rows: list[Any], facts: Any) -> list[str]:
    n = len(rows)
    counts = ", ".join(
        f"{label} — {sum(1 for r in rows if getattr(r, name))}" for name, label in CLAUSES
    )
    sentences = [f"Тайлант хугацаанд {n} гэрээ байгуулсан. Гэрээнд тусгасан байдал: {counts}."]
    lacking = [r for r in rows if not all(getattr(r, name) for name, _label in CLAUSES)]
    if lacking:
        sentences.append(
            "Бүх заалтыг тусгаагүй гэрээ: "
            + ", ".join(f"{r.number} {r.counterparty}" for r in lacking[:MAX_LISTED])
            + "."
        )
    else:
        sentences.append("Бүх гэрээнд авлигаас урьдчилан сэргийлэх заалтуудыг бүрэн тусгасан.")
    return sentences


def _months(months: list[int]) -> str:
    if not months:
        return ""
    return f"{', '.join(str(m) for m in months)} {mn_month_ordinal(months[-1])} сар"


def board_updates(rows: list[Any], facts: Any) -> list[str]:
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
    topics = distinct(r.content for r in _by_date(rows))
    if topics:
        sentences.append(f"Байршуулсан мэдээлэл: {'; '.join(topics[:MAX_LISTED])}.")
    return sentences


def risks(rows: list[Any], facts: Any) -> list[str]:
    sentences = [
        f"Авлигын эрсдэлийн бүртгэлд {len(rows)} эрсдэл тодорхойлсон "
        f"({tally((r.status for r in rows), Risk.Status)})."
    ]
    sentences.append(
        listed(
            sorted(rows, key=lambda r: (-r.likelihood * r.impact, r.pk)),
            lambda r: (
                f"{r.process} — {r.risk.strip().rstrip('.')} "
                f"(магадлал {r.likelihood}, нөлөө {r.impact})"
            ),
        )
    )
    if mitigations := distinct(r.mitigation for r in rows):
        sentences.append(f"Авсан арга хэмжээ: {'; '.join(mitigations)}.")
    return sentences


def document_reviews(rows: list[Any], facts: Any) -> list[str]:
    return [
        f"Тайлант хугацаанд {len(rows)} баримт бичгийг хянасан "
        f"({tally((r.kind for r in rows), DocumentReview.Kind)}). "
        f"Хянасны үр дүн: {tally((r.outcome for r in rows), DocumentReview.Outcome)}.",
        listed(
            _by_date(rows),
            lambda r: (
                f"{quoted(r.document)} ({short_date(r.date)}, "
                f"{mn_label(DocumentReview.Outcome, r.outcome)})"
            ),
        ),
    ]


def audits(rows: list[Any], facts: Any) -> list[str]:
    sentences = [
        f"Тайлант хугацаанд {len(rows)} аудит хийгдсэн "
        f"({tally((r.kind for r in rows), Audit.Kind)})."
    ]

    def describe(r: Any) -> str:
        text = f"{mn_label(Audit.Kind, r.kind)}, {r.period_covered} ({short_date(r.date)})"
        if r.findings.strip():
            text += f" — {r.findings.strip().rstrip('.')}"
        return text

    sentences.append(listed(_by_date(rows), describe))
    if follow_ups := distinct(r.follow_up for r in rows):
        sentences.append(f"Авсан арга хэмжээ: {'; '.join(follow_ups)}.")
    return sentences


def oversight(rows: list[Any], facts: Any) -> list[str]:
    done = sum(1 for r in rows if r.done_on)
    sentences = [
        f"Тайлант хугацаанд хяналт, зөвлөмж {len(rows)} хүлээн авсан "
        f"({tally((r.kind for r in rows), OversightItem.Kind)}); хэрэгжүүлсэн: {done}."
    ]

    def describe(r: Any) -> str:
        text = f"{quoted(r.content)} ({r.source + ', ' if r.source else ''}{short_date(r.date)})"
        if r.action_taken.strip():
            text += f" — {r.action_taken.strip().rstrip('.')}"
        return text

    sentences.append(listed(_by_date(rows), describe))
    return sentences
