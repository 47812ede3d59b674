"""Drafted implementation texts: Mongolian sentences from the period's records."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from shudarga.criteria.rules import Coverage
from shudarga.reports import drafting
from shudarga.reports.drafting import MeasureFacts, PetitionFigures, draft_text
from shudarga.reports.selectors import draft_facts
from shudarga.reports.services import report_create
from tests.factories import (
    BoardUpdateFactory,
    ContractFactory,
    EventFactory,
    EvidenceFactory,
    PetitionFactory,
    PublicationFactory,
    StaffMemberFactory,
    TrainingFactory,
)


def _facts(**rows) -> MeasureFacts:
    return MeasureFacts(
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        today=dt.date(2024, 1, 10),
        rows=rows,
    )


def _row(pk, **fields):
    return SimpleNamespace(pk=pk, **fields)


def test_it_says_so_when_nothing_was_recorded():
    assert draft_text(_facts()) == drafting.NOTHING_RECORDED


def test_publications_count_channels_views_and_the_hotline():
    rows = [
        _row(1, date=dt.date(2023, 3, 1), title="Шторк", channels=["facebook", "website"],
             material="spot", produced_by="own", copies=100, views=12000, shows_hotline=True),
        _row(2, date=dt.date(2023, 5, 2), title="Нийтлэл", channels=["website"],
             material="article", produced_by="own", copies=None, views=345,
             shows_hotline=False),
    ]  # fmt: skip
    text = draft_text(_facts(publications=rows))
    # Two materials, whatever the number of channels each went out on.
    assert "Тайлант хугацаанд 2 материал нийтэлж, түгээсэн: шторк 1, нийтлэл 1." in text
    assert "Түгээсэн суваг: албан ёсны цахим хуудас 2, Facebook 1." in text
    assert "Үр дүн: тараасан хувь 100, үзэлт 12 345." in text
    assert "110 дугаарыг харуулсан материал: 1, харуулаагүй: 1." in text
    assert "«Шторк» (2023.03.01, Facebook, албан ёсны цахим хуудас, 12 000 үзэлт)" in text


def test_events_count_participants_and_list_each_one():
    rows = [
        _row(1, date=dt.date(2023, 4, 12), kind="awareness_day", title="Өдөрлөг",
             participants=120, outcome="Санал авсан.", follow_up=""),
        _row(2, date=dt.date(2023, 9, 9), kind="outreach", title="Аян",
             participants=85, outcome="Санал авсан.", follow_up="Журам өөрчилсөн."),
    ]  # fmt: skip
    text = draft_text(_facts(events=rows))
    assert "2 арга хэмжээ зохион байгуулсан, нийт 205 хүн оролцсон" in text
    assert "(өдөрлөг 1, нөлөөллийн арга хэмжээ 1)" in text  # the choices' Mongolian labels
    assert "«Өдөрлөг» (2023.04.12, 120 оролцогч); «Аян» (2023.09.09, 85 оролцогч)." in text
    assert "Үр дүн: Санал авсан." in text  # the same outcome once
    assert "Авсан арга хэмжээ: Журам өөрчилсөн." in text


def test_the_board_names_the_months_it_missed():
    rows = [
        _row(m, date=dt.date(2023, m, 10), content=f"Мэдээ {m}") for m in range(1, 13) if m != 8
    ]
    text = draft_text(_facts(**{"board-updates": rows}))
    assert "11 удаа шинэчилсэн (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12 дугаар сар)" in text
    assert "Шинэчлээгүй сар: 8 дугаар сар." in text


def test_the_board_does_not_count_months_still_running():
    facts = _facts(**{"board-updates": [_row(1, date=dt.date(2023, 1, 5), content="Мэдээ")]})
    facts.today = dt.date(2023, 3, 15)
    assert "Шинэчлээгүй сар: 2 дугаар сар." in draft_text(facts)  # March is not over


def test_contracts_count_each_clause_and_name_the_lacking():
    rows = [
        _row(1, number="ГЭ-1", counterparty="А ХХК", clause_anti_corruption=True,
             clause_duty_to_report=True, clause_damages=True),
        _row(2, number="ГЭ-2", counterparty="Б ХХК", clause_anti_corruption=True,
             clause_duty_to_report=True, clause_damages=False),
    ]  # fmt: skip
    text = draft_text(_facts(contracts=rows))
    assert "2 гэрээ байгуулсан" in text
    assert "гэрээ цуцлахад хохирол барагдуулах заалт — 1" in text
    assert "Бүх заалтыг тусгаагүй гэрээ: ГЭ-2 Б ХХК." in text


def test_new_appointees_and_who_was_not_trained():
    ariunaa = _row(1, name="Н.Ариунаа", appointed_on=dt.date(2023, 2, 1))
    olzii = _row(2, name="Ж.Өлзийбаяр", appointed_on=dt.date(2023, 3, 1))
    gone = _row(3, name="Т.Гарсан", appointed_on=dt.date(2023, 4, 1))
    facts = _facts(staff=[ariunaa, olzii, gone])
    facts.coverage = Coverage(days=90, population=[ariunaa, olzii], covered=[ariunaa],
                              missing=[olzii], left=[gone])  # fmt: skip
    text = draft_text(facts)
    assert "2 албан хаагч шинээр томилогдсоноос 1 нь 90 хоногийн дотор" in text
    assert "Хамрагдаагүй: Ж.Өлзийбаяр." in text
    assert "ажлаас гарсан (тооцоогүй): Т.Гарсан." in text


def test_petitions_and_evidence_close_the_text():
    facts = _facts()
    facts.petitions = PetitionFigures(
        received=14, answered=10, transferred=2, on_time=11, late=1, overdue=0, open=2
    )
    facts.evidence = [SimpleNamespace(kind="file"), SimpleNamespace(kind="link")]
    text = draft_text(facts)
    assert "14 өргөдөл, гомдол хүлээн авсан" in text
    assert "хугацаандаа шийдвэрлэсэн 11" in text
    assert text.endswith("Нотлох баримт 2 хавсаргасан (файл 1, холбоос 1).")


@pytest.mark.django_db
def test_the_seed_plan_drafts_from_its_registers(seed_plan):
    org = seed_plan.organization
    measures = {m.code: m for m in seed_plan.measures.all()}
    PublicationFactory(organization=org, date="2023-02-01", views=1000, measures=[measures["1.1"]])
    EventFactory(organization=org, date="2023-02-02", participants=40, measures=[measures["4.2"]])
    EventFactory(organization=org, date="2022-12-31", measures=[measures["4.2"]])  # last year
    for month in (1, 2, 3, 4, 5, 6):
        BoardUpdateFactory(organization=org, date=f"2023-0{month}-15")  # linked to nothing
    ContractFactory(organization=org, date="2023-03-03", clause_damages=False)
    appointee = StaffMemberFactory(
        organization=org, name="Т.Төмөрбаатар", appointed_on="2023-04-01"
    )
    TrainingFactory(organization=org, date="2023-05-05", attendees=[appointee],
                    measures=[measures["2.1"]])  # fmt: skip
    EvidenceFactory(measure=measures["1.1"], relates_to=dt.date(2023, 2, 3))
    PetitionFactory(organization=org, received_on=dt.date(2023, 3, 1))
    EventFactory(organization=EventFactory().organization, date="2023-02-02")  # another org

    report = report_create(plan=seed_plan, period="h1", actor=None, today=dt.date(2023, 7, 2))
    text = dict(report.items.values_list("measure__code", "text"))
    assert "1 материал нийтэлж" in text["1.1"] and "Нотлох баримт 1 хавсаргасан" in text["1.1"]
    assert "1 арга хэмжээ зохион байгуулсан, нийт 40 хүн оролцсон" in text["4.2"]
    # The board's rule counts every row of the organization, linked or not.
    assert "6 удаа шинэчилсэн" in text["1.3"]
    assert "1 гэрээ байгуулсан" in text["3.1"]
    assert "1 албан хаагч шинээр томилогдсоноос 1 нь" in text["2.1"]
    assert "1 өргөдөл, гомдол хүлээн авсан" in text["5.5"]
    assert text["2.2"] == drafting.NOTHING_RECORDED


@pytest.mark.django_db
def test_drafting_takes_a_fixed_number_of_queries(seed_plan, django_assert_max_num_queries):
    report = report_create(plan=seed_plan, period="year", actor=None)
    from shudarga.plans.selectors import plan_goals_for_page

    goals = plan_goals_for_page(plan=seed_plan)
    # rules; the period's facts: 10 registers (rows joined with their measures, one query
    # each), training attendees, evidence, petitions, surveys, reports; the petition
    # figures; survey responses, their scale answers and the surveys answered (the seed's
    # 4.3 is about the survey); the evaluation memo's key (on in tests since issue 17): the
    # organization's newest change and its newest survey answer
    with django_assert_max_num_queries(22):
        draft_facts(report=report, goals=goals)
