"""Criteria that evaluate themselves: rules over registers and evidence, as pure functions.

A `Rule` says what a criterion counts (`kind`) in which register, with which filters. The
evaluation takes plain facts (rows, staff, trainings, evidence of one organization and one
period, already fetched) and returns an `Evaluation`: met / not met / not yet due / judged
by people, with the numbers and the rows behind it. No database here: the selectors fetch,
this module decides, so every rule is tested without a database.

`propose_rule` reads the Mongolian criterion text (and its measure's text) and proposes a
rule: `2-оос доошгүй` → at least 2, `сар бүр` → every month, `бүх гэрээнд` → every contract,
`бүрэн хамруулсан` → full coverage of new appointees, `нотломжийг хавсаргасан` → evidence
attached. The coordinator confirms or edits the proposal.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shudarga.core.dates import mn_month_ordinal
from shudarga.core.text import fold


class Kind:
    AT_LEAST = "at_least"  # at least N rows (of a type) in the period
    EVERY_MONTH = "every_month"  # a row in every month of the period
    ALL_ROWS = "all_rows"  # every row satisfies a condition
    COVERAGE = "coverage"  # every new appointee trained within N days
    EVIDENCE = "evidence"  # at least N evidence items attached
    NO_OVERDUE_PETITIONS = "no_overdue_petitions"  # no petition answered late or overdue
    SURVEY_RESPONSES = "survey_responses"  # at least N satisfaction-survey answers
    MANUAL = "manual"  # judged by people

    ALL = (
        AT_LEAST,
        EVERY_MONTH,
        ALL_ROWS,
        COVERAGE,
        EVIDENCE,
        NO_OVERDUE_PETITIONS,
        SURVEY_RESPONSES,
        MANUAL,
    )


class Status:
    MET = "met"
    NOT_MET = "not_met"
    NOT_YET_DUE = "not_yet_due"
    MANUAL = "manual"


SCOPE_MEASURE = "measure"  # only rows linked to the criterion's measure
SCOPE_ORGANIZATION = "organization"  # every row of the organization


@dataclass(frozen=True)
class Rule:
    kind: str
    register: str = ""
    n: int | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)  # field -> allowed values
    require: dict[str, bool] = field(default_factory=dict)  # field -> required value
    scope: str = SCOPE_MEASURE
    days: int | None = None  # coverage: trained within this many days of appointment
    source: str = ""  # the words the proposal was read from


@dataclass(frozen=True)
class RowFact:
    id: int
    date: dt.date
    measure_ids: frozenset[int]
    values: dict[str, Any]
    label: str


@dataclass(frozen=True)
class StaffFact:
    id: int
    name: str
    appointed_on: dt.date
    left_on: dt.date | None = None


@dataclass(frozen=True)
class TrainingFact:
    id: int
    date: dt.date
    kind: str
    attendee_ids: frozenset[int]


@dataclass(frozen=True)
class EvidenceFact:
    id: int
    measure_id: int
    criterion_id: int | None
    relates_to: dt.date


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def months(self) -> list[tuple[int, int]]:
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


@dataclass
class Facts:
    period: Period
    today: dt.date
    rows: dict[str, list[RowFact]] = field(default_factory=dict)
    staff: list[StaffFact] = field(default_factory=list)
    trainings: list[TrainingFact] = field(default_factory=list)
    evidence: list[EvidenceFact] = field(default_factory=list)
    petitions_overdue: int = 0
    survey_responses: int = 0
    # Measures due every month ("Сар бүр" in the plan's deadline): their counts are checked
    # month by month.
    monthly_measures: frozenset[int] = frozenset()


@dataclass
class Evaluation:
    status: str
    message: str
    count: int | None = None
    target: int | None = None
    row_ids: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # months, people or rows lacking


def month_label(year: int, month: int) -> str:
    """`2023 оны 3 дугаар сар` in Mongolian, `March 2023` otherwise."""
    if (get_language() or "mn").startswith("mn"):
        return f"{year} оны {month} {mn_month_ordinal(month)} сар"
    return dt.date(year, month, 1).strftime("%B %Y")


def _rows_in_scope(rule: Rule, measure_id: int, facts: Facts) -> list[RowFact]:
    rows = [
        row
        for row in facts.rows.get(rule.register, [])
        if facts.period.start <= row.date <= facts.period.end
        and (rule.scope == SCOPE_ORGANIZATION or measure_id in row.measure_ids)
    ]
    for name, allowed in rule.filters.items():
        allowed_set = {str(v) for v in allowed}
        rows = [row for row in rows if str(row.values.get(name)) in allowed_set]
    return rows


def _period_over(facts: Facts) -> bool:
    return facts.today > facts.period.end


def evaluate(rule: Rule, *, measure_id: int, criterion_id: int, facts: Facts) -> Evaluation:
    """Evaluate one criterion's rule on the facts of its organization and period."""
    if facts.today < facts.period.start:
        return Evaluation(Status.NOT_YET_DUE, _("The period has not started."))
    if measure_id in facts.monthly_measures and rule.kind in (Kind.AT_LEAST, Kind.EVIDENCE):
        return _month_by_month(rule, measure_id, criterion_id, facts)
    if rule.kind == Kind.AT_LEAST:
        return _at_least(rule, measure_id, facts)
    if rule.kind == Kind.EVERY_MONTH:
        return _every_month(rule, measure_id, facts)
    if rule.kind == Kind.ALL_ROWS:
        return _all_rows(rule, measure_id, facts)
    if rule.kind == Kind.COVERAGE:
        return _coverage(rule, facts)
    if rule.kind == Kind.EVIDENCE:
        return _evidence(rule, measure_id, criterion_id, facts)
    if rule.kind == Kind.NO_OVERDUE_PETITIONS:
        return _no_overdue(facts)
    if rule.kind == Kind.SURVEY_RESPONSES:
        return _survey(rule, facts)
    return Evaluation(Status.MANUAL, _("Judged by people."))


