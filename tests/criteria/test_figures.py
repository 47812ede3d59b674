"""Issue 14, "Figures an official can sign": each complaint reproduced on the seed plan,
through the services and the pages, and shown fixed. The progress page, the drafted report
text and the dashboard read one source of facts, so they name the same people and counts.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from shudarga.criteria.rules import Status
from shudarga.criteria.selectors import plan_evaluate, plan_period
from shudarga.dashboards.selectors import organization_dashboard, parent_overview
from shudarga.petitions.models import SurveyResponse
from shudarga.petitions.services import survey_summarize
from shudarga.plans.services import plan_change_status
from shudarga.registers.models import StaffMember
from shudarga.reports.services import report_create, report_submit
from tests.factories import (
    BoardUpdateFactory,
    ContractFactory,
    EvidenceFactory,
    PublicationFactory,
    RiskFactory,
    StaffMemberFactory,
    SurveyFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db
UB = ZoneInfo("Asia/Ulaanbaatar")

AFTER = dt.date(2024, 1, 20)  # the year 2023 is over
H1 = "h1"


def _criterion(plan, code, index=0):
    return plan.measures.get(code=code).criteria.order_by("position")[index]


def _status(plan, code, index=0, *, period="year", today=AFTER):
    with translation.override("en"):
        evaluation = plan_evaluate(
            plan=plan, period=plan_period(plan=plan, name=period), today=today
        )
        return evaluation.by_criterion[_criterion(plan, code, index).pk]


def _measure(plan, code):
    return plan.measures.get(code=code)


# -- one material counts once ------------------------------------------------------------


def test_one_poster_on_two_channels_is_one_material_for_1_4(seed_plan):
    PublicationFactory(
        organization=seed_plan.organization,
        date=dt.date(2023, 3, 1),
        title="Шударга байдлын зурагт хуудас",
        material="poster",
        produced_by="own",
        channels=["facebook", "website"],
        measures=[_measure(seed_plan, "1.4")],
    )
    status = _status(seed_plan, "1.4", 0)  # 2-оос доошгүй сурталчилгааны материал
    assert (status.evaluation.status, status.evaluation.count) == (Status.NOT_MET, 1)
    # The explanation names the row it counted, with its channels.
    assert "«Шударга байдлын зурагт хуудас (Official website, Facebook)»" in (
        status.evaluation.message
    )
    report = report_create(plan=seed_plan, period="year", actor=None, today=AFTER)
    text = report.items.get(measure__code="1.4").text
    assert "1 материал нийтэлж" in text
    assert "Түгээсэн суваг: албан ёсны цахим хуудас 1, Facebook 1." in text


def test_a_second_material_meets_1_4_and_both_are_named(seed_plan):
    for title in ("Зурагт хуудас", "Видео шторк"):
        PublicationFactory(
            organization=seed_plan.organization,
            date=dt.date(2023, 4, 1),
            title=title,
            produced_by="own",
            channels=["facebook"],
            measures=[_measure(seed_plan, "1.4")],
        )
    status = _status(seed_plan, "1.4", 0)
    assert (status.evaluation.status, status.evaluation.count) == (Status.MET, 2)
    assert "«Видео шторк (Facebook)»" in status.evaluation.message


# -- monthly evidence --------------------------------------------------------------------


def test_one_january_link_does_not_meet_monthly_evidence_for_1_3(seed_plan):
    EvidenceFactory(measure=_measure(seed_plan, "1.3"), relates_to=dt.date(2023, 1, 20))
    status = _status(seed_plan, "1.3", 1)  # Тайланд сар бүр шинэчилсэн нотломжийг хавсаргасан
    assert status.rule.per == "month"
    assert status.evaluation.status == Status.NOT_MET
    assert (status.evaluation.count, status.evaluation.target) == (1, 12)
    assert "February 2023" in status.evaluation.missing
    assert "January 2023" not in status.evaluation.missing


def test_evidence_in_every_month_meets_1_3(seed_plan):
    for month in range(1, 13):
        EvidenceFactory(measure=_measure(seed_plan, "1.3"), relates_to=dt.date(2023, month, 5))
    assert _status(seed_plan, "1.3", 1).evaluation.status == Status.MET


# -- "every …" with nothing to check -----------------------------------------------------


def test_every_contract_and_every_material_have_nothing_to_check_without_rows(
    client, officer, seed_plan
):
    for index in (0, 1, 2):  # the three clauses of 3.1
        status = _status(seed_plan, "3.1", index)
        assert status.evaluation.status == Status.NOTHING_TO_CHECK
    assert _status(seed_plan, "1.4", 2).evaluation.status == Status.NOTHING_TO_CHECK  # 110
    evaluation = plan_evaluate(plan=seed_plan, today=AFTER)
    assert evaluation.counts()[Status.MET] == 0  # nothing is met by nothing

    client.force_login(officer)
    with time_machine.travel(dt.datetime(2024, 1, 20, 12, tzinfo=UB), tick=False):
        html = client.get(
            reverse("criteria:progress", args=[seed_plan.organization.code, seed_plan.pk])
        ).content.decode()
    # Every authority material with its reach, every own material published and showing
    # 110, the 3 clauses, every recommendation acted on, new appointees, petitions: 9
    assert 'data-test="nothing-to-check">9<' in html


def test_nothing_to_check_is_left_out_of_the_percent(seed_plan):
    ContractFactory(organization=seed_plan.organization, date=dt.date(2023, 5, 1),
                    clause_damages=True)  # fmt: skip
    with time_machine.travel(dt.datetime(2024, 1, 20, 12, tzinfo=UB), tick=False):
        board = organization_dashboard(organization=seed_plan.organization, today=AFTER)
    counts = board.counts
    # The percent counts met and not met only, as a report leaves ХБ out.
    met, not_met = counts[Status.MET], counts[Status.NOT_MET]
    assert board.percent == (None if not met + not_met else board.percent)
    goal_3 = next(g for g in board.goals if g.goal.number == 3)
    assert goal_3.met == 3  # the contract has the three clauses
    assert goal_3.nothing_to_check == 0


# -- people who left ---------------------------------------------------------------------


def test_an_appointee_who_left_after_ten_days_is_not_counted_for_2_1(seed_plan):
    StaffMemberFactory(
        organization=seed_plan.organization,
        name="Б.Явсан",
        appointed_on=dt.date(2023, 2, 1),
        left_on=dt.date(2023, 2, 11),
    )
    status = _status(seed_plan, "2.1", 0)
    assert status.evaluation.status == Status.NOTHING_TO_CHECK
    assert "Б.Явсан" in status.evaluation.message  # named as not counted
    assert status.evaluation.missing == []


def test_the_report_and_the_progress_page_name_the_same_untrained_person(
    client, officer, seed_plan
):
    org = seed_plan.organization
    trained = StaffMemberFactory(organization=org, name="А.Сурсан", appointed_on="2023-01-10")
    StaffMemberFactory(organization=org, name="Г.Сураагүй", appointed_on="2023-02-01")
    StaffMemberFactory(organization=org, name="Д.Гарсан", appointed_on="2023-03-01",
                       left_on="2023-03-10")  # fmt: skip
    # A training of the half-year, but too late (and of another kind) for Г.Сураагүй.
    TrainingFactory(organization=org, date="2023-02-01", kind="anti_corruption",
                    attendees=[trained])  # fmt: skip
    TrainingFactory(organization=org, date="2023-06-20", kind="anti_corruption",
                    attendees=list(StaffMember.objects.filter(name="Г.Сураагүй")))  # fmt: skip
    today = dt.date(2023, 7, 5)
    status = _status(seed_plan, "2.1", 0, period=H1, today=today)
    assert status.evaluation.missing == ["Г.Сураагүй"]

    report = report_create(plan=seed_plan, period=H1, actor=None, today=today)
    text = report.items.get(measure__code="2.1").text
    assert "Хамрагдаагүй: Г.Сураагүй." in text
    assert "А.Сурсан" not in text.split("Хамрагдаагүй")[1]
    assert "(тооцоогүй): Д.Гарсан" in text

    client.force_login(officer)
    with time_machine.travel(dt.datetime(2023, 7, 5, 12, tzinfo=UB), tick=False):
        url = reverse(
            "criteria:detail", args=[org.code, seed_plan.pk, _criterion(seed_plan, "2.1").pk]
        )
        html = client.get(url, {"period": H1}).content.decode()
    assert "Г.Сураагүй" in html and "Д.Гарсан" in html


# -- the survey's results ----------------------------------------------------------------


def _answers(survey, n):
    SurveyResponse.objects.bulk_create([SurveyResponse(survey=survey) for _ in range(n)])
    SurveyResponse.objects.filter(survey=survey).update(
        submitted_at=dt.datetime(2023, 6, 1, 12, tzinfo=dt.UTC)
    )


def test_one_survey_answer_is_not_a_result_for_4_3(seed_plan):
    survey = SurveyFactory(organization=seed_plan.organization)
    _answers(survey, 1)
    status = _status(seed_plan, "4.3", 0)  # Бодитой үр дүнг тооцсон байх
    assert status.evaluation.status == Status.NOT_MET
    assert "no result written" in status.evaluation.message

    survey_summarize(
        survey=survey,
        result="Үйлчилгээний хүлээлгийг 62% нь хүндрэл гэж үзсэн.",
        actions_taken="Цахим дугаар олгох системтэй болсон.",
        on=dt.date(2023, 7, 1),
        actor=None,
    )
    assert _status(seed_plan, "4.3", 0).evaluation.status == Status.MET
    report = report_create(plan=seed_plan, period="year", actor=None, today=AFTER)
    text = report.items.get(measure__code="4.3").text
    assert "судалгааны дүн: Үйлчилгээний хүлээлгийг 62% нь хүндрэл гэж үзсэн." in text
    assert "Авсан арга хэмжээ: Цахим дугаар олгох системтэй болсон." in text


# -- the pages agree ---------------------------------------------------------------------


def test_the_dashboard_counts_organization_wide_rows_as_recorded(seed_plan, parent_org):
    org = seed_plan.organization
    for month in range(1, 12):  # board updates in 11 months, linked to no measure
        BoardUpdateFactory(organization=org, date=dt.date(2023, month, 15))
    ContractFactory.create_batch(8, organization=org, date=dt.date(2023, 5, 1))
    RiskFactory(organization=org, date=dt.date(2023, 4, 1))
    with time_machine.travel(dt.datetime(2023, 12, 20, 12, tzinfo=UB), tick=False):
        board = organization_dashboard(organization=org, today=dt.date(2023, 12, 20))
        evaluation = plan_evaluate(plan=seed_plan, today=dt.date(2023, 12, 20))
    idle = {m.code for m in board.idle_measures}
    assert not idle & {"1.3", "3.1", "4.1"}
    # The progress page's facts say the same of every measure.
    measures = [m for g in evaluation.goals for m in g.measures.all()]
    assert idle == {m.code for m in measures if not evaluation.recorded(m)}
    status = evaluation.by_criterion[_criterion(seed_plan, "1.3").pk].evaluation
    assert (status.count, status.target) == (11, 11)
    # The parent body's view counts the same measures as overdue-with-nothing-recorded.
    parent_org.user_roles = {"auditor"}
    overview = parent_overview(organization=parent_org, today=dt.date(2023, 12, 20))
    row = next(r for r in overview.rows if r.organization.pk == org.pk)
    assert row.overdue_measures == len(idle)


# -- known to the system itself ----------------------------------------------------------


def test_the_plan_published_and_the_report_submitted_meet_5_3(seed_plan, reviewer, leader):
    assert _status(seed_plan, "5.3", 0).evaluation.status == Status.NOT_MET
    plan_change_status(plan=seed_plan, transition="approve", actor=reviewer)
    plan_change_status(plan=seed_plan, transition="publish", actor=leader)
    seed_plan.refresh_from_db()
    assert _status(seed_plan, "5.3", 0).evaluation.status == Status.MET

    report = report_create(plan=seed_plan, period=H1, actor=None, today=dt.date(2023, 7, 1))
    late = _status(seed_plan, "5.3", 2, today=AFTER)  # Тайлагнасан байх
    assert late.evaluation.status == Status.NOT_MET
    assert "Half" in late.evaluation.message
    with time_machine.travel(dt.datetime(2023, 7, 8, 12, tzinfo=UB), tick=False):
        report_submit(report=report, actor=None, today=dt.date(2023, 7, 8))
    assert _status(seed_plan, "5.3", 2, today=AFTER).evaluation.status == Status.MET
