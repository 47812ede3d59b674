"""`shudarga load_demo_data`: a demo organization, an admin, and the seed plan — once."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from shudarga.criteria.services import plan_confirm_proposed_rules
from shudarga.dashboards.services import plan_rollover
from shudarga.demo.children import load_demo_children
from shudarga.demo.evidence import load_demo_evidence
from shudarga.demo.petitions import load_demo_petitions
from shudarga.demo.records import load_year_of_records
from shudarga.demo.reports import score_demo_reports
from shudarga.notifications.models import Notification
from shudarga.organizations.models import Organization
from shudarga.organizations.roles import Role
from shudarga.organizations.services import membership_grant, organization_create
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Plan
from shudarga.plans.services import (
    measure_assign,
    plan_change_status,
    plan_create_from_document,
)
from shudarga.reports.models import Report
from shudarga.reports.services import report_create, report_create_defaults, report_submit

SEED = Path(__file__).resolve().parents[3] / "plans" / "fixtures" / "seed_plan_2023.txt"

PARENT = ("UB-CITY", "Улаанбаатар хотын Захирагчийн ажлын алба")
DEMO = ("UB-AGENCY", "Нийслэлийн демо газар")
SIBLING = ("UB-SIBLING", "Нийслэлийн харьяа хоёр дахь газар")


class Command(BaseCommand):
    help = (
        "Load demo data for a first look: a parent body with organizations under it, the 2023 "
        "seed plan as it was, the same plan rolled into the current year with its work up to "
        "today (records, evidence, petitions, a report waiting for review), and users for each "
        "role. Safe to run again: existing data is left as it is. The admin password comes "
        "from SHUDARGA_ADMIN_PASSWORD, else one is generated and kept in the data directory."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The address the server will answer at, printed for signing in.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        today = timezone.localdate()
        with transaction.atomic():
            parent = self._org(*PARENT, parent=None)
            demo = self._org(*DEMO, parent=parent)
            self._org(*SIBLING, parent=parent)
            load_demo_children(parent=parent, count=4, year=today.year, today=today)
            password = self._admin_password()
            users = {
                "admin": [(demo, Role.COORDINATOR), (parent, Role.AUDITOR)],
                "officer": [(demo, Role.OFFICER)],
                "reviewer": [(demo, Role.REVIEWER)],
                "leader": [(demo, Role.LEADER)],
                "auditor": [(parent, Role.AUDITOR)],
                # The parent body's own people: its reviewer scores the agencies' reports for
                # it, its leader approves that evaluation and the ranking (issue 18).
                "parent-reviewer": [(parent, Role.REVIEWER)],
                "parent-leader": [(parent, Role.LEADER)],
            }
            for username, grants in users.items():
                user = self._user(username, password, superuser=username == "admin")
                for org, role in grants:
                    membership_grant(user=user, organization=org, role=role)
            if not Plan.objects.filter(organization=demo, year=2023).exists():
                document = read_plan_document(SEED.read_bytes(), SEED.name)
                plan = plan_create_from_document(
                    organization=demo, document=document, actor=None, source_name=SEED.name
                )
                self.stdout.write(f"Imported the seed plan as plan {plan.pk}.")
                self._assign(plan, officer=User.objects.get(username="officer"))
                counts = load_year_of_records(organization=demo, plan=plan)
                self.stdout.write(
                    "Recorded a year of work: "
                    + ", ".join(f"{count} {key}" for key, count in counts.items())
                    + "."
                )
                evidence = load_demo_evidence(organization=demo, plan=plan)
                self.stdout.write(f"Attached {evidence} evidence files.")
                petitions = load_demo_petitions(
                    organization=demo,
                    officer=User.objects.get(username="officer"),
                    today=timezone.localdate(),
                )
                self.stdout.write(
                    "Registered petitions: "
                    + ", ".join(f"{count} {what}" for what, count in petitions.items())
                    + "."
                )
                confirmed = plan_confirm_proposed_rules(plan=plan, actor=None)
                self.stdout.write(f"Confirmed {confirmed} criteria rules.")
                reports = report_create_defaults(plan=plan, actor=None)
                self.stdout.write(f"Drafted {len(reports)} reports (half-year and year).")
                score_demo_reports(
                    plan=plan,
                    reviewer=User.objects.get(username="reviewer"),
                    leader=User.objects.get(username="leader"),
                )
                self.stdout.write("Scored both; approved the half-year report.")
                for transition in ("approve", "publish"):  # so the public portal shows it
                    plan_change_status(plan=plan, transition=transition, actor=None)
            seed_plan = Plan.objects.filter(organization=demo, year=2023).order_by("id").first()
            if (
                seed_plan is not None
                and today.year > seed_plan.year
                and not Plan.objects.filter(organization=demo, year=today.year).exists()
            ):
                self._year_in_progress(demo, seed_plan, today)
        self.stdout.write(
            f"Sign in at {options['url']} as admin (or officer, reviewer, leader, "
            f"auditor, parent-reviewer, parent-leader) with the password: {password}"
        )

    def _year_in_progress(self, demo: Organization, seed_plan: Plan, today: dt.date) -> None:
        """The seed plan rolled into `today`'s year, approved and published, with the work
        of the year up to today, so every page shows a year in progress."""
        User = get_user_model()
        officer = User.objects.get(username="officer")
        reviewer = User.objects.get(username="reviewer")
        leader = User.objects.get(username="leader")
        plan = plan_rollover(plan=seed_plan, year=today.year, actor=None, today=today)
        for transition in ("approve", "publish"):
            plan_change_status(plan=plan, transition=transition, actor=None)
        self.stdout.write(f"Rolled the seed plan into {today.year} as plan {plan.pk}.")
        counts = load_year_of_records(organization=demo, plan=plan, until=today)
        evidence = load_demo_evidence(organization=demo, plan=plan, until=today)
        self.stdout.write(
            f"Recorded {today.year} up to {today:%Y-%m-%d}: "
            + ", ".join(f"{count} {key}" for key, count in counts.items())
            + f"; {evidence} evidence files."
        )
        report_create_defaults(plan=plan, actor=None)
        if today > dt.date(today.year, 7, 10):  # the half-year report is done and approved
            score_demo_reports(
                plan=plan, reviewer=reviewer, leader=leader, until=dt.date(today.year, 7, 1)
            )
        # What the demo users were told while the history above was made is old news.
        Notification.objects.filter(read_at__isnull=True).update(read_at=timezone.now())
        period = next(
            (
                name
                for name, start in (("9m", (10, 1)), ("h1", (7, 1)), ("q1", (4, 1)))
                if today >= dt.date(today.year, *start)
            ),
            None,
        )
        report = Report.objects.filter(plan=plan, period=period).first() if period else None
        if period and report is None:
            report = report_create(plan=plan, period=period, actor=officer)
        if report is not None and report.status == Report.Status.DRAFT:
            report_submit(report=report, actor=officer)
            self.stdout.write(f"The officer submitted the {period} report; it waits for review.")

    def _assign(self, plan: Plan, officer: Any) -> None:
        recurrences = {"1.3": "monthly", "5.1": "q1_h1_year", "1.1": "quarterly"}
        for measure in plan.measures.all():
            measure_assign(
                measure=measure,
                actor=None,
                responsible_unit="Хүний нөөц, ёс зүйн алба",
                responsible_person=officer if measure.code < "3" else None,
                due_date=None,
                recurrence=recurrences.get(measure.code, measure.recurrence),
            )

    def _org(self, code: str, name: str, parent: Organization | None) -> Organization:
        org = Organization.objects.filter(code=code).first()
        if org is None:
            org = organization_create(name=name, code=code, parent=parent)
            self.stdout.write(f"Created organization {code}.")
        return org

    def _admin_password(self) -> str:
        if password := os.environ.get("SHUDARGA_ADMIN_PASSWORD"):
            return password
        path = settings.DATA_DIR / "demo-password.txt"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password + "\n", encoding="utf-8")
        path.chmod(0o600)
        return password

    def _user(self, username: str, password: str, *, superuser: bool) -> Any:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=superuser, is_superuser=superuser)
            user.set_password(password)
            user.save()
            self.stdout.write(f"Created user {username}.")
        return user