def _month_by_month(rule: Rule, measure_id: int, criterion_id: int, facts: Facts) -> Evaluation:
    """A measure due every month: the count must be reached in each month of the period
    that is over (the current month can still be done)."""
    due = [m for m in facts.period.months() if m < (facts.today.year, facts.today.month)]
    if not due:
        return Evaluation(Status.NOT_YET_DUE, _("No month of the period is over yet."))
    missing, ids = [], []
    for year, month in due:
        start = max(facts.period.start, dt.date(year, month, 1))
        end = min(facts.period.end, _month_end(year, month))
        in_month = dataclasses.replace(
            facts, period=Period(start, end), today=end + dt.timedelta(1)
        )
        if rule.kind == Kind.AT_LEAST:
            result = _at_least(rule, measure_id, in_month)
        else:
            result = _evidence(rule, measure_id, criterion_id, in_month)
        ids.extend(result.row_ids)
        if result.status != Status.MET:
            missing.append(month_label(year, month))
    covered = len(due) - len(missing)
    values = {"covered": covered, "due": len(due), "target": rule.n or 1}
    if missing:
        return Evaluation(
            Status.NOT_MET,
            _(
                "The measure is due every month: %(covered)s of %(due)s months have at least "
                "%(target)s; missing: %(months)s."
            )
            % {**values, "months": ", ".join(missing)},
            covered,
            len(due),
            ids,
            missing,
        )
    return Evaluation(
        Status.MET,
        _("The measure is due every month: all %(due)s months have at least %(target)s.") % values,
        covered,
        len(due),
        ids,
    )


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _no_overdue(facts: Facts) -> Evaluation:
    overdue = facts.petitions_overdue
    if overdue:
        return Evaluation(
            Status.NOT_MET,
            _("%(count)s petitions or complaints were answered late or are overdue.")
            % {"count": overdue},
            overdue,
            0,
        )
    return Evaluation(Status.MET, _("No petition or complaint went overdue."), 0, 0)


