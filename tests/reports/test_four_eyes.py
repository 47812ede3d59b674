"""The four-eyes rule on reports (issue 16, finding 1): whoever submitted a report cannot
score, review or approve it; whoever reviewed or scored it cannot approve it; on by default,
turned off per organization only by its leader, with a reason, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.organizations.roles import Role
from shudarga.organizations.services import membership_grant
from shudarga.reports import services
from shudarga.reports.models import Report
from shudarga.reports.selectors import report_page
from tests.factories import MembershipFactory, UserFactory
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


def _score_due(report, actor):
    for row in report_page(report=report, with_evidence=False).rows:
        if row.due:
            services.report_item_score(report=report, measure=row.measure, actor=actor, score=100)


@pytest.fixture
def one_person(org, coordinator):
    """A coordinator who also holds the reviewer role (granted by the system: the app no
    longer lets anyone grant it to themselves)."""
    MembershipFactory(user=coordinator, organization=org, role=Role.REVIEWER)
    return coordinator


def test_the_attack_of_finding_1_fails_at_every_step(org, one_person, year_report):
    """The coordinator gives themselves the reviewer role: refused. Holding both roles
    anyway, they submit, then cannot score, mark reviewed or approve their own report."""
    with pytest.raises(PermissionDenied):
        membership_grant(user=one_person, organization=org, role=Role.LEADER, actor=one_person)
    report = services.report_submit(report=year_report, actor=one_person, today=AFTER_THE_YEAR)
    with pytest.raises(ValidationError, match="someone else must review") as caught:
        _score_due(report, one_person)
    assert caught.value.code == "four_eyes"
    with pytest.raises(ValidationError, match="someone else must review"):
        services.report_mark_reviewed(report=report, actor=one_person)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert not report.items.exclude(score=None).exists()


def test_the_submitter_cannot_approve_after_someone_else_reviews(one_person, reviewer, year_report):
    report = services.report_submit(report=year_report, actor=one_person, today=AFTER_THE_YEAR)
    _score_due(report, reviewer)
    report = services.report_mark_reviewed(report=report, actor=reviewer)
    with pytest.raises(ValidationError, match="You submitted this report, so someone else must"):
        services.report_approve(report=report, actor=one_person)


def test_the_reviewer_cannot_approve(org, officer, reviewer, year_report):
    """The reviewer role allows approving, but not a report one reviewed."""
    report = services.report_submit(report=year_report, actor=officer, today=AFTER_THE_YEAR)
    report = services.report_mark_reviewed(report=score_all(report, reviewer), actor=reviewer)
    with pytest.raises(ValidationError, match="You reviewed this report"):
        services.report_approve(report=report, actor=reviewer)
    assert Report.objects.get(pk=report.pk).status == Report.Status.REVIEWED


def test_whoever_scored_cannot_approve_though_another_marked_it_reviewed(
    org, officer, reviewer, year_report
):
    second = UserFactory(username="second-reviewer")
    MembershipFactory(user=second, organization=org, role=Role.REVIEWER)
    report = services.report_submit(report=year_report, actor=officer, today=AFTER_THE_YEAR)
    _score_due(report, reviewer)
    report = services.report_mark_reviewed(report=report, actor=second)
    with pytest.raises(ValidationError, match="You reviewed this report"):
        services.report_approve(report=report, actor=reviewer)
    with pytest.raises(ValidationError, match="You reviewed this report"):
        services.report_approve(report=report, actor=second)


def test_a_third_person_approves(officer, reviewer, leader, year_report):
    report = services.report_submit(report=year_report, actor=officer, today=AFTER_THE_YEAR)
    report = services.report_mark_reviewed(report=score_all(report, reviewer), actor=reviewer)
    report = services.report_approve(report=report, actor=leader)
    assert (report.submitted_by, report.reviewed_by, report.approved_by) == (
        officer,
        reviewer,
        leader,
    )


def test_the_leader_turns_the_rule_off_with_a_reason_and_it_is_audited(
    org, one_person, leader, year_report
):
    with pytest.raises(ValidationError):
        services.report_policy_set(organization=org, four_eyes=False, reason=" ", actor=leader)
    services.report_policy_set(
        organization=org, four_eyes=False, reason="Нэг л ажилтантай", actor=leader
    )
    entry = AuditEntry.objects.get(action="report.policy_changed")
    assert entry.changes == {"four_eyes": [True, False], "reason": "Нэг л ажилтантай"}
    report = services.report_submit(report=year_report, actor=one_person, today=AFTER_THE_YEAR)
    _score_due(report, one_person)
    report = services.report_mark_reviewed(report=report, actor=one_person)
    assert services.report_approve(report=report, actor=one_person).status == "approved"


# -- pages ----------------------------------------------------------------------------------


def _url(name, report):
    return reverse(f"reports:{name}", args=[report.plan.organization.code, report.pk])


def test_the_pages_hold_back_the_buttons_and_say_why(client, one_person, year_report):
    report = services.report_submit(report=year_report, actor=one_person, today=AFTER_THE_YEAR)
    client.force_login(one_person)
    client.cookies["django_language"] = "en"
    html = client.get(_url("detail", report)).content.decode()
    assert 'data-test="four-eyes"' in html and 'value="review"' not in html
    measure = report.items.filter(due=True).first().measure
    measure_url = reverse(
        "reports:measure", args=[report.plan.organization.code, report.pk, measure.pk]
    )
    score_url = reverse(
        "reports:measure_score", args=[report.plan.organization.code, report.pk, measure.pk]
    )
    html = client.get(measure_url).content.decode()
    assert 'data-test="four-eyes"' in html and score_url not in html
    # Posting anyway changes nothing and says why.
    response = client.post(score_url, {"score": "100"}, follow=True)
    assert "someone else must review" in response.content.decode()
    response = client.post(_url("transition", report), {"transition": "review"}, follow=True)
    assert "someone else must review" in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED


def test_only_the_leader_changes_the_rules_and_every_member_reads_them(
    client, org, coordinator, reviewer, leader, auditor, outsider
):
    url = reverse("reports:rules", args=[org.code])
    for user in (coordinator, reviewer, auditor):
        client.force_login(user)
        assert client.get(url).status_code == 200
        assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400  # turning it off needs a reason
    assert client.post(url, {"reason": "Жижиг байгууллага"}).status_code == 302
    assert "Off" in client.get(url).content.decode()
    assert client.post(url, {"four_eyes": "on"}).status_code == 302
    assert "On" in client.get(url).content.decode()
    # Both changes are in the organization's history.
    history = client.get(reverse("history:organization", args=[org.code]))
    assert history.status_code == 200
