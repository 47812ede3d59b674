"""Criteria that evaluate themselves: rules over registers and evidence, as pure functions.

A `Rule` says what a criterion counts (`kind`) in which register, with which filters. The
evaluation takes plain facts (register rows, evidence, petitions, surveys, the plan's and
its reports' state, of one organization and one period, fetched once by
`criteria.facts.period_facts`) and returns an `Evaluation`: met / not met / not yet due /
nothing to check / judged by people, with the numbers and the rows behind it, named. No
database here: the selector fetches, this module decides, so every rule is tested without
a database.

`propose_rule` reads the Mongolian criterion text (and its measure's text) with the words
the registers declare (`registers.registry`) and proposes a rule: `2-оос доошгүй` → at
least 2, `сар бүр` → every month, `бүх гэрээнд … тусгасан` → every contract has the clause,
`бүрэн хамруулсан` → every new appointee trained, `нотломжийг хавсаргасан` → evidence
attached (every month when it says so), `Тайлагнасан байх` → the report submitted, the
plan published, a survey's results summed up. The coordinator confirms or edits it.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shudarga.core.dates import mn_month_ordinal
from shudarga.core.text import fold
from shudarga.registers.registry import REGISTERS


class Kind:
    AT_LEAST = "at_least"  # at least N rows (of a type) in the period (or in every month)
    EVERY_MONTH = "every_month"  # a row in every month of the period
    ALL_ROWS = "all_rows"  # every row satisfies a condition (and, with N, at least N rows)
    COVERAGE = "coverage"  # every new appointee trained within N days
    EVIDENCE = "evidence"  # at least N evidence items attached (or in every month)
    NO_OVERDUE_PETITIONS = "no_overdue_petitions"  # no petition answered late or overdue
    SURVEY_RESPONSES = "survey_responses"  # at least N satisfaction-survey answers
    SURVEY_RESULTS = "survey_results"  # a survey's results summed up: answers, result, actions
    PLAN_PUBLISHED = "plan_published"  # the plan is published for the public
    REPORT_SUBMITTED = "report_submitted"  # the reports due in the period were submitted
    MANUAL = "manual"  # judged by people

    ALL = (
        AT_LEAST,
        EVERY_MONTH,
        ALL_ROWS,
        COVERAGE,
        EVIDENCE,
        NO_OVERDUE_PETITIONS,
        SURVEY_RESPONSES,
        SURVEY_RESULTS,
        PLAN_PUBLISHED,
        REPORT_SUBMITTED,
        MANUAL,
    )
    # Kinds that count the rows of a register.
    REGISTER = (AT_LEAST, EVERY_MONTH, ALL_ROWS)


class Status:
    MET = "met"
    NOT_MET = "not_met"
    NOT_YET_DUE = "not_yet_due"
    # "Every contract has the clauses" with no contract: neither met nor not met. Like a
    # measure not yet due (ХБ), it is left out of percents, as the official methodology
    # leaves out what does not apply.
    NOTHING_TO_CHECK = "nothing_to_check"
    MANUAL = "manual"

    ALL = (MET, NOT_MET, NOT_YET_DUE, NOTHING_TO_CHECK, MANUAL)


SCOPE_MEASURE = "measure"  # only rows linked to the criterion's measure
SCOPE_ORGANIZATION = "organization"  # every row of the organization

PER_PERIOD = ""  # the count is over the whole period
PER_MONTH = "month"  # the count must be reached in every month of the period that is over


@dataclass(frozen=True)
class Rule:
    kind: str
    register: str = ""
    n: int | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)  # field -> allowed values
    require: dict[str, bool] = field(default_factory=dict)  # condition -> required value
    scope: str = SCOPE_MEASURE
    days: int | None = None  # coverage: trained within this many days of appointment
    source: str = ""  # the words the proposal was read from
    per: str = PER_PERIOD


@dataclass(frozen=True)
class RowFact:
    """One register row as every reader sees it: its date, the measures it serves, its
    fields by name (also as attributes: `row.title`), and how explanations name it."""

    id: int
    date: dt.date
    measure_ids: frozenset[int]
    values: dict[str, Any]
    label: str

    @property
    def pk(self) -> int:
        return self.id

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class EvidenceFact:
    id: int
    measure_id: int
    criterion_id: int | None
    relates_to: dt.date
    label: str = ""
    kind: str = "file"


@dataclass(frozen=True)
class SurveyFact:
    """A satisfaction survey answered in the period, with its summary (if written)."""

    id: int
    title: str
    responses: int  # answers received in the period
    result: str = ""  # what the survey found
    actions: str = ""  # what was done about it


@dataclass(frozen=True)
class ReportFact:
    """A report of the plan: the days it covers, when it is due, when it was submitted."""

    label: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    submitted_on: dt.date | None


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
    """Everything the criteria of one organization's plan may count, for one period:
    built by `criteria.facts.period_facts`, read by the rules, the drafted report text and
    the dashboards alike."""

    period: Period
    today: dt.date
    # Register key -> rows of the period (trainings also after it: coverage looks ahead).
    rows: dict[str, list[RowFact]] = field(default_factory=dict)
    evidence: list[EvidenceFact] = field(default_factory=list)
    petitions_overdue: int = 0
    petitions_received: int | None = None  # None: not counted (then overdue alone decides)
    survey_responses: int = 0
    surveys: list[SurveyFact] = field(default_factory=list)
    plan_published: bool = False
    reports: list[ReportFact] = field(default_factory=list)
    # Measures due every month ("Сар бүр" in the plan's deadline): their counts are checked
    # month by month.
    monthly_measures: frozenset[int] = frozenset()

    def in_period(self, key: str) -> list[RowFact]:
        """Rows of register `key` dated within the period."""
        return [
            row
            for row in self.rows.get(key, [])
            if self.period.start <= row.date <= self.period.end
        ]


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


_NAMED = 5  # rows an explanation names one by one; the rest are counted


def named(labels: list[str]) -> str:
    """`«a»; «b» and 3 more`: the rows an explanation counted."""
    text = "; ".join(f"«{label}»" for label in labels[:_NAMED])
    if len(labels) > _NAMED:
        text += " " + _("and %(count)s more") % {"count": len(labels) - _NAMED}
    return text


def _with_rows(message: str, rows: list[Any]) -> str:
    """The message, then the rows it counted by name."""
    if not rows:
        return message
    return f"{message} " + _("Counted: %(rows)s.") % {"rows": named([r.label for r in rows])}


def _sorted(rows: list[RowFact]) -> list[RowFact]:
    return sorted(rows, key=lambda r: (r.date, r.id))


def _matches(value: Any, allowed: set[str]) -> bool:
    if isinstance(value, list | tuple | set | frozenset):  # several choices: any of them
        return any(str(v) in allowed for v in value)
    return str(value) in allowed


def rows_in_scope(rule: Rule, measure_id: int, facts: Facts) -> list[RowFact]:
    """The rows of the period a register rule counts for a criterion of `measure_id`: its
    own rows (or the organization's, with organization scope), of the allowed types."""
    rows = [
        row
        for row in facts.in_period(rule.register)
        if rule.scope == SCOPE_ORGANIZATION or measure_id in row.measure_ids
    ]
    for name, allowed in rule.filters.items():
        allowed_set = {str(v) for v in allowed}
        rows = [row for row in rows if _matches(row.values.get(name), allowed_set)]
    return _sorted(rows)


def _period_over(facts: Facts) -> bool:
    return facts.today > facts.period.end


def evaluate(rule: Rule, *, measure_id: int, criterion_id: int, facts: Facts) -> Evaluation:
    """Evaluate one criterion's rule on the facts of its organization and period."""
    if facts.today < facts.period.start:
        return Evaluation(Status.NOT_YET_DUE, _("The period has not started."))
    monthly = rule.per == PER_MONTH or measure_id in facts.monthly_measures
    if monthly and rule.kind in (Kind.AT_LEAST, Kind.EVIDENCE):
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
    if rule.kind == Kind.SURVEY_RESULTS:
        return _survey_results(rule, facts)
    if rule.kind == Kind.PLAN_PUBLISHED:
        return _plan_published(facts)
    if rule.kind == Kind.REPORT_SUBMITTED:
        return _reports_submitted(facts)
    return Evaluation(Status.MANUAL, _("Judged by people."))


def _month_by_month(rule: Rule, measure_id: int, criterion_id: int, facts: Facts) -> Evaluation:
    """The count must be reached in each month of the period that is over (the current
    month can still be done): a measure due every month, or a criterion that says so."""
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
                "Due every month: %(covered)s of %(due)s months have at least %(target)s; "
                "missing: %(months)s."
            )
            % {**values, "months": ", ".join(missing)},
            covered,
            len(due),
            ids,
            missing,
        )
    return Evaluation(
        Status.MET,
        _("Due every month: all %(due)s months have at least %(target)s.") % values,
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
    if facts.petitions_received == 0:
        return Evaluation(
            Status.NOTHING_TO_CHECK,
            _("Nothing to check: no petition or complaint was received in the period."),
            0,
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


def _survey_results(rule: Rule, facts: Facts) -> Evaluation:
    """Results computed from a survey: a survey of the period with at least N answers whose
    summary says what it found and what was done about it. One answer is not a result."""
    target = rule.n or 1
    answered = [s for s in facts.surveys if s.responses]
    done = [s for s in answered if s.responses >= target and s.result.strip() and s.actions.strip()]
    ids = [s.id for s in answered]
    if done:
        return Evaluation(
            Status.MET,
            _("The survey results are summed up: %(surveys)s.")
            % {
                "surveys": named(
                    [
                        _("%(title)s, %(count)s answers") % {"title": s.title, "count": s.responses}
                        for s in done
                    ]
                )
            },
            len(done),
            1,
            ids,
        )
    lacking = []
    for survey in answered:
        wants = []
        if survey.responses < target:
            wants.append(_("%(count)s answers of %(target)s") % {"count": survey.responses,
                                                                   "target": target})  # fmt: skip
        if not survey.result.strip():
            wants.append(_("no result written"))
        if not survey.actions.strip():
            wants.append(_("no actions recorded"))
        lacking.append(f"{survey.title} ({', '.join(wants)})")
    if not answered:
        message = _("No satisfaction survey was answered in the period.")
    else:
        message = _("No survey's results are summed up yet: %(surveys)s.") % {
            "surveys": "; ".join(lacking)
        }
    status = Status.NOT_YET_DUE if not _period_over(facts) else Status.NOT_MET
    return Evaluation(status, message, 0, 1, ids, lacking)


def _plan_published(facts: Facts) -> Evaluation:
    if facts.plan_published:
        return Evaluation(Status.MET, _("The plan is published on the public portal."), 1, 1)
    status = Status.NOT_YET_DUE if not _period_over(facts) else Status.NOT_MET
    return Evaluation(status, _("The plan is not published on the public portal."), 0, 1)


def _reports_submitted(facts: Facts) -> Evaluation:
    """Every report of the plan that ends in the period and is due by now was submitted."""
    reports = [r for r in facts.reports if facts.period.start <= r.end <= facts.period.end]
    due = [r for r in reports if r.submitted_on is not None or r.due_date < facts.today]
    late = [r.label for r in due if r.submitted_on is None]
    done = [r.label for r in due if r.submitted_on is not None]
    values = {"done": named(done), "late": named(late)}
    if late:
        return Evaluation(
            Status.NOT_MET,
            _("Not submitted by its due date: %(late)s.") % values,
            len(done),
            len(due),
            missing=late,
        )
    if done and len(due) == len(reports) and _period_over(facts):
        return Evaluation(Status.MET, _("Submitted: %(done)s.") % values, len(done), len(due))
    if done:
        return Evaluation(
            Status.MET, _("Submitted so far: %(done)s.") % values, len(done), len(due)
        )
    return Evaluation(Status.NOT_YET_DUE, _("No report of the period is due yet."), 0, len(reports))


def _at_least(rule: Rule, measure_id: int, facts: Facts) -> Evaluation:
    rows = rows_in_scope(rule, measure_id, facts)
    target = rule.n or 1
    values = {"count": len(rows), "target": target}
    ids = [row.id for row in rows]
    if len(rows) >= target:
        return Evaluation(
            Status.MET,
            _with_rows(_("%(count)s recorded, at least %(target)s needed.") % values, rows),
            len(rows),
            target,
            ids,
        )
    if not _period_over(facts):
        return Evaluation(
            Status.NOT_YET_DUE,
            _with_rows(
                _("%(count)s recorded so far, at least %(target)s needed by the end of the period.")
                % values,
                rows,
            ),
            len(rows),
            target,
            ids,
        )
    return Evaluation(
        Status.NOT_MET,
        _with_rows(_("%(count)s recorded, at least %(target)s needed.") % values, rows),
        len(rows),
        target,
        ids,
    )


def _every_month(rule: Rule, measure_id: int, facts: Facts) -> Evaluation:
    rows = rows_in_scope(rule, measure_id, facts)
    seen = {(row.date.year, row.date.month) for row in rows}
    # A month counts once it is over; the current month can still be done.
    due = [m for m in facts.period.months() if (m[0], m[1]) < (facts.today.year, facts.today.month)]
    ids = [row.id for row in rows]
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


def _satisfies(rule: Rule, row: RowFact) -> bool:
    spec = REGISTERS.get(rule.register)
    for key, wanted in rule.require.items():
        condition = spec.condition(key) if spec else None
        value = condition.test(row.values) if condition else row.values.get(key) is True
        if value != wanted:
            return False
    return True


def _all_rows(rule: Rule, measure_id: int, facts: Facts) -> Evaluation:
    """Every row has what the rule requires. With no row there is nothing to check —
    neither met nor not met — unless the rule also asks for at least N rows."""
    rows = rows_in_scope(rule, measure_id, facts)
    failing = [row for row in rows if not _satisfies(rule, row)]
    ids = [row.id for row in rows]
    values = {"ok": len(rows) - len(failing), "total": len(rows), "target": rule.n or 0}
    if failing:
        return Evaluation(
            Status.NOT_MET,
            _("%(ok)s of %(total)s rows satisfy the condition; lacking: %(rows)s.")
            % {**values, "rows": named([row.label for row in failing])},
            values["ok"],
            len(rows),
            ids,
            [row.label for row in failing],
        )
    if rule.n and len(rows) < rule.n:
        status = Status.NOT_YET_DUE if not _period_over(facts) else Status.NOT_MET
        return Evaluation(
            status,
            _with_rows(_("%(total)s recorded, at least %(target)s needed.") % values, rows),
            len(rows),
            rule.n,
            ids,
        )
    if not rows:
        return Evaluation(
            Status.NOTHING_TO_CHECK,
            _("Nothing to check: nothing of the kind was recorded in the period."),
            0,
            0,
            ids,
        )
    return Evaluation(
        Status.MET,
        _with_rows(_("All %(total)s rows satisfy the condition.") % values, rows),
        len(rows),
        len(rows),
        ids,
    )


@dataclass
class Coverage:
    """New appointees of a period and the training that should reach each in `days`."""

    days: int
    population: list[RowFact] = field(default_factory=list)  # counted: appointed, stayed
    covered: list[RowFact] = field(default_factory=list)
    missing: list[RowFact] = field(default_factory=list)  # deadline passed, not trained
    pending: list[RowFact] = field(default_factory=list)  # not trained, still has time
    left: list[RowFact] = field(default_factory=list)  # left before the deadline: not counted


def coverage(facts: Facts, *, days: int = 90, kinds: Iterable[str] = ()) -> Coverage:
    """Who of the period's new appointees was trained (a training of `kinds`) within `days`
    of appointment. Someone who left before their deadline without being trained is not
    counted at all: the organization could not train them. The criteria and the report's
    text both read this, so they name the same people."""
    kinds = set(kinds)
    trainings = [
        t for t in facts.rows.get("trainings", []) if not kinds or t.values.get("kind") in kinds
    ]
    result = Coverage(days=days)
    for person in _sorted(facts.in_period("staff")):
        appointed = person.date  # the staff register's date is the appointment
        deadline = appointed + dt.timedelta(days=days)
        gone = person.values.get("left_on")
        last_day = min(deadline, gone) if gone else deadline
        trained = any(
            person.id in t.values.get("attendees", ()) and appointed <= t.date <= last_day
            for t in trainings
        )
        if trained:
            result.covered.append(person)
        elif gone is not None and gone <= deadline:
            result.left.append(person)
            continue
        elif facts.today <= deadline:
            result.pending.append(person)
        else:
            result.missing.append(person)
        result.population.append(person)
    return result


def _name(person: RowFact) -> str:
    return str(person.values.get("name") or person.label)


def _coverage(rule: Rule, facts: Facts) -> Evaluation:
    found = coverage(facts, days=rule.days or 90, kinds=rule.filters.get("kind", []))
    values = {
        "covered": len(found.covered),
        "total": len(found.population),
        "days": found.days,
        "names": ", ".join(_name(p) for p in found.missing),
        "left": ", ".join(_name(p) for p in found.left),
    }
    ids = [p.id for p in found.population]
    left = (
        " " + _("Not counted, left before their deadline: %(left)s.") % values if found.left else ""
    )
    if found.missing:
        return Evaluation(
            Status.NOT_MET,
            _(
                "%(covered)s of %(total)s new appointees trained within %(days)s days; not "
                "trained: %(names)s."
            )
            % values
            + left,
            len(found.covered),
            len(found.population),
            ids,
            [_name(p) for p in found.missing],
        )
    if found.pending or (not found.population and not _period_over(facts)):
        return Evaluation(
            Status.NOT_YET_DUE,
            _("%(covered)s of %(total)s new appointees trained; the others still have time.")
            % values
            + left,
            len(found.covered),
            len(found.population),
            ids,
            [_name(p) for p in found.pending],
        )
    if not found.population:
        return Evaluation(
            Status.NOTHING_TO_CHECK,
            _("Nothing to check: nobody new was appointed in the period.") + left,
            0,
            0,
            ids,
        )
    return Evaluation(
        Status.MET,
        _("%(covered)s of %(total)s new appointees trained within %(days)s days.") % values + left,
        len(found.covered),
        len(found.population),
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
            Status.MET,
            _with_rows(_("%(count)s evidence items attached.") % values, items),
            len(items),
            target,
            ids,
        )
    if not _period_over(facts):
        return Evaluation(
            Status.NOT_YET_DUE,
            _with_rows(
                _("%(count)s evidence items attached so far, %(target)s needed.") % values, items
            ),
            len(items),
            target,
            ids,
        )
    return Evaluation(
        Status.NOT_MET,
        _with_rows(_("%(count)s evidence items attached, %(target)s needed.") % values, items),
        len(items),
        target,
        ids,
    )


# -- proposals from the Mongolian text ---------------------------------------------------

_AT_LEAST_RE = re.compile(r"(\d+)\s*-?\s*(?:оос|ээс|өөс|аас|с)\s+доошгүй")
_EVERY_MONTH_RE = re.compile(r"сар\s+бүр")
_EVIDENCE_RE = re.compile(r"нотломж\w*\s+хавсарга")
_COVERAGE_RE = re.compile(r"бүрэн\s+хамруул")
# "Тайлагнасан байх." and nothing else: the plan's report itself.
_REPORTED_RE = re.compile(r"^\W*тайлагна(?:сан|х)\s+байх\W*$")
_PUBLISHED_RE = re.compile(r"олон\s+нийт(?:эд)?\s+(?:танилцах|ил\s+тод)")


def _register_for(criterion: str, context: str) -> str:
    """The register the words speak about most: a word in the criterion weighs three times
    a word in the measure's text; ties go to the register with the lower `word_rank`."""
    best, best_score = "", 0
    for spec in sorted(REGISTERS.values(), key=lambda s: s.word_rank):
        score = sum(3 * criterion.count(w) + context.count(w) for w in spec.words)
        if score > best_score:
            best, best_score = spec.key, score
    return best


def _filters_for(register: str, criterion: str, context: str) -> dict[str, list[str]]:
    """The register's word filters that the criterion (first) or its measure names: for
    each field, the first filter whose words appear."""
    spec = REGISTERS.get(register)
    if spec is None:
        return {}
    filters: dict[str, list[str]] = {}
    for text in (criterion, context):
        for word_filter in spec.word_filters:
            if word_filter.field in filters:
                continue
            if any(word in text for word in word_filter.words):
                filters[word_filter.field] = list(word_filter.values)
    return filters


@functools.lru_cache(maxsize=4096)
def propose_rule(criterion_text: str, measure_text: str = "") -> Rule:
    """A rule read from the criterion's Mongolian words; `Kind.MANUAL` when none fits.

    The words are the registers' own (`registers.registry`): which register a criterion
    speaks of, which of its types, what every row must have, what shows it was done.
    Proposals are the same for the same text, so they are cached (a parent body's view
    reads thousands of criteria, most of them the same few texts).
    """
    criterion = fold(criterion_text)
    context = fold(measure_text)
    register = _register_for(criterion, context)
    spec = REGISTERS.get(register)
    scope = SCOPE_ORGANIZATION if spec and spec.organization_wide else SCOPE_MEASURE

    if match := _EVIDENCE_RE.search(criterion):
        per = PER_MONTH if _EVERY_MONTH_RE.search(criterion) else PER_PERIOD
        return Rule(kind=Kind.EVIDENCE, n=1, source=match[0], per=per)

    if "өргөдөл" in criterion + context and "хэтрүүлэхгүй" in criterion + context:
        return Rule(
            kind=Kind.NO_OVERDUE_PETITIONS, scope=SCOPE_ORGANIZATION, source="хугацаа хэтрүүлэхгүй"
        )

    if "сэтгэл ханамжийн судалгаа" in context and "үр дүн" in criterion:
        return Rule(
            kind=Kind.SURVEY_RESULTS,
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

    if "төлөвлөгөө" in criterion and (match := _PUBLISHED_RE.search(criterion)):
        return Rule(kind=Kind.PLAN_PUBLISHED, scope=SCOPE_ORGANIZATION, source=match[0])

    if match := _REPORTED_RE.search(criterion):
        return Rule(kind=Kind.REPORT_SUBMITTED, scope=SCOPE_ORGANIZATION, source=match[0].strip())

    if match := _AT_LEAST_RE.search(criterion):
        return Rule(
            kind=Kind.AT_LEAST,
            register=register or "events",
            n=int(match[1]),
            filters=_filters_for(register or "events", criterion, context),
            scope=scope,
            source=match[0],
        )

    if match := _EVERY_MONTH_RE.search(criterion):
        return Rule(
            kind=Kind.EVERY_MONTH,
            register=register or "board-updates",
            scope=scope,
            source=match[0],
        )

    if spec is None:
        return Rule(kind=Kind.MANUAL)

    done = next((w for w in spec.done_words if w in criterion), "")
    for condition in spec.conditions:
        word = next((w for w in condition.words if w in criterion), "")
        if word:
            return Rule(
                kind=Kind.ALL_ROWS,
                register=register,
                n=1 if done else None,
                filters=_filters_for(register, criterion, context),
                require={condition.key: True},
                scope=scope,
                source=word,
            )
    if done:
        return Rule(
            kind=Kind.AT_LEAST,
            register=register,
            n=1,
            filters=_filters_for(register, criterion, context),
            scope=scope,
            source=done,
        )
    return Rule(kind=Kind.MANUAL)