def _survey(rule: Rule, facts: Facts) -> Evaluation:
    target = rule.n or 1
    values = {"count": facts.survey_responses, "target": target}
    if facts.survey_responses >= target:
        return Evaluation(
            Status.MET,
            _("%(count)s survey answers received.") % values,
            facts.survey_responses,
            target,
        )
    status = Status.NOT_YET_DUE if not _period_over(facts) else Status.NOT_MET
    return Evaluation(
        status,
        _("%(count)s survey answers received, %(target)s needed.") % values,
        facts.survey_responses,
        target,
    )


def _at_least(rule: Rule, measure_id: int, facts: Facts) -> Evaluation:
    rows = _rows_in_scope(rule, measure_id, facts)
    target = rule.n or 1
    values = {"count": len(rows), "target": target}
    ids = [row.id for row in sorted(rows, key=lambda r: (r.date, r.id))]
    if len(rows) >= target:
        return Evaluation(
            Status.MET,
            _("%(count)s recorded, at least %(target)s needed.") % values,
            len(rows),
            target,
            ids,
        )
    if not _period_over(facts):
        return Evaluation(
            Status.NOT_YET_DUE,
            _("%(count)s recorded so far, at least %(target)s needed by the end of the period.")
            % values,
            len(rows),
            target,
            ids,
        )
    return Evaluation(
        Status.NOT_MET,
        _("%(count)s recorded, at least %(target)s needed.") % values,
        len(rows),
        target,
        ids,
    )


def _every_month(rule: Rule, measure_id: int, facts: Facts) -> Evaluation:
    rows = _rows_in_scope(rule, measure_id, facts)
    seen = {(row.date.year, row.date.month) for row in rows}
    # A month counts once it is over; the current month can still be done.
    due = [m for m in facts.period.months() if (m[0], m[1]) < (facts.today.year, facts.today.month)]
    ids = [row.id for row in sorted(rows, key=lambda r: (r.date, r.id))]
    if not due:
        return Evaluation(Status.NOT_YET_DUE, _("No month of the period is over yet."), row_ids=ids)
    missing = [month_label(*m) for m in due if m not in seen]
    covered = len(due) - len(missing)
    values = {"covered": covered, "due": len(due)}
    if missing:
        return Evaluation(
            Status.NOT_MET,
            _("%(covered)s of %(due)s months done; missing: %(months)s.")
            % {**values, "months": ", ".join(missing)},
            covered,
            len(due),
            ids,
            missing,
        )
    return Evaluation(
        Status.MET, _("%(covered)s of %(due)s months done.") % values, covered, len(due), ids
    )


def _all_rows(rule: Rule, measure_id: int, facts: Facts) -> Evaluation:
    rows = _rows_in_scope(rule, measure_id, facts)
    failing = [row for row in rows if any(row.values.get(k) != v for k, v in rule.require.items())]
    ids = [row.id for row in sorted(rows, key=lambda r: (r.date, r.id))]
    values = {"ok": len(rows) - len(failing), "total": len(rows)}
    if failing:
        return Evaluation(
            Status.NOT_MET,
            _("%(ok)s of %(total)s rows satisfy the condition; lacking: %(rows)s.")
            % {**values, "rows": ", ".join(row.label for row in failing[:10])},
            values["ok"],
            len(rows),
            ids,
            [row.label for row in failing],
        )
    if not rows and not _period_over(facts):
        return Evaluation(Status.NOT_YET_DUE, _("Nothing recorded yet."), 0, 0, ids)
    if not rows:
        return Evaluation(
            Status.MET, _("Nothing recorded in the period, so nothing lacks it."), 0, 0, ids
        )
    return Evaluation(
        Status.MET,
        _("All %(total)s rows satisfy the condition.") % values,
        len(rows),
        len(rows),
        ids,
    )


