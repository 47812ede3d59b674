"""More organizations under the demo parent body, so its view has something to compare.

Each child gets the seed plan and a different story, all through the services:
a full year of records with scored reports, the half-year one also evaluated and approved by
the parent body; half a year of board updates with the half-year report scored (the parent
body's evaluation under way) and the year report a draft; nothing recorded with draft reports; no
reports at all. Safe to run again: organizations that exist are left alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from shudarga.criteria.services import plan_confirm_proposed_rules
from shudarga.demo.records import BOARD_TOPICS, load_year_of_records
from shudarga.demo.reports import score_demo_reports
from shudarga.organizations.models import Organization
from shudarga.organizations.services import organization_create
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Measure, Plan
from shudarga.plans.services import (
    measure_assign,
    plan_change_status,
    plan_create_from_document,
)
from shudarga.registers.models import BoardUpdate
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_save
from shudarga.reports.evaluation import parent_evaluation_approve, report_item_parent_score
from shudarga.reports.models import Report
from shudarga.reports.services import report_create_defaults, report_item_score, report_submit

SEED = Path(__file__).resolve().parents[1] / "plans/fixtures/seed_plan_2023.txt"
NAMES = [
    "Нийслэлийн Боловсролын газар",
    "Нийслэлийн Эрүүл мэндийн газар",
    "Нийслэлийн Орон сууцны газар",
    "Нийслэлийн Тээврийн газар",
    "Нийслэлийн Татварын газар",
    "Нийслэлийн Өмчийн харилцааны газар",
]
RECURRENCES = {"1.3": "monthly", "5.1": "q1_h1_year", "1.1": "quarterly"}


def _board_updates(organization: Organization, plan: Plan, months: int) -> None:
    measure = Measure.objects.get(plan=plan, code="1.3")
    for month in range(1, months + 1):
        register_row_save(
            spec=REGISTERS["board-updates"],
            organization=organization,
            row=BoardUpdate(
                date=dt.date(plan.year, month, 10), content=BOARD_TOPICS[month % len(BOARD_TOPICS)]
            ),
            measures=[measure],
            actor=None,
        )


def _parent_evaluates(plan: Plan, *, lower: set[str], approve: bool) -> None:
    """The parent body scores the plan's half-year report once it was submitted (issue 18):
    the organization's own score, or 30 for the measures in `lower`; with `approve`, it
    approves (and seals) its evaluation."""
    report = Report.objects.filter(plan=plan, period="h1").exclude(status="draft").first()
    if report is None:
        return
    for item in report.items.select_related("measure").filter(due=True):
        score = 30 if item.measure.code in lower else (item.score if item.score is not None else 70)
        report_item_parent_score(report=report, measure=item.measure, actor=None, score=score)
    if approve:
        parent_evaluation_approve(report=report, actor=None)


def _score_h1(plan: Plan, score: int) -> None:
    report = Report.objects.get(plan=plan, period="h1")
    report_submit(report=report, actor=None)
    for item in report.items.select_related("measure").filter(due=True):
        report_item_score(report=report, measure=item.measure, actor=None, score=score)


@transaction.atomic
def load_demo_children(
    *,
    parent: Organization,
    count: int = 4,
    actor: Any = None,
    year: int = 2023,
    today: dt.date | None = None,
) -> list:
    """Create `count` organizations under `parent` (codes `<parent>-C1`, …), each with the
    seed plan moved to `year` and one of four stories by its index, told up to `today` (a
    year in progress: nothing later is recorded, no report of a running period is scored).
    Returns the organizations."""
    document_bytes = SEED.read_bytes()
    until = today if today is not None and today.year == year else None
    months = until.month - 1 if until is not None else 12  # whole months done
    result = []
    for index in range(count):
        code = f"{parent.code}-C{index + 1}"
        existing = Organization.objects.filter(code=code).first()
        if existing is not None:
            result.append(existing)
            continue
        name = NAMES[index % len(NAMES)] + (f" {index // len(NAMES) + 1}" if index >= 6 else "")
        org = organization_create(name=name, code=code, parent=parent)
        result.append(org)
        document = read_plan_document(document_bytes, SEED.name)
        document = dataclasses.replace(
            document, year=year, title=document.title.replace(str(document.year), str(year))
        )
        plan = plan_create_from_document(
            organization=org,
            document=document,
            actor=actor,
            source_name=SEED.name,
        )
        for measure in plan.measures.all():
            measure_assign(
                measure=measure,
                actor=actor,
                responsible_unit="Захиргааны хэлтэс",
                responsible_person=None,
                due_date=None,
                recurrence=RECURRENCES.get(measure.code, measure.recurrence),
            )
        plan_confirm_proposed_rules(plan=plan, actor=actor)
        if until is not None:  # a year in progress runs on an approved plan
            plan_change_status(plan=plan, transition="approve", actor=actor)
        story = index % 4
        h1_over = until is None or until > dt.date(year, 6, 30)
        if story == 0:  # a full year, both reports scored (those whose period is over)
            load_year_of_records(organization=org, plan=plan, actor=actor, until=until)
            report_create_defaults(plan=plan, actor=actor)
            score_demo_reports(plan=plan, reviewer=actor, leader=actor, until=until)
            _parent_evaluates(plan, lower={"1.2", "4.3"}, approve=True)
        elif story == 1:  # half a year of board updates, the half-year report scored
            _board_updates(org, plan, months=min(6, months))
            report_create_defaults(plan=plan, actor=actor)
            if h1_over:
                _score_h1(plan, score=70)
                _parent_evaluates(plan, lower={"1.2", "3.1"}, approve=False)
        elif story == 2:  # a few board updates, reports drafted, never submitted
            _board_updates(org, plan, months=min(2, months))
            report_create_defaults(plan=plan, actor=actor)
        # story 3: the plan only — nothing recorded, no report
    return result
