"""The schedule a plan document gives: `Хугацаа` read into a recurrence, reports that
assess each measure when its deadline says, and `Хариуцах` read into units and a person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from shudarga.criteria.rules import Status
from shudarga.criteria.selectors import plan_evaluate, plan_period
from shudarga.organizations.models import Unit
from shudarga.plans.assignment import responsible_parties
from shudarga.plans.documents.reading import read_plan_document
from shudarga.plans.models import Plan
from shudarga.plans.schedule import parse_due_text
from shudarga.plans.services import plan_create_from_document
from shudarga.reports.selectors import report_page
from shudarga.reports.services import report_create, report_submit
from tests.factories import EvidenceFactory, MembershipFactory, UserFactory

YEAR = 2023
D = dt.date


@pytest.mark.parametrize(
    ("text", "recurrence", "due_date", "dates"),
    [
        ("", "continuous", None, ()),
        ("Жилдээ", "continuous", None, ()),
        ("жилийн турш", "continuous", None, ()),
        ("Байнга", "continuous", None, ()),
        ("Тухай бүр", "as_needed", None, ()),
        ("Сар бүр", "monthly", None, ()),
        ("Улирал бүр", "quarterly", None, ()),
        ("Хагас жил", "half_yearly", None, ()),
        ("Хагас жилд", "once", D(YEAR, 6, 30), ()),
        ("Хагас жил бүр", "half_yearly", None, ()),
        ("I улиралд", "once", D(YEAR, 3, 31), ()),
        ("1-р улиралд", "once", D(YEAR, 3, 31), ()),
        ("IV улиралд", "year_end", None, ()),
        ("Жилийн эцэст", "year_end", None, ()),
        ("2023 оны 3 дугаар сард", "once", D(YEAR, 3, 31), ()),
        ("2023.03.31", "once", D(YEAR, 3, 31), ()),
        ("1-р улиралд, хагас жил, жилийн эцэст", "q1_h1_year", None, ()),
        ("3, 6, 9, 12 дугаар сард", "quarterly", None, ()),
        ("I, III улиралд", "dates", None, (D(YEAR, 3, 31), D(YEAR, 9, 30))),
        ("1 дүгээр сарын 15-ны дотор", "once", D(YEAR, 1, 15), ()),
        ("Хагас жилийн эцэст", "once", D(YEAR, 6, 30), ()),
        ("Жилд 2 удаа", "half_yearly", None, ()),
        ("Улиралд нэг удаа", "quarterly", None, ()),
        ("Сард 1 удаа", "monthly", None, ()),
        ("Хагас жилд нэг удаа", "half_yearly", None, ()),
        ("III улирлын эхэнд", "once", D(YEAR, 7, 31), ()),
        ("31.03.2023", "once", D(YEAR, 3, 31), ()),
        ("Арванхоёрдугаар сард", "year_end", None, ()),
        ("XII сар", "year_end", None, ()),
        ("1-р ул", "once", D(YEAR, 3, 31), ()),
        ("2023 онд", "continuous", None, ()),
        ("2023.02.01-2023.03.01", "once", D(YEAR, 3, 1), ()),  # a span: due by its end
        ("5 сарын 1-нээс 6 сарын 1", "once", D(YEAR, 6, 1), ()),
        ("2023 оны 3-5 дугаар сард", "once", D(YEAR, 5, 31), ()),
        ("I-II улирал", "dates", None, (D(YEAR, 3, 31), D(YEAR, 6, 30))),
    ],
)
def test_it_reads_the_deadlines_plans_write(text, recurrence, due_date, dates):
    reading = parse_due_text(text, YEAR)
    assert (reading.recurrence, reading.due_date, reading.dates) == (recurrence, due_date, dates)
    assert reading.understood


def test_an_unreadable_deadline_is_kept_and_assessed_in_every_period():
    reading = parse_due_text("Шинэ ажилтан томилогдсоноос хойш 14 хоногт", YEAR)
    assert (reading.recurrence, reading.understood) == ("continuous", False)


def test_the_reading_is_worded_in_the_language_of_the_moment():
    """The summaries are lazy: a process that loaded the module in one language words them
    in each request's language."""
    monthly, dated = parse_due_text("Сар бүр", YEAR), parse_due_text("2023.03.31", YEAR)
    with translation.override("en"):
        assert monthly.describe() == "every month"
        assert dated.describe() == "by March 31, 2023"
    with translation.override("mn"):
        assert monthly.describe() == "сар бүр"
        assert dated.describe() == "2023 оны 3 дугаар сарын 31-ны дотор"


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Хүний нөөцийн алба", [("Хүний нөөцийн алба", "unit")]),
        (
            "Хууль зүйн хэлтэс, хэлтэс, агентлагууд",
            [("Хууль зүйн хэлтэс", "unit"), ("хэлтэс", "generic"), ("агентлагууд", "generic")],
        ),
        (
            "– Мэдээллийн технологи, олон нийт хариуцсан мэргэжилтэн\n– Бичээч",
            [("Мэдээллийн технологи, олон нийт хариуцсан мэргэжилтэн", "unit"), ("Бичээч", "unit")],
        ),
        ("Ёс зүйн зөвлөх Б.Энхцэцэг", [("Ёс зүйн зөвлөх", "unit"), ("Б.Энхцэцэг", "person")]),
        ("Б.Бат, Д.Дорж", [("Б.Бат", "person"), ("Д.Дорж", "person")]),
    ],
)
def test_it_reads_who_is_responsible(text, parties):
    assert [(p.name, p.kind) for p in responsible_parties(text)] == parties