def _coverage(rule: Rule, facts: Facts) -> Evaluation:
    days = rule.days if rule.days is not None else 90
    kinds = set(rule.filters.get("kind", []))
    trainings = [t for t in facts.trainings if not kinds or t.kind in kinds]
    population = [
        s for s in facts.staff if facts.period.start <= s.appointed_on <= facts.period.end
    ]
    covered, missing, pending = [], [], []
    for person in population:
        deadline = person.appointed_on + dt.timedelta(days=days)
        trained = any(
            person.id in t.attendee_ids and person.appointed_on <= t.date <= deadline
            for t in trainings
        )
        if trained:
            covered.append(person)
        elif facts.today <= deadline:
            pending.append(person)
        else:
            missing.append(person)
    values = {"covered": len(covered), "total": len(population), "days": days}
    ids = [p.id for p in population]
    if missing:
        return Evaluation(
            Status.NOT_MET,
            _(
                "%(covered)s of %(total)s new appointees trained within %(days)s days; not "
                "trained: %(names)s."
            )
            % {**values, "names": ", ".join(p.name for p in missing)},
            len(covered),
            len(population),
            ids,
            [p.name for p in missing],
        )
    if pending or (not population and not _period_over(facts)):
        return Evaluation(
            Status.NOT_YET_DUE,
            _("%(covered)s of %(total)s new appointees trained; the others still have time.")
            % values,
            len(covered),
            len(population),
            ids,
            [p.name for p in pending],
        )
    return Evaluation(
        Status.MET,
        _("%(covered)s of %(total)s new appointees trained within %(days)s days.") % values,
        len(covered),
        len(population),
        ids,
    )


def _evidence(rule: Rule, measure_id: int, criterion_id: int, facts: Facts) -> Evaluation:
    items = [
        e
        for e in facts.evidence
        if e.measure_id == measure_id
        and e.criterion_id in (None, criterion_id)
        and facts.period.start <= e.relates_to <= facts.period.end
    ]
    target = rule.n or 1
    values = {"count": len(items), "target": target}
    ids = [e.id for e in items]
    if len(items) >= target:
        return Evaluation(
            Status.MET, _("%(count)s evidence items attached.") % values, len(items), target, ids
        )
    if not _period_over(facts):
        return Evaluation(
            Status.NOT_YET_DUE,
            _("%(count)s evidence items attached so far, %(target)s needed.") % values,
            len(items),
            target,
            ids,
        )
    return Evaluation(
        Status.NOT_MET,
        _("%(count)s evidence items attached, %(target)s needed.") % values,
        len(items),
        target,
        ids,
    )


# -- proposals from the Mongolian text ---------------------------------------------------

_AT_LEAST_RE = re.compile(r"(\d+)\s*-?\s*(?:оос|ээс|өөс|аас|с)\s+доошгүй")
_EVERY_MONTH_RE = re.compile(r"сар\s+бүр")
_EVIDENCE_RE = re.compile(r"нотломж\w*\s+хавсарга")
_COVERAGE_RE = re.compile(r"бүрэн\s+хамруул")
_HOTLINE_RE = re.compile(r"110")

# Words that point at a register, strongest first. Measure and criterion text both count.
_REGISTER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("board-updates", ("самбар",)),
    ("contracts", ("гэрээ",)),
    ("audits", ("аудит",)),
    ("risks", ("эрсдэл",)),
    ("trainings", ("сургалт",)),
    ("events", ("өдөрлөг", "хэлэлцүүлэг", "уулзалт", "нөлөөллийн", "танилцуулах")),
    (
        "publications",
        (
            "сурталчилгаа",
            "материал",
            "шторк",
            "нийтлэл",
            "инфографик",
            "зурагт хуудас",
            "хэвлэл мэдээлэл",
        ),
    ),
    ("document-reviews", ("дүрэм, журам", "тушаал", "шийдвэр")),
    ("oversight", ("зөвлөмж", "олон нийтийн хяналт")),
]

_EVENT_KINDS_BY_WORD = [
    (("хэлэлцүүлэг", "уулзалт"), ["discussion", "meeting"]),
    (("өдөрлөг", "нөлөөллийн", "соён гэгээрүүлэх"), ["awareness_day", "outreach"]),
    (("танилцуулах",), ["briefing"]),
]

