"""A realistic year of records for the seed plan, so a first look shows a living plan.

Deterministic (fixed random seed). The story it tells, which the criteria then show:
two awareness days and two sector meetings were held (1.2 and 4.2 met); the information
board was updated every month except August (1.3 not met, naming August); own materials
were published, one without the 110 hotline (1.4's hotline criterion not met); four people
were appointed and three trained in time (2.1 not met, naming the fourth); one contract of
eight lacks the damages clause (3.1 not met for that clause).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from shudarga.organizations.models import Organization
from shudarga.plans.models import Measure, Plan
from shudarga.registers.models import (
    Audit,
    BoardUpdate,
    Contract,
    DocumentReview,
    Event,
    OversightItem,
    Publication,
    Risk,
    StaffMember,
    Training,
)
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_save

BOARD_TOPICS = [
    "Авлигын эсрэг хуулийн шинэчлэлийн талаарх мэдээлэл",
    "Ашиг сонирхлын зөрчлөөс урьдчилан сэргийлэх зөвлөмж",
    "Хөрөнгө орлогын мэдүүлэг гаргах хугацааны сануулга",
    "Авлигыг мэдээлэх 110 утасны тухай зурагт хуудас",
    "Төрийн албан хаагчийн ёс зүйн дүрмийн танилцуулга",
    "Худалдан авах ажиллагааны ил тод байдлын мэдээлэл",
    "Иргэдийн өргөдөл, гомдлыг шийдвэрлэсэн байдлын мэдээ",
    "Шударга ёсны өдөрлөгийн зургийн мэдээ",
    "Сэтгэл ханамжийн судалгааны дүн",
    "Авлигын эрсдэлийн үнэлгээний товч мэдээлэл",
    "Хүнд суртлыг бууруулах санал хүсэлт хүлээн авах тухай",
]
NAMES = [
    "Б.Энхцэцэг",
    "Х.Содномдэмбэрэл",
    "Г.Батболд",
    "Д.Оюунчимэг",
    "Ц.Ганзориг",
    "Л.Нарантуяа",
    "Э.Мөнхбат",
    "С.Үүрцайх",
    "Ж.Өлзийбаяр",
    "Н.Ариунаа",
    "Т.Төмөрбаатар",
    "О.Сарангэрэл",
    "П.Эрдэнэбилэг",
    "Ё.Ёндон",
    "А.Алтанцэцэг",
    "Р.Пүрэвсүрэн",
    "М.Мягмарсүрэн",
    "В.Ванчинхүү",
]
UNITS = ["Захиргаа, санхүүгийн хэлтэс", "Хяналт шинжилгээний хэлтэс", "Хууль зүйн алба"]


def load_year_of_records(
    *, organization: Organization, plan: Plan, actor: Any = None, until: dt.date | None = None
) -> dict[str, int]:
    """Fill every register of `organization` with the year `plan.year`, up to `until` (a year
    in progress: nothing dated later is recorded); returns row counts. Staff who were there
    before the year (from an earlier year's demo) are kept, not registered twice."""
    rng = random.Random(20231010)  # noqa: S311 - demo data, not security
    year = plan.year
    measures = {m.code: m for m in Measure.objects.filter(plan=plan)}
    known_staff = list(
        StaffMember.objects.filter(
            organization=organization, appointed_on__lt=dt.date(year, 1, 1)
        ).order_by("id")
    )

    def save(key: str, row: Any, codes: tuple[str, ...]) -> Any:
        spec = REGISTERS[key]
        if until is not None and getattr(row, spec.date_field) > until:
            return None  # not done yet
        return register_row_save(
            spec=REGISTERS[key],
            organization=organization,
            row=row,
            measures=[measures[c] for c in codes if c in measures],
            actor=actor,
        )

    def day(month: int, low: int = 2, high: int = 27) -> dt.date:
        return dt.date(year, month, rng.randint(low, high))

    # 1.3: the board, every month but August.
    for month in range(1, 13):
        if month == 8:
            continue
        save(
            "board-updates",
            BoardUpdate(date=day(month), content=rng.choice(BOARD_TOPICS)),
            ("1.3",),
        )

    # 1.1 and 1.4: publications, of the authority's and our own.
    channels = [c for c, _ in Publication.Channel.choices if c != "other"]
    authority_titles = [
        "Авлигын эсрэг шторк",
        "Ашиг сонирхлын зөрчлийн инфографик",
        "“Шударга ёс” цахим ном",
        "Авлигатай тэмцэх гарын авлага",
    ]
    for index, title in enumerate(authority_titles):  # one material, two channels each
        save(
            "publications",
            Publication(
                date=day(1 + index),
                title=title,
                channels=[channels[index % len(channels)], channels[(index + 4) % len(channels)]],
                material=["spot", "infographic", "ebook", "handbook"][index % 4],
                produced_by="authority",
                copies=rng.randint(50, 400),
                views=rng.randint(300, 5000),
                shows_hotline=True,
                link="https://www.iaac.mn/",
            ),
            ("1.1",),
        )
    own = [
        ("Ёс зүйтэй албан хаагч — шударга үйлчилгээ", "poster", "billboard", True),
        ("Авлигаас ангид байгууллага: видео шторк", "spot", "facebook", True),
        ("Шударга байдлын тухай нийтлэл", "article", "website", False),
    ]
    for index, (title, material, channel, hotline) in enumerate(own):
        save(
            "publications",
            Publication(
                date=day(3 + 3 * index),
                title=title,
                material=material,
                channels=[channel],
                produced_by="own",
                copies=rng.randint(20, 200),
                views=rng.randint(500, 8000),
                shows_hotline=hotline,
            ),
            ("1.4",),
        )

    # 1.2, 4.2, 5.1: events.
    events = [
        ("awareness_day", 4, "“Шударга ёс” өдөрлөг", 120, ("1.2",)),
        ("outreach", 9, "Иргэдэд зориулсан авлигын эсрэг нөлөөллийн аян", 85, ("1.2",)),
        ("discussion", 5, "Салбарын хүнд суртлыг бууруулах хэлэлцүүлэг", 40, ("4.2",)),
        ("meeting", 10, "Үйлчилгээний шат дамжлагыг бууруулах уулзалт", 25, ("4.2",)),
        ("briefing", 3, "Төлөвлөгөөг нийт албан хаагчдад танилцуулав", 60, ("5.1",)),
        ("briefing", 7, "Хагас жилийн хэрэгжилтийг танилцуулав", 58, ("5.1",)),
        ("briefing", 12, "Жилийн үр дүнг танилцуулав", 62, ("5.1",)),
    ]
    for kind, month, title, people, codes in events:
        save(
            "events",
            Event(
                date=day(month),
                kind=kind,
                title=title,
                participants=people,
                outcome="Санал, хүсэлтийг нэгтгэж удирдлагад танилцуулсан.",
                follow_up="Гарсан саналын дагуу үйлчилгээний журамд өөрчлөлт оруулсан."
                if kind in ("discussion", "meeting")
                else "",
            ),
            codes,
        )

    # 2.1, 5.7: staff and trainings. Four appointed this year; Ж.Өлзийбаяр was not trained.
    staff = known_staff[:13]
    for index, name in enumerate((NAMES[:9] + NAMES[12:]) if not staff else []):
        appointed = dt.date(year - rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 28))
        staff.append(
            save(
                "staff",
                StaffMember(
                    name=name,
                    position="Мэргэжилтэн",
                    unit=UNITS[index % 3],
                    appointed_on=appointed,
                ),
                (),
            )
        )
    newcomers = [
        save(
            "staff",
            StaffMember(
                name=name,
                position="Ахлах мэргэжилтэн",
                unit=UNITS[i % 3],
                appointed_on=dt.date(year, month, 1),
            ),
            (),
        )
        for i, (name, month) in enumerate(
            [("Н.Ариунаа", 2), ("Т.Төмөрбаатар", 4), ("О.Сарангэрэл", 6), ("Ж.Өлзийбаяр", 3)]
        )
    ]
    trainings = [
        (
            "anti_corruption",
            dt.date(year, 3, 15),
            "Авлигаас урьдчилан сэргийлэх, ёс зүйн сургалт",
            newcomers[:1] + staff[:8],
            ("2.1",),
        ),
        (
            "anti_corruption",
            dt.date(year, 7, 20),
            "Ашиг сонирхлын зөрчлийн сургалт",
            newcomers[1:3] + staff[8:],
            ("2.1",),
        ),
        (
            "procurement",
            dt.date(year, 9, 12),
            "Худалдан авах ажиллагааны мэргэшүүлэх сургалт",
            staff[:5],
            ("5.7",),
        ),
    ]
    for kind, date, topic, attendees, codes in trainings:
        training = save(
            "trainings",
            Training(date=date, kind=kind, topic=topic, organizer="Авлигатай тэмцэх газар"),
            codes,
        )
        if training is not None:
            training.attendees.set([a for a in attendees if a is not None])

    # 3.1: contracts; the fifth lacks the damages clause.
    counterparties = [
        "“Тэнгэр констракшн” ХХК",
        "“Номин трейд” ХХК",
        "“Улаанбаатар цэвэрлэгээ” ОНӨҮГ",
        "“Мэдээллийн технологийн үндэсний парк”",
        "“Алтан хүлэг” ХХК",
        "“Хөх толбо” ТББ",
        "“Эрдэнэ сервис” ХХК",
        "“Сод монгол” ХХК",
    ]
    for index, name in enumerate(counterparties):
        save(
            "contracts",
            Contract(
                number=f"ГЭ-{year}/{index + 1:03d}",
                counterparty=name,
                date=day(1 + index),
                value=Decimal(rng.randint(5, 900)) * 1_000_000,
                clause_anti_corruption=True,
                clause_duty_to_report=True,
                clause_damages=index != 4,
            ),
            ("3.1",),
        )

    # 4.1: the corruption-risk register.
    for index, (process, risk) in enumerate(
        [
            ("Тусгай зөвшөөрөл олгох", "Шалгуур хангаагүй этгээдэд зөвшөөрөл олгох"),
            ("Худалдан авах ажиллагаа", "Тендерийн шалгуурыг тодорхой этгээдэд тааруулах"),
            ("Хүний нөөцийн сонгон шалгаруулалт", "Ашиг сонирхлын зөрчилтэй томилгоо"),
            ("Иргэдийн өргөдөл, гомдол", "Хугацаа хэтрүүлж хүнд суртал гаргах"),
            ("Санхүүгийн зарцуулалт", "Төсвийг зориулалтын бус зарцуулах"),
        ]
    ):
        save(
            "risks",
            Risk(
                date=day(2 + index),
                process=process,
                risk=risk,
                likelihood=rng.randint(2, 4),
                impact=rng.randint(2, 5),
                owner=UNITS[index % 3],
                mitigation="Үйл явцыг цахимжуулж, хяналтын хуудас нэвтрүүлсэн.",
                status=["mitigating", "closed", "open"][index % 3],
            ),
            ("4.1",),
        )

    # 5.4, 5.6: reviews; 5.8: audits; 3.2, 5.2: oversight and recommendations.
    for index, (kind, document, outcome) in enumerate(
        [
            ("internal_rule", "Байгууллагын дотоод журам", "amended"),
            ("internal_rule", "Албан хаагчийн ёс зүйн дүрэм", "valid"),
            ("management_order", "Даргын А/15 тушаал", "valid"),
            ("management_order", "Даргын А/42 тушаал", "repealed"),
        ]
    ):
        save(
            "document-reviews",
            DocumentReview(
                date=day(4 + 2 * index),
                kind=kind,
                document=document,
                outcome=outcome,
                legal_basis="Захиргааны ерөнхий хууль",
                reviewer="Захиргаа, санхүүгийн хэлтэс",
            ),
            ("5.4",) if kind == "internal_rule" else ("5.6",),
        )
    save(
        "audits",
        Audit(
            date=day(4),
            kind="state",
            period_covered=f"{year - 1} он",
            findings="Зөрчилгүй.",
            follow_up="",
        ),
        ("5.8",),
    )
    save(
        "audits",
        Audit(
            date=day(10),
            kind="internal",
            period_covered=f"{year} оны эхний хагас",
            findings="Баримтын бүрдүүлэлтэд 2 зөрчил илэрсэн.",
            follow_up="Зөрчлийг арилгаж, хариуцсан албан хаагчид сануулсан.",
        ),
        ("5.8",),
    )
    save(
        "oversight",
        OversightItem(
            date=day(5),
            kind="public_oversight",
            source="Иргэдийн төлөөлөл",
            content="Үйлчилгээний танхимын ил тод байдлын хяналт",
            action_taken="Зөвлөмжийн дагуу мэдээллийн самбар байрлуулсан.",
            done_on=day(6),
        ),
        ("3.2",),
    )
    save(
        "oversight",
        OversightItem(
            date=day(2),
            kind="recommendation",
            source="Авлигатай тэмцэх газар",
            content="Ёс зүйн дүрмийн төсөлд өгсөн санал",
            action_taken="Саналыг тусгаж баталсан.",
            done_on=day(3),
        ),
        ("5.2",),
    )
    return {
        key: spec.model.objects.filter(organization=organization).count()
        for key, spec in REGISTERS.items()
    }