PLAN = "\n".join(
    [
        "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
        "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт\tХугацаа\tХариуцах нэгж",
        "1\tИл тод байдал\t1.1. Самбарыг шинэчлэх\t-Тайланд нотломжийг хавсаргасан байх\t"
        "Сар бүр\tХүний нөөцийн алба",
        "\t\t1.2. Жилийн тайлан гаргах\t-Гаргасан байх\tIV улиралд\tЗахиргааны хэлтэс",
        "\t\t1.3. Зөвлөгөө өгөх\t-Өгсөн байх\t\tЁс зүйн зөвлөх Б.Энхцэцэг",
        "\t\t1.4. Сургалт хийх\t-Хийсэн байх\tЗуны амралтын дараа\t",
    ]
).encode()


@pytest.fixture
def scheduled_plan(org):
    Unit.objects.create(organization=org, name="Хүний нөөцийн алба", key="хүний нөөцийн алба")
    person = UserFactory(first_name="Энхцэцэг", last_name="Бат")
    MembershipFactory(user=person, organization=org, role="officer")
    with translation.override("en"):
        return plan_create_from_document(
            organization=org, document=read_plan_document(PLAN), actor=None
        )


pytestmark = pytest.mark.django_db


def test_the_seed_as_it_is_makes_every_measure_due_in_the_half_year(seed_plan):
    report = report_create(plan=seed_plan, period="h1", actor=None, today=D(2024, 1, 15))
    rows = report_page(report=report, with_evidence=False).rows
    assert len(rows) == 19
    assert {m.recurrence for m in seed_plan.measures.all()} == {"continuous"}
    assert all(row.due for row in rows)
    assert (
        report_submit(report=report, actor=None, today=D(2024, 1, 15))
        .items.filter(due=True)
        .count()
        == 19
    )