_CLAUSES = [
    ("авлигаас ангид", "clause_anti_corruption"),
    ("мэдээлэх үүр", "clause_duty_to_report"),  # үүрэг, үүргийг
    ("хохирл", "clause_damages"),
]

# Registers whose rows serve one measure only count every row of the organization.
_ORGANIZATION_SCOPE = {"board-updates", "contracts", "staff", "risks", "audits"}


def _register_for(criterion: str, context: str) -> str:
    """The register the words speak about most: a word in the criterion weighs three times
    a word in the measure's text; ties go to the earlier register in `_REGISTER_WORDS`."""
    best, best_score = "", 0
    for key, words in _REGISTER_WORDS:
        score = sum(3 * criterion.count(w) + context.count(w) for w in words)
        if score > best_score:
            best, best_score = key, score
    return best


def propose_rule(criterion_text: str, measure_text: str = "") -> Rule:
    """A rule read from the criterion's Mongolian words; `Kind.MANUAL` when none fits."""
    criterion = fold(criterion_text)
    context = fold(measure_text)
    register = _register_for(criterion, context)
    scope = SCOPE_ORGANIZATION if register in _ORGANIZATION_SCOPE else SCOPE_MEASURE

    if _EVIDENCE_RE.search(criterion):
        return Rule(kind=Kind.EVIDENCE, n=1, source=_EVIDENCE_RE.search(criterion)[0])

    if "өргөдөл" in criterion + context and "хэтрүүлэхгүй" in criterion + context:
        return Rule(
            kind=Kind.NO_OVERDUE_PETITIONS, scope=SCOPE_ORGANIZATION, source="хугацаа хэтрүүлэхгүй"
        )

    if "сэтгэл ханамжийн судалгаа" in context and "үр дүн" in criterion:
        return Rule(
            kind=Kind.SURVEY_RESPONSES,
            n=1,
            scope=SCOPE_ORGANIZATION,
            source="сэтгэл ханамжийн судалгаа",
        )

    if _COVERAGE_RE.search(criterion) and ("томилогд" in criterion or "томилогд" in context):
        return Rule(
            kind=Kind.COVERAGE,
            register="staff",
            filters={"kind": ["anti_corruption"]},
            scope=SCOPE_ORGANIZATION,
            days=90,
            source=_COVERAGE_RE.search(criterion)[0],
        )

    if match := _AT_LEAST_RE.search(criterion):
        filters = _filters_for(register, criterion + " " + context)
        return Rule(
            kind=Kind.AT_LEAST,
            register=register or "events",
            n=int(match[1]),
            filters=filters,
            scope=scope,
            source=match[0],
        )

    if match := _EVERY_MONTH_RE.search(criterion):
        if "нотломж" in criterion:  # "monthly evidence attached": evidence, not the board
            return Rule(kind=Kind.EVIDENCE, n=1, source=match[0])
        return Rule(
            kind=Kind.EVERY_MONTH,
            register=register or "board-updates",
            scope=scope,
            source=match[0],
        )

    if register == "contracts":
        for words, clause in _CLAUSES:
            if words in criterion:
                return Rule(
                    kind=Kind.ALL_ROWS,
                    register="contracts",
                    require={clause: True},
                    scope=SCOPE_ORGANIZATION,
                    source=words,
                )

    if _HOTLINE_RE.search(criterion) and register == "publications":
        return Rule(
            kind=Kind.ALL_ROWS,
            register="publications",
            require={"shows_hotline": True},
            filters={"produced_by": ["own"]},
            scope=scope,
            source="110",
        )

    return Rule(kind=Kind.MANUAL)


def _filters_for(register: str, text: str) -> dict[str, list[str]]:
    if register == "events":
        for words, kinds in _EVENT_KINDS_BY_WORD:
            if any(word in text for word in words):
                return {"kind": kinds}
    if register == "publications" and ("өөрсдийн" in text or "боловсруулсан" in text):
        return {"produced_by": ["own"]}
    return {}
