"""Report services: creation with drafted texts, the officer's and reviewer's parts, the
workflow with who and when, and every refusal the issue lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from shudarga.core.models import AuditEntry
from shudarga.plans.services import plan_delete
from shudarga.reports import services
from shudarga.reports.models import Report, ReportEvent, ReportItem
from shudarga.reports.selectors import report_page
from tests.factories import EventFactory, MeasureFactory
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


def _measure(report, code):
    return report.plan.measures.get(code=code)


def test_it_creates_a_report_with_a_drafted_item_per_measure(seed_plan, coordinator):
    EventFactory(
        organization=seed_plan.organization,
        date="2023-04-12",
        kind="awareness_day",
        title="Шударга ёс өдөрлөг",
        participants=120,
        measures=[seed_plan.measures.get(code="1.2")],
    )
    report = services.report_create(
        plan=seed_plan, period="h1", actor=coordinator, today=AFTER_THE_YEAR
    )
    assert report.status == Report.Status.DRAFT
    assert report.due_date == dt.date(2023, 7, 10)  # 10 days after the half-year
    assert report.items.count() == 19
    text = report.items.get(measure__code="1.2").text
    assert "1 арга хэмжээ зохион байгуулсан, нийт 120 хүн оролцсон" in text
    assert "«Шударга ёс өдөрлөг» (2023.04.12, 120 оролцогч)" in text
    assert report.events.get().action == ReportEvent.Action.CREATED
    assert AuditEntry.objects.filter(action="report.created", object_id=str(report.pk)).exists()


def test_it_creates_the_half_year_and_year_reports_once(seed_plan, coordinator):
    first = services.report_create_defaults(plan=seed_plan, actor=coordinator)
    assert sorted(r.period for r in first) == ["h1", "year"]
    assert services.report_create_defaults(plan=seed_plan, actor=coordinator) == []


def test_it_refuses_a_second_report_for_the_same_period(year_report, coordinator):
    with pytest.raises(ValidationError, match="already has a report"):
        services.report_create(plan=year_report.plan, period="year", actor=coordinator)


def test_it_refuses_an_unknown_period(seed_plan, coordinator):
    with pytest.raises(ValidationError, match="Unknown reporting period"):
        services.report_create(plan=seed_plan, period="h3", actor=coordinator)


def test_the_officer_edits_and_redrafting_keeps_the_edit(year_report, officer):
    measure = _measure(year_report, "1.2")
    item = services.report_item_save(
        report=year_report,
        measure=measure,
        actor=officer,
        text="Хоёр өдөрлөг зохион байгуулсан.",
        self_score=100,
    )
    assert item.text_edited and item.self_score == 100
    services.report_redraft(report=year_report, actor=officer, today=AFTER_THE_YEAR)
    assert ReportItem.objects.get(pk=item.pk).text == "Хоёр өдөрлөг зохион байгуулсан."
    # Asking for this measure's draft replaces the edit.
    services.report_redraft(report=year_report, actor=officer, measure=measure)
    item.refresh_from_db()
    assert not item.text_edited and "бүртгэгдсэн ажил байхгүй" in item.text


def test_a_missed_target_needs_a_reason(year_report, officer):
    measure = _measure(year_report, "1.2")
    with pytest.raises(ValidationError) as exc:
        services.report_item_save(
            report=year_report, measure=measure, actor=officer, text="…", target_reached=False
        )
    assert "shortfall_reason" in exc.value.message_dict
    item = services.report_item_save(
        report=year_report,
        measure=measure,
        actor=officer,
        text="…",
        achieved="1 өдөрлөг",
        target_reached=False,
        shortfall_reason="Төсөв хүрэлцээгүй.",
    )
    assert (item.achieved, item.shortfall_reason) == ("1 өдөрлөг", "Төсөв хүрэлцээгүй.")


def test_it_refuses_a_self_assessment_off_the_scale(year_report, officer):
    with pytest.raises(ValidationError, match="not on the scale"):
        services.report_item_save(
            report=year_report,
            measure=_measure(year_report, "1.1"),
            actor=officer,
            text="",
            self_score=55,
        )


def test_the_full_workflow_records_who_and_when(year_report, officer, reviewer, leader):
    report = services.report_submit(report=year_report, actor=officer, today=AFTER_THE_YEAR)
    assert report.status == "submitted" and report.submitted_by == officer
    assert report.items.filter(due=True).count() == 19  # fixed at submission
    score_all(report, reviewer, {"1.3": 70, "2.1": 30, "2.2": 0})
    report = services.report_mark_reviewed(report=report, actor=reviewer)
    assert report.reviewed_by == reviewer and report.reviewed_at is not None
    report = services.report_approve(report=report, actor=leader)
    assert report.status == "approved" and report.is_locked
    assert report.approved_by == leader and report.approved_at is not None
    assert list(report.events.values_list("action", "actor_label")) == [
        ("created", "coordinator"),
        ("submitted", "officer"),
        ("reviewed", "reviewer"),
        ("approved", "leader"),
    ]
    # (16·100 + 70 + 30 + 0) / 19 = 89.47… → 89.4
    assert report_page(report=report).percent_text == "89.4"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "report.submitted",
        "report.item_scored",
        "report.reviewed",
        "report.approved",
    } <= actions


def test_it_refuses_to_score_outside_the_scale(year_report, officer, reviewer):
    report = services.report_submit(report=year_report, actor=officer)
    for bad in (50, 101, -1, "много"):
        with pytest.raises(ValidationError, match="not on the scale; use one of 100, 70, 30, 0"):
            services.report_item_score(
                report=report, measure=_measure(report, "1.1"), actor=reviewer, score=bad
            )
    assert not report.items.filter(score__isnull=False).exists()


def test_it_refuses_to_score_a_measure_not_yet_due(h1_report, officer, reviewer):
    report = services.report_submit(report=h1_report, actor=officer)
    with pytest.raises(
        ValidationError, match=r"1\.2 is not yet due in this period; it is marked ХБ"
    ):
        services.report_item_score(
            report=report, measure=_measure(report, "1.2"), actor=reviewer, score=100
        )


def test_it_refuses_to_score_a_draft(year_report, reviewer):
    with pytest.raises(ValidationError, match="once the officer has submitted"):
        services.report_item_score(
            report=year_report, measure=_measure(year_report, "1.1"), actor=reviewer, score=100
        )


def test_it_refuses_to_mark_reviewed_or_approve_with_unscored_due_measures(
    year_report, officer, reviewer, leader
):
    report = services.report_submit(report=year_report, actor=officer)
    services.report_item_score(
        report=report, measure=_measure(report, "1.1"), actor=reviewer, score=100
    )
    with pytest.raises(ValidationError, match="18 due measures have no score"):
        services.report_mark_reviewed(report=report, actor=reviewer)
    with pytest.raises(ValidationError, match=r"cannot be approved: 18 due measures .*1\.2, 1\.3"):
        services.report_approve(report=report, actor=leader)
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_a_measure_added_after_review_blocks_approval(year_report, officer, reviewer, leader):
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    goal = report.plan.goals.get(number=5)
    MeasureFactory(goal=goal, plan=report.plan, code="5.9", position=99)
    with pytest.raises(ValidationError, match=r"1 due measures have no score \(5\.9\)"):
        services.report_approve(report=report, actor=leader)


def test_an_approved_report_is_locked(year_report, officer, reviewer, leader):
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    report = services.report_approve(report=report, actor=leader)
    measure = _measure(report, "1.1")
    locked = "approved and locked"
    with pytest.raises(ValidationError, match=locked):
        services.report_item_save(report=report, measure=measure, actor=officer, text="Өөр")
    with pytest.raises(ValidationError, match=locked):
        services.report_item_score(report=report, measure=measure, actor=reviewer, score=70)
    with pytest.raises(ValidationError, match=locked):
        services.report_comment_add(report=report, measure=measure, actor=reviewer, text="?")
    with pytest.raises(ValidationError, match=locked):
        services.report_redraft(report=report, actor=officer)
    with pytest.raises(ValidationError, match=locked):
        services.report_set_due_date(report=report, due_date=dt.date(2024, 2, 1), actor=officer)
    with pytest.raises(ValidationError, match="already approved"):
        services.report_approve(report=report, actor=leader)
    assert ReportItem.objects.get(report=report, measure=measure).score == 100


def test_the_officer_cannot_change_the_text_once_submitted(year_report, officer):
    report = services.report_submit(report=year_report, actor=officer)
    with pytest.raises(ValidationError, match="after the reviewer sends it back"):
        services.report_item_save(
            report=report, measure=_measure(report, "1.1"), actor=officer, text="Өөр"
        )


def test_reopening_needs_a_reason_and_is_recorded(year_report, officer, reviewer, leader):
    report = services.report_mark_reviewed(report=score_all(year_report, reviewer), actor=reviewer)
    report = services.report_approve(report=report, actor=leader)
    with pytest.raises(ValidationError) as exc:
        services.report_reopen(report=report, actor=leader, reason="  ")
    assert "reason" in exc.value.message_dict
    report = services.report_reopen(report=report, actor=leader, reason="АТГ-ын засвар ирсэн.")
    assert report.status == "draft" and report.approved_by is None
    event = report.events.last()
    assert (event.action, event.reason, event.from_status) == (
        "reopened",
        "АТГ-ын засвар ирсэн.",
        "approved",
    )
    entry = AuditEntry.objects.get(action="report.reopened")
    assert entry.changes["reason"] == "АТГ-ын засвар ирсэн."
    # Scores stay; the officer may write again.
    assert report.items.filter(score=100).count() == 19
    services.report_item_save(
        report=report, measure=_measure(report, "1.1"), actor=officer, text="Засварласан."
    )


def test_comments_go_between_reviewer_and_officer(year_report, officer, reviewer):
    measure = _measure(year_report, "1.3")
    services.report_comment_add(
        report=year_report, measure=measure, actor=reviewer, text="8-р сар дутуу байна."
    )
    services.report_comment_add(
        report=year_report, measure=measure, actor=officer, text="Нотломжийг нэмлээ."
    )
    item = year_report.items.get(measure=measure)
    assert list(item.comments.values_list("author_label", "text")) == [
        ("reviewer", "8-р сар дутуу байна."),
        ("officer", "Нотломжийг нэмлээ."),
    ]
    with pytest.raises(ValidationError):
        services.report_comment_add(report=year_report, measure=measure, actor=officer, text=" ")


def test_a_scored_measure_cannot_be_deleted(year_report, officer, reviewer):
    report = score_all(year_report, reviewer)
    measure = _measure(report, "1.1")
    with pytest.raises(ProtectedError):
        measure.delete()
    # The plan's own delete says so in words, and keeps everything.
    with pytest.raises(ValidationError, match="cannot be deleted"):
        plan_delete(plan=report.plan, actor=officer)
    assert ReportItem.objects.get(report=report, measure=measure).score == 100


def test_a_measure_of_another_plan_is_refused(year_report, officer, other_plan):
    with pytest.raises(ValidationError, match="not part of this report's plan"):
        services.report_item_save(
            report=year_report,
            measure=other_plan.measures.get(code="1.1"),
            actor=officer,
            text="…",
        )


def test_submission_fixes_which_measures_are_due(h1_report, officer, coordinator):
    report = services.report_submit(report=h1_report, actor=officer)
    due = dict(report.items.values_list("measure__code", "due"))
    assert due["1.1"] is False  # year end by default: ХБ in the half-year
    # A schedule change after submission does not move the submitted report.
    report.plan.measures.filter(code="1.1").update(recurrence="monthly")
    assert not next(r for r in report_page(report=report).rows if r.measure.code == "1.1").due
    # Reopened, the draft follows the schedule again.
    report = services.report_reopen(report=report, actor=coordinator, reason="Хуваарь өөрчлөгдсөн")
    assert next(r for r in report_page(report=report).rows if r.measure.code == "1.1").due
