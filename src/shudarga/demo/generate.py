"""National-scale data for the benchmark: `shudarga generate_data --orgs 3000`.

Every organization gets the seed plan's structure, stretched to `measures` measures (the
seed's 19, then variants of them for other audiences), with criteria rules proposed from
the words as the importer does, for each year; its half-year and year reports with
drafted texts and scores where the period is over; register rows, evidence and petitions
spread over the years, more for big organizations than for small ones (log-normal sizes).

Rows go in with `COPY` on PostgreSQL (`bulk.BulkWriter`), ids handed out here, so three
thousand organizations, two million register rows, half a million petitions and five
million evidence records take minutes, not hours. The services are bypassed on purpose:
no audit entry per generated row (one entry records the run), no history. Organizations
are coded `GEN-...`; running again with the data present is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

from shudarga.core.services import audit_record
from shudarga.core.text import mn_sort_key, search_key
from shudarga.criteria.models import CriterionRule
from shudarga.criteria.rules import propose_rule
from shudarga.demo.bulk import BulkWriter, IdRange
from shudarga.demo.evidence import _pdf, _png
from shudarga.demo.records import BOARD_TOPICS, NAMES, UNITS
from shudarga.evidence.models import Evidence
from shudarga.organizations.models import Membership, Organization
from shudarga.organizations.roles import Role
from shudarga.petitions.deadlines import rule_in_force
from shudarga.petitions.models import Petition, PetitionCounter
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Criterion, Goal, Measure, Plan, Signature
from shudarga.registers.fields import is_choice_list
from shudarga.registers.registry import REGISTERS
from shudarga.reports.models import Report, ReportItem
from shudarga.reports.periods import default_due_date, measure_is_due

SEED = Path(__file__).resolve().parents[1] / "plans/fixtures/seed_plan_2023.txt"
CODE_PREFIX = "GEN-"

PARENT_BODIES = [
    "Архангай аймаг", "Баян-Өлгий аймаг", "Баянхонгор аймаг", "Булган аймаг",
    "Говь-Алтай аймаг", "Говьсүмбэр аймаг", "Дархан-Уул аймаг", "Дорноговь аймаг",
    "Дорнод аймаг", "Дундговь аймаг", "Завхан аймаг", "Орхон аймаг", "Өвөрхангай аймаг",
    "Өмнөговь аймаг", "Сүхбаатар аймаг", "Сэлэнгэ аймаг", "Төв аймаг", "Увс аймаг",
    "Ховд аймаг", "Хөвсгөл аймаг", "Хэнтий аймаг", "Багануур дүүрэг", "Багахангай дүүрэг",
    "Баянгол дүүрэг", "Баянзүрх дүүрэг", "Налайх дүүрэг", "Сонгинохайрхан дүүрэг",
    "Сүхбаатар дүүрэг", "Хан-Уул дүүрэг", "Чингэлтэй дүүрэг", "Сангийн яам",
    "Боловсролын яам", "Эрүүл мэндийн яам", "Хууль зүй, дотоод хэргийн яам",
    "Зам, тээврийн хөгжлийн яам", "Эрчим хүчний яам", "Байгаль орчин, аялал жуулчлалын яам",
    "Хүнс, хөдөө аж ахуй, хөнгөн үйлдвэрийн яам", "Гадаад харилцааны яам",
    "Хөдөлмөр, нийгмийн хамгааллын яам", "Барилга, хот байгуулалтын яам",
    "Цифр хөгжил, харилцаа холбооны яам", "Соёл, спорт, аялал жуулчлал, залуучуудын яам",
    "Уул уурхай, хүнд үйлдвэрийн яам", "Гэр бүл, хөдөлмөр, нийгмийн хамгааллын яам",
    "Засгийн газрын Хэрэгжүүлэгч агентлагуудын нэгдэл", "Улсын Их Хурлын Тамгын газар",
    "Шүүхийн ерөнхий зөвлөл", "Улсын ерөнхий прокурорын газар", "Үндэсний статистикийн хороо",
]  # fmt: skip
UNIT_KINDS = [
    "Засаг даргын Тамгын газар", "Боловсрол, шинжлэх ухааны газар", "Эрүүл мэндийн газар",
    "Татварын хэлтэс", "Статистикийн хэлтэс", "Нийгмийн даатгалын хэлтэс",
    "Мэргэжлийн хяналтын газар", "Газрын харилцааны хэлтэс", "Хөдөлмөр, халамжийн хэлтэс",
    "Ерөнхий боловсролын сургууль", "Нэгдсэн эмнэлэг", "Өрхийн эрүүл мэндийн төв",
    "Цагдаагийн хэлтэс", "Онцгой байдлын хэлтэс", "Шүүхийн шийдвэр гүйцэтгэх хэлтэс",
    "Улсын бүртгэлийн хэлтэс", "Санхүүгийн хяналт, аудитын алба", "Худалдан авах ажиллагааны алба",
    "Соёлын төв", "Спортын хороо", "Ойн анги", "Байгаль орчны алба", "Хүүхдийн цэцэрлэг",
    "Малын эмнэлгийн алба", "Сумын Засаг даргын Тамгын газар",
]  # fmt: skip
AUDIENCES = [
    "харьяа байгууллагуудад",
    "орон нутгийн салбар нэгжүүдэд",
    "шинээр томилогдсон албан хаагчдад",
    "иргэд, олон нийтэд",
    "удирдах албан тушаалтнуудад",
    "хэлтэс, албадад",
    "төрийн үйлчилгээний ажилтнуудад",
]
RECURRENCES = {"1.3": "monthly", "5.1": "q1_h1_year", "1.1": "quarterly", "2.1": "half_yearly"}
SUBJECTS = [
    "Газар олголтын шийдвэрийн талаар",
    "Төрийн үйлчилгээний чирэгдлийн талаар",
    "Албан хаагчийн ёс зүйн зөрчлийн талаар",
    "Худалдан авах ажиллагааны шалгаруулалтын талаар",
    "Тэтгэмж олгох хугацаа хэтэрсэн тухай",
    "Зөвшөөрөл олгоход хээл хахууль шаардсан тухай",
    "Мэдээлэл авах хүсэлт",
    "Үйлчилгээг сайжруулах санал",
    "Ажлын байрны сонгон шалгаруулалтын талаар",
    "Орон сууцны хорооллын тохижилтын талаар",
]
CATEGORIES = ["Төрийн үйлчилгээ", "Ёс зүй", "Худалдан авалт", "Газар", "Нийгмийн халамж", ""]
TITLES = {
    "publications": [
        "Авлигын эсрэг хуулийн шинэчлэлийн тухай нийтлэл",
        "Ашиг сонирхлын зөрчлөөс сэргийлэх зөвлөмж",
        "110 утсаар авлигыг мэдээлэх тухай зурагт хуудас",
        "Шударга ёсны өдөрлөгийн мэдээ",
    ],
    "events": [
        "“Шударга ёс” өдөрлөг",
        "Иргэдтэй хийсэн нээлттэй уулзалт",
        "Ил тод байдлын хэлэлцүүлэг",
        "Авлигын эсрэг уралдаан",
    ],
    "trainings": [
        "Авлигын эсрэг хууль тогтоомжийн сургалт",
        "Ашиг сонирхлын зөрчлийн сургалт",
        "Хөрөнгө орлогын мэдүүлгийн сургалт",
        "Ёс зүйн дүрмийн сургалт",
    ],
    "risks": [
        "Худалдан авах ажиллагаа",
        "Тусгай зөвшөөрөл олгох",
        "Хүний нөөцийн сонгон шалгаруулалт",
        "Төсвийн зарцуулалт",
    ],
    "document-reviews": [
        "Дотоод журмын төсөл",
        "Даргын тушаалын төсөл",
        "Гэрээний загвар",
        "Үйлчилгээний стандарт",
    ],
}
EVIDENCE_TITLES = [
    "Өдөрлөгийн зураг",
    "Сургалтын ирцийн бүртгэл",
    "Гэрээний хуулбар",
    "Хурлын тэмдэглэл",
    "Мэдээллийн самбарын зураг",
    "Тушаалын хуулбар",
    "Нийтлэлийн хуудасны зураг",
    "Эрсдэлийн үнэлгээний тайлан",
]
SCORES = [100] * 6 + [70] * 3 + [30] + [0]
DONE_TEXT = "ажлын хүрээнд төлөвлөсөн арга хэмжээг хэрэгжүүлж, нотлох баримтыг хавсаргав."
REGISTER_WEIGHTS = {
    "publications": 5,
    "events": 2,
    "staff": 3,
    "trainings": 2,
    "contracts": 3,
    "board-updates": 4,
    "risks": 1,
    "document-reviews": 1,
    "audits": 0.3,
    "oversight": 1,
}


@dataclass
class Scale:
    """How much to generate. Register rows, petitions and evidence are totals."""

    orgs: int = 3000
    years: tuple[int, ...] = (2025, 2026)
    measures: int = 60
    register_rows: int = 2_000_000
    petitions: int = 500_000
    evidence: int = 5_000_000
    seed: int = 1
    prefix: str = CODE_PREFIX  # of the organization codes
    today: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def national(cls, orgs: int, **changes: Any) -> Scale:
        """The national proportions (per organization) for `orgs` organizations."""
        per_org = {"register_rows": 667, "petitions": 167, "evidence": 1667}
        values = {key: per * orgs for key, per in per_org.items()}
        values.update({k: v for k, v in changes.items() if v is not None})
        return cls(orgs=orgs, **values)


@dataclass
class _TemplateMeasure:
    goal: int
    code: str
    text: str
    recurrence: str
    criteria: list[tuple[str, Any]]  # (text, proposed Rule)


@dataclass
class _Template:
    title: str
    goals: list[tuple[int, str]]
    measures: list[_TemplateMeasure]
    signatures: list[tuple[str, str, str]]
    # register key -> template measure indexes whose rules count that register's rows
    measures_of_register: dict[str, list[int]]


def build_template(measure_count: int) -> _Template:
    """The seed plan stretched to `measure_count` measures spread over its goals."""
    document = read_plan_document(SEED.read_bytes(), SEED.name)
    goals = document.goals
    per_goal = [measure_count // len(goals)] * len(goals)
    for i in range(measure_count % len(goals)):
        per_goal[i] += 1
    measures: list[_TemplateMeasure] = []
    for goal, count in zip(goals, per_goal, strict=True):
        for i in range(count):
            seed_measure = goal.measures[i % len(goal.measures)]
            text = seed_measure.text
            if i >= len(goal.measures):
                audience = AUDIENCES[(i - len(goal.measures)) % len(AUDIENCES)]
                text = f"{text.rstrip('. ')} ({audience})"
            criteria = [(c, propose_rule(c, text)) for c in seed_measure.criteria]
            measures.append(
                _TemplateMeasure(
                    goal=goal.number,
                    code=f"{goal.number}.{i + 1}",
                    text=text,
                    recurrence=RECURRENCES.get(seed_measure.code, "continuous"),
                    criteria=criteria,
                )
            )
    by_register: dict[str, list[int]] = {}
    for index, measure in enumerate(measures):
        for _text, rule in measure.criteria:
            if rule.register:
                by_register.setdefault(rule.register, []).append(index)
    return _Template(
        title=document.title,
        goals=[(g.number, g.text) for g in goals],
        measures=measures,
        signatures=[(s.label, s.title, s.name) for s in document.signatures],
        measures_of_register={k: sorted(set(v)) for k, v in by_register.items()},
    )


@dataclass
class _Org:
    id: int
    code: str
    name: str
    weight: float
    coordinator: int
    officer: int
    reviewer: int


@dataclass
class _Plan:
    id: int
    org: _Org
    year: int
    measures: list[int]  # template indexes included
    measure_ids: dict[int, int]  # template index -> Measure id
    criteria_ids: dict[int, list[int]]  # template index -> Criterion ids


@functools.cache
def _pool_file(index: int, title: str) -> tuple[bytes, str, str]:
    """Content, type and extension of pooled evidence file `index` (made once)."""
    if index % 2:
        organization = Organization(name="Жишээ байгууллага")
        return _pdf(title, organization, dt.date(2025, 3, 1)), "application/pdf", ".pdf"
    return _png(title), "image/png", ".png"


def _shares(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """`total` split in proportion to `weights`, rounding so the sum is exact."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in raw]
    short = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:short]:
        counts[i] += 1
    return counts


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class Generator:
    def __init__(
        self,
        scale: Scale,
        *,
        check_keys: bool = True,
        progress: Callable[[str], None] = lambda _m: None,
    ):
        self.scale = scale
        self.progress = progress
        self.check_keys = check_keys
        self.rng = random.Random(scale.seed)
        self.template = build_template(scale.measures)
        self.orgs: list[_Org] = []
        self.plans: list[_Plan] = []
        self.files: list[dict[str, Any]] = []
        self._fillers: dict[str, list[tuple[str, Callable[..., Any]]]] = {}

    # -- the whole run -----------------------------------------------------------------

    def run(self) -> dict[str, int]:
        prefix = self.scale.prefix
        if Organization.objects.filter(code__startswith=prefix).exists():
            raise ValueError(f"Organizations coded {prefix}… already exist; use an empty database.")
        steps = [
            ("organizations and people", self._organizations),
            ("plans", self._plans),
            ("reports", self._reports),
            ("register rows", self._register_rows),
            ("evidence files", self._evidence_files),
            ("evidence", self._evidence),
            ("petitions", self._petitions),
        ]
        with transaction.atomic():
            self.writer = BulkWriter(check_keys=self.check_keys)
            for label, step in steps:
                self.progress(f"{label}…")
                step()
            self.writer.finish()
            root = Organization.objects.get(pk=self.orgs[0].id)
            audit_record(
                actor=None,
                action="data.generate",
                obj=root,
                organization_id=root.pk,
                changes={
                    "scale": {k: str(v) for k, v in self.scale.__dict__.items()},
                    "rows": self.writer.counts,
                },
            )
        return self.writer.counts

    # -- organizations, users, memberships ------------------------------------------------

    def _organizations(self) -> None:
        s = self.scale
        rng = self.rng
        org_ids = IdRange(Organization)
        user_ids = IdRange(get_user_model())
        parents = max(1, min(len(PARENT_BODIES), round(s.orgs / 60)))
        children = max(0, s.orgs - 1 - parents)
        root_id = org_ids.take()
        rows = [
            {
                "id": root_id,
                "name": "Авлигатай тэмцэх газар (нэгтгэл)",
                "code": f"{self.scale.prefix}MN",
                "parent_id": None,
                "path": f"/{root_id}/",
            }
        ]
        parent_rows = []
        for p in range(min(parents, s.orgs - 1)):
            pid = org_ids.take()
            parent_rows.append(pid)
            rows.append(
                {
                    "id": pid,
                    "name": PARENT_BODIES[p],
                    "code": f"{self.scale.prefix}P{p + 1:02d}",
                    "parent_id": root_id,
                    "path": f"/{root_id}/{pid}/",
                }
            )
        for c in range(children):
            cid = org_ids.take()
            parent_index = c % len(parent_rows)
            pid = parent_rows[parent_index]
            place = PARENT_BODIES[parent_index].split()[0]
            kind = UNIT_KINDS[(c // len(parent_rows)) % len(UNIT_KINDS)]
            number = c // (len(parent_rows) * len(UNIT_KINDS))
            rows.append(
                {
                    "id": cid,
                    "name": f"{place} — {kind}" + (f" №{number + 1}" if number else ""),
                    "code": f"{self.scale.prefix}{c + 1:05d}",
                    "parent_id": pid,
                    "path": f"/{root_id}/{pid}/{cid}/",
                }
            )
        self.writer.write(Organization, rows)

        password = make_password(None)  # unusable until someone sets one
        users, memberships = [], []
        membership_ids = IdRange(Membership)
        for row in rows:
            ids = {}
            for role in (Role.COORDINATOR, Role.OFFICER, Role.REVIEWER):
                uid = user_ids.take()
                ids[role] = uid
                name = NAMES[rng.randrange(len(NAMES))]
                users.append(
                    {
                        "id": uid,
                        "username": f"{row['code'].lower()}-{role}",
                        "password": password,
                        "first_name": name,
                        "email": f"{row['code'].lower()}-{role}@example.mn",
                        "is_active": True,
                        "is_staff": False,
                        "is_superuser": False,
                        "date_joined": self.writer.now,
                    }
                )
                memberships.append(
                    {
                        "id": membership_ids.take(),
                        "user_id": uid,
                        "organization_id": row["id"],
                        "role": role,
                    }
                )
            if row["parent_id"] is None or row["id"] in parent_rows:
                for role in (Role.LEADER, Role.AUDITOR):
                    uid = user_ids.take()
                    users.append(
                        {
                            "id": uid,
                            "username": f"{row['code'].lower()}-{role}",
                            "password": password,
                            "first_name": NAMES[rng.randrange(len(NAMES))],
                            "email": f"{row['code'].lower()}-{role}@example.mn",
                            "is_active": True,
                            "is_staff": False,
                            "is_superuser": False,
                            "date_joined": self.writer.now,
                        }
                    )
                    memberships.append(
                        {
                            "id": membership_ids.take(),
                            "user_id": uid,
                            "organization_id": row["id"],
                            "role": role,
                        }
                    )
            self.orgs.append(
                _Org(
                    id=row["id"],
                    code=row["code"],
                    name=row["name"],
                    weight=rng.lognormvariate(0, 0.9),
                    coordinator=ids[Role.COORDINATOR],
                    officer=ids[Role.OFFICER],
                    reviewer=ids[Role.REVIEWER],
                )
            )
        self.writer.write(get_user_model(), users)
        self.writer.write(Membership, memberships)

    # -- plans ---------------------------------------------------------------------------

    def _plans(self) -> None:
        t = self.template
        rng = self.rng
        plan_ids, goal_ids = IdRange(Plan), IdRange(Goal)
        measure_ids, criterion_ids = IdRange(Measure), IdRange(Criterion)
        rule_ids, signature_ids = IdRange(CriterionRule), IdRange(Signature)
        plans, goals, measures, criteria, rules, signatures = [], [], [], [], [], []
        for org in self.orgs:
            for year in self.scale.years:
                pid = plan_ids.take()
                current = year >= self.scale.today.year
                status = (
                    "draft"
                    if current and rng.random() < 0.04
                    else ("approved" if rng.random() < 0.15 else "published")
                )
                plans.append(
                    {
                        "id": pid,
                        "organization_id": org.id,
                        "year": year,
                        "title": t.title.replace("2023", str(year)),
                        "approved_on": None if status == "draft" else dt.date(year, 1, 20),
                        "place": "Улаанбаатар хот",
                        "status": status,
                        "source_name": "generate_data",
                        "created_by_id": org.coordinator,
                    }
                )
                goal_of: dict[int, int] = {}
                for position, (number, text) in enumerate(t.goals, start=1):
                    gid = goal_ids.take()
                    goal_of[number] = gid
                    goals.append(
                        {"id": gid, "plan_id": pid, "number": number, "text": text}
                        | {"position": position}
                    )
                # the seed's own measures always; a few of the variants dropped here and there
                dropped = set(rng.sample(range(19, len(t.measures)), k=rng.choice((0, 0, 1, 2))))
                included = [i for i in range(len(t.measures)) if i not in dropped]
                plan = _Plan(pid, org, year, included, {}, {})
                for position, index in enumerate(included, start=1):
                    tm = t.measures[index]
                    mid = measure_ids.take()
                    plan.measure_ids[index] = mid
                    measures.append(
                        {
                            "id": mid,
                            "plan_id": pid,
                            "goal_id": goal_of[tm.goal],
                            "activity_id": None,
                            "code": tm.code,
                            "text": tm.text,
                            "position": position,
                            "responsible_unit": UNITS[index % len(UNITS)],
                            "responsible_person_id": org.officer,
                            "recurrence": tm.recurrence,
                        }
                    )
                    plan.criteria_ids[index] = []
                    for cpos, (ctext, rule) in enumerate(tm.criteria, start=1):
                        cid = criterion_ids.take()
                        plan.criteria_ids[index].append(cid)
                        criteria.append(
                            {"id": cid, "measure_id": mid, "text": ctext, "position": cpos}
                        )
                        rules.append(
                            {
                                "id": rule_ids.take(),
                                "criterion_id": cid,
                                "kind": rule.kind,
                                "register": rule.register,
                                "n": rule.n,
                                "filters": rule.filters,
                                "require": rule.require,
                                "scope": rule.scope,
                                "days": rule.days,
                                "source": rule.source[:255],
                                "confirmed_by_id": org.coordinator,
                            }
                        )
                for spos, (label, title, name) in enumerate(t.signatures, start=1):
                    signatures.append(
                        {"id": signature_ids.take(), "plan_id": pid, "label": label}
                        | {"title": title, "name": name, "position": spos}
                    )
                self.plans.append(plan)
        for model, rows in (
            (Plan, plans),
            (Goal, goals),
            (Measure, measures),
            (Criterion, criteria),
            (CriterionRule, rules),
            (Signature, signatures),
        ):
            self.writer.write(model, rows)

    # -- reports -------------------------------------------------------------------------

    def _reports(self) -> None:
        today = self.scale.today
        rng = self.rng
        report_ids, item_ids = IdRange(Report), IdRange(ReportItem)
        reports: list[dict[str, Any]] = []
        # (report id, plan, period end, steps taken: 0 draft … 3 approved, when)
        made: list[tuple[int, _Plan, dt.date, int, dt.datetime]] = []
        steps = {"draft": 0, "submitted": 1, "reviewed": 2, "approved": 3}
        for plan in self.plans:
            for period, end in (
                ("h1", dt.date(plan.year, 6, 30)),
                ("year", dt.date(plan.year, 12, 31)),
            ):
                due_date = default_due_date(period_end=end)
                if end >= today and rng.random() < 0.4:
                    continue  # not started yet
                if due_date < today - dt.timedelta(days=60):
                    status = "approved" if rng.random() < 0.9 else "reviewed"
                elif due_date < today:
                    status = rng.choice(list(steps))
                else:
                    status = "draft"
                rid = report_ids.take()
                moved = dt.datetime.combine(min(due_date, today), dt.time(10), tzinfo=dt.UTC)
                step = steps[status]
                org = plan.org
                reports.append(
                    {
                        "id": rid,
                        "plan_id": plan.id,
                        "period": period,
                        "due_date": due_date,
                        "status": status,
                        "created_by_id": org.coordinator,
                        "submitted_by_id": org.coordinator if step >= 1 else None,
                        "submitted_at": moved if step >= 1 else None,
                        "reviewed_by_id": org.reviewer if step >= 2 else None,
                        "reviewed_at": moved if step >= 2 else None,
                        "approved_by_id": org.reviewer if step >= 3 else None,
                        "approved_at": moved if step >= 3 else None,
                    }
                )
                made.append((rid, plan, end, step, moved))
        self.writer.write(Report, reports)

        def items() -> Iterator[dict[str, Any]]:
            for rid, plan, end, step, moved in made:
                reviewer = plan.org.reviewer
                for index in plan.measures:
                    tm = self.template.measures[index]
                    due = measure_is_due(
                        recurrence=tm.recurrence, due_date=None, year=plan.year, period_end=end
                    )
                    self_score = rng.choice(SCORES) if due else None
                    score = None
                    if self_score is not None and step >= 2:
                        score = min(self_score, rng.choice(SCORES))
                    yield {
                        "id": item_ids.take(),
                        "report_id": rid,
                        "measure_id": plan.measure_ids[index],
                        "text": f"{tm.text[:120]} — {DONE_TEXT}" if due else "",
                        "self_score": self_score,
                        "score": score,
                        "scored_by_id": reviewer if score is not None else None,
                        "scored_at": moved if score is not None else None,
                        "due": due if step >= 1 else None,
                    }

        self.writer.write(ReportItem, items())

    # -- registers -----------------------------------------------------------------------

    def _register_rows(self) -> None:
        """Each register in two streams, its rows and their links to measures; the link of
        a row is chosen by a generator seeded by its id, among the measures whose rules
        count that register."""
        rng = self.rng
        today = self.scale.today
        keys = list(REGISTERS)
        key_weights = [REGISTER_WEIGHTS.get(k, 1) for k in keys]
        counts = _shares(
            self.scale.register_rows, [p.org.weight for p in self.plans], random.Random(2)
        )
        by_key: dict[str, list[tuple[int, dt.date]]] = {k: [] for k in keys}
        for plan_index, (plan, count) in enumerate(zip(self.plans, counts, strict=True)):
            start = dt.date(plan.year, 1, 1)
            end = min(dt.date(plan.year, 12, 31), today)
            if end < start:
                continue
            for key in rng.choices(keys, key_weights, k=count):
                by_key[key].append((plan_index, _random_date(rng, start, end)))
        for key in keys:
            spec = REGISTERS[key]
            through = spec.model.measures.through
            row_column = next(
                f.attname
                for f in through._meta.local_concrete_fields
                if getattr(f, "related_model", None) is spec.model
            )
            first = IdRange(spec.model).take(len(by_key[key]))
            rows = by_key[key]

            def register_rows(spec=spec, first=first, rows=rows) -> Iterator[dict[str, Any]]:
                for offset, (plan_index, date) in enumerate(rows):
                    plan = self.plans[plan_index]
                    row = self._register_values(spec, first + offset, plan, date)
                    row.update(
                        id=first + offset,
                        organization_id=plan.org.id,
                        created_by_id=plan.org.officer,
                        search_text=search_key(*(row.get(n) for n in spec.search_fields)),
                        sort_key=mn_sort_key(str(row.get(spec.sort_field) or "")),
                    )
                    yield row

            # No query may run while a COPY streams, so ids are taken before.
            link_ids = IdRange(through)

            def links(key=key, first=first, rows=rows, column=row_column, link_ids=link_ids):
                linked = self.template.measures_of_register.get(key) or ()
                for offset, (plan_index, _date) in enumerate(rows):
                    plan = self.plans[plan_index]
                    candidates = [i for i in linked if i in plan.measure_ids]
                    index = rng.choice(candidates or plan.measures)
                    yield {
                        "id": link_ids.take(),
                        column: first + offset,
                        "measure_id": plan.measure_ids[index],
                    }

            self.writer.write(spec.model, register_rows())
            self.writer.write(through, links())
            by_key[key] = []

    def _register_values(self, spec: Any, rid: int, plan: _Plan, date: dt.date) -> dict[str, Any]:
        """The register's own values of row `rid` of `spec`, plausible by field type and
        name (how each field is filled is worked out once per register)."""
        fillers = self._fillers.get(spec.key)
        if fillers is None:
            fillers = self._fillers[spec.key] = self._register_fillers(spec)
        return {name: fill(rid, plan, date) for name, fill in fillers}

    def _register_fillers(self, spec: Any) -> list[tuple[str, Callable[..., Any]]]:
        rng = self.rng
        skip = {"id", "organization_id", "created_by_id", "search_text", "sort_key"}
        titles = TITLES.get(spec.key, BOARD_TOPICS)

        def pick(values: list[Any]) -> Callable[..., Any]:
            return lambda _rid, _plan, _date: values[rng.randrange(len(values))]

        fillers: list[tuple[str, Callable[..., Any]]] = []
        for f in spec.model._meta.local_concrete_fields:
            name = f.attname
            if name in skip or f.auto_created or isinstance(f, models.DateTimeField):
                continue
            internal = f.get_internal_type()
            if is_choice_list(f):  # a material's channels: one or two
                values = list(f.options.values)
                fill = pick(
                    [[v] for v in values] + [list(pair) for pair in itertools.pairwise(values)]
                )
            elif f.choices:
                fill = pick([value for value, _label in f.flatchoices])
            elif internal == "DateField":
                fill = (lambda _r, _p, _d: None) if f.null else (lambda _r, _p, date: date)
            elif internal == "BooleanField":
                fill = pick([True, True, False])
            elif internal in ("PositiveIntegerField", "PositiveSmallIntegerField"):
                small = "likelihood" in name or "impact" in name
                fill = pick(list(range(1, 6)) if small else list(range(5, 400, 7)))
            elif internal == "DecimalField":
                fill = pick([n * 1_000_000 for n in (1, 3, 8, 25, 60, 150, 420)])
            elif name == "link":
                fill = lambda rid, _p, _d: f"https://www.example.mn/news/{rid}"  # noqa: E731
            elif name == "name":
                fill = pick(NAMES)
            elif name == "number":
                fill = lambda rid, plan, _d: f"ГЭ-{plan.year}/{rid}"  # noqa: E731
            elif name in ("unit", "owner", "organizer", "reviewer", "source", "counterparty"):
                fill = pick(UNITS)
            elif internal in ("CharField", "TextField"):
                fill = pick([t[: f.max_length] if f.max_length else t for t in titles])
            else:
                continue  # the field's default
            fillers.append((name, fill))
        return fillers

    # -- evidence ------------------------------------------------------------------------

    def _evidence_files(self) -> None:
        """A small pool of real files the generated evidence rows share, so downloads,
        previews and seal checks read real bytes."""
        for i, title in enumerate(EVIDENCE_TITLES):
            content, ctype, ext = _pool_file(i, title)
            name = default_storage.save(f"evidence/generated/{i:02d}{ext}", ContentFile(content))
            self.files.append(
                {
                    "file": name,
                    "title": title,
                    "original_name": f"notolgoo-{i + 1}{ext}",
                    "content_type": ctype,
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
            )

    def _evidence(self) -> None:
        rng = self.rng
        today = self.scale.today
        counts = _shares(self.scale.evidence, [p.org.weight for p in self.plans], random.Random(3))
        ids = IdRange(Evidence)
        keys: dict[tuple[str, str, str], str] = {}

        def rows() -> Iterator[dict[str, Any]]:
            for plan, count in zip(self.plans, counts, strict=True):
                start = dt.date(plan.year, 1, 1)
                end = min(dt.date(plan.year, 12, 31), today)
                if end < start:
                    continue
                for _ in range(count):
                    index = rng.choice(plan.measures)
                    criteria = plan.criteria_ids[index]
                    eid = ids.take()
                    if rng.random() < 0.85:
                        f = self.files[rng.randrange(len(self.files))]
                        row = dict(f, kind="file", link="")
                    else:
                        row = {"kind": "link", "link": f"https://www.facebook.com/post/{eid}"}
                        row["title"] = EVIDENCE_TITLES[eid % len(EVIDENCE_TITLES)]
                    key = (row["title"], row.get("original_name", ""), row["link"])
                    if key not in keys:
                        keys[key] = search_key(*key)
                    row.update(
                        id=eid,
                        organization_id=plan.org.id,
                        measure_id=plan.measure_ids[index],
                        criterion_id=rng.choice(criteria)
                        if criteria and rng.random() < 0.5
                        else None,
                        relates_to=_random_date(rng, start, end),
                        lineage=uuid.UUID(int=rng.getrandbits(128), version=4),
                        uploaded_by_id=plan.org.officer,
                        search_text=keys[key],
                    )
                    yield row

        self.writer.write(Evidence, rows())

    # -- petitions -----------------------------------------------------------------------

    def _petitions(self) -> None:
        rng = self.rng
        today = self.scale.today
        first = dt.date(min(self.scale.years), 1, 1)
        counts = _shares(self.scale.petitions, [o.weight for o in self.orgs], random.Random(4))
        ids, counter_ids = IdRange(Petition), IdRange(PetitionCounter)
        counters: list[dict[str, Any]] = []
        kinds = ["petition"] * 5 + ["complaint"] * 3 + ["request", "proposal"]
        channels = [value for value, _label in Petition.Channel.choices]

        def rows() -> Iterator[dict[str, Any]]:
            for org, count in zip(self.orgs, counts, strict=True):
                dates = sorted(_random_date(rng, first, today) for _ in range(count))
                numbers: dict[int, int] = {}
                for received_on in dates:
                    number = numbers[received_on.year] = numbers.get(received_on.year, 0) + 1
                    yield self._petition(ids.take(), org, received_on, number, kinds, channels)
                counters.extend(
                    {"id": counter_ids.take(), "organization_id": org.id}
                    | {"year": year, "last_number": last}
                    for year, last in numbers.items()
                )

        self.writer.write(Petition, rows())
        self.writer.write(PetitionCounter, counters)

    def _petition(
        self, pid: int, org: _Org, received_on: dt.date, number: int, kinds: list, channels: list
    ) -> dict[str, Any]:
        rng = self.rng
        today = self.scale.today
        kind = rng.choice(kinds)
        rule = rule_in_force(received_on)
        days = rule.days_for(kind)
        due_on = original = received_on + dt.timedelta(days=days)
        row: dict[str, Any] = {
            "id": pid,
            "organization_id": org.id,
            "year": received_on.year,
            "number": number,
            "received_on": received_on,
            "channel": rng.choice(channels),
            "kind": kind,
            "petitioner_name": NAMES[rng.randrange(len(NAMES))],
            "petitioner_register_no": f"УБ{rng.randrange(10**8):08d}",
            "petitioner_contact": f"9{rng.randrange(10**7):07d}",
            "subject": SUBJECTS[rng.randrange(len(SUBJECTS))],
            "category": CATEGORIES[rng.randrange(len(CATEGORIES))],
            "body": "Өргөдлийн агуулга: холбогдох шийдвэрийг хянаж, хариу өгнө үү.",
            "assigned_to_id": org.officer,
            "rule_key": rule.key,
            "base_days": days,
            "original_due_on": original,
            "tracking_hash": hashlib.sha256(f"generated:{pid}".encode()).hexdigest(),
            "created_by_id": org.officer,
        }
        if rng.random() < 0.05:
            extension = rng.randint(5, rule.max_extension_days)
            due_on = original + dt.timedelta(days=extension)
            row.update(
                extension_days=extension,
                extension_reason="Нэмэлт тодруулга шаардлагатай болсон.",
                extension_decided_by="Байгууллагын дарга",
                extension_petitioner_informed=True,
                extended_on=received_on + dt.timedelta(days=days - 3),
                extended_by_id=org.coordinator,
            )
        row["due_on"] = due_on
        age = (today - received_on).days
        settled = rng.random() < (0.97 if age > days else 0.4 * age / max(days, 1))
        if settled:
            on = min(today, received_on + dt.timedelta(days=rng.randint(1, days + 5)))
            outcome = rng.random()
            if outcome < 0.85:
                row.update(status="answered", answered_on=on, answer_text="Хариу хүргүүлэв.")
            elif outcome < 0.93:
                row.update(status="transferred", transferred_on=on)
                row["transferred_to"] = "Харьяалах байгууллага"
            else:
                row.update(status="closed", closed_on=on, close_note="Давхардсан өргөдөл.")
            row["resolved_on"] = on
        else:
            row["status"] = (
                "extended"
                if "extension_days" in row
                else ("in_progress" if rng.random() < 0.6 else "received")
            )
        registration = f"{received_on.year}-{number:04d}"
        row["search_text"] = search_key(registration, row["subject"], row["category"])
        row["private_search_text"] = search_key(
            row["petitioner_name"], row["petitioner_register_no"], row["petitioner_contact"]
        )
        return row