def test_the_deadline_column_gives_each_measure_its_schedule(scheduled_plan):
    measures = {m.code: m for m in scheduled_plan.measures.all()}
    assert measures["1.1"].recurrence == "monthly"
    assert measures["1.2"].recurrence == "year_end"
    assert measures["1.3"].recurrence == "continuous"  # no deadline: every period
    assert measures["1.4"].recurrence == "continuous"  # not understood: kept as written
    assert measures["1.4"].due_text == "Зуны амралтын дараа"
    assert any("1.4" in w and "not understood" in w for w in scheduled_plan.import_warnings)
    h1 = report_create(plan=scheduled_plan, period="h1", actor=None, today=D(2024, 1, 15))
    year = report_create(plan=scheduled_plan, period="year", actor=None, today=D(2024, 1, 15))
    h1_due = {r.measure.code: r.due for r in report_page(report=h1, with_evidence=False).rows}
    year_due = {r.measure.code: r.due for r in report_page(report=year, with_evidence=False).rows}
    assert h1_due == {"1.1": True, "1.2": False, "1.3": True, "1.4": True}  # 1.2 is ХБ
    assert year_due == {"1.1": True, "1.2": True, "1.3": True, "1.4": True}


def test_the_responsible_cell_gives_units_and_a_person(scheduled_plan, org):
    measures = {m.code: m for m in scheduled_plan.measures.prefetch_related("units")}
    assert [u.name for u in measures["1.1"].units.all()] == ["Хүний нөөцийн алба"]  # matched
    assert [u.name for u in measures["1.2"].units.all()] == ["Захиргааны хэлтэс"]  # created
    assert measures["1.2"].responsible_unit == "Захиргааны хэлтэс"
    assert [u.name for u in measures["1.3"].units.all()] == ["Ёс зүйн зөвлөх"]
    assert measures["1.3"].responsible_person.first_name == "Энхцэцэг"
    assert Unit.objects.filter(organization=org).count() == 3


def test_a_monthly_measure_is_checked_month_by_month(scheduled_plan):
    measure = scheduled_plan.measures.get(code="1.1")
    for day in (D(YEAR, 1, 20), D(YEAR, 3, 5)):
        EvidenceFactory(measure=measure, relates_to=day)
    evaluation = plan_evaluate(
        plan=scheduled_plan, period=plan_period(plan=scheduled_plan, name="q1"), today=D(2023, 4, 2)
    )
    (status,) = [
        s for s in evaluation.by_criterion.values() if s.criterion.measure_id == measure.pk
    ]
    assert status.evaluation.status == Status.NOT_MET
    assert status.evaluation.missing == ["2023 оны 2 дугаар сар"]
    assert (status.evaluation.count, status.evaluation.target) == (2, 3)


def test_a_second_plan_for_the_year_is_refused_unless_it_replaces_or_revises(org, seed_bytes):
    from django.core.exceptions import ValidationError

    document = read_plan_document(seed_bytes)
    first = plan_create_from_document(organization=org, document=document, actor=None)
    with pytest.raises(ValidationError) as exc:
        plan_create_from_document(organization=org, document=document, actor=None)
    assert exc.value.code == "plan_exists"
    second = plan_create_from_document(
        organization=org, document=document, actor=None, on_existing="replace"
    )
    assert list(Plan.objects.filter(organization=org)) == [second]
    Plan.objects.filter(pk=second.pk).update(status="approved")
    with pytest.raises(ValidationError) as exc:
        plan_create_from_document(
            organization=org, document=document, actor=None, on_existing="replace"
        )
    assert exc.value.code == "not_a_draft"
    third = plan_create_from_document(
        organization=org, document=document, actor=None, on_existing="revision"
    )
    assert third.revision_of == second
    assert not Plan.objects.filter(pk=first.pk).exists()


def test_the_command_line_asks_before_a_second_plan_of_the_year(tmp_path, seed_bytes):
    from django.core.management import CommandError

    path = tmp_path / "seed.txt"
    path.write_bytes(seed_bytes)
    call_command("import_plan", str(path), "--org", "NEW")
    with pytest.raises(CommandError, match="--replace or --revision"):
        call_command("import_plan", str(path), "--org", "NEW")
    call_command("import_plan", str(path), "--org", "NEW", "--revision")
    assert Plan.objects.filter(organization__code="NEW").count() == 2
