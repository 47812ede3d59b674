"""Issue 18: the parent body scores a subordinate organization's report beside the
organization's own score, returns it for correction, re-evaluates the correction and
approves (and seals) its evaluation. Both scores and both percents on the pages, in every
export and in the API."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry, Seal
from shudarga.notifications.models import Notification
from shudarga.organizations.roles import Role
from shudarga.reports import evaluation, services
from shudarga.reports.documents import pdf
from shudarga.reports.documents.model import PLAN_TOTAL
from shudarga.reports.models import ParentEvaluation, Report, ReportEvent
from shudarga.reports.sealing import seal_verify
from shudarga.reports.selectors import report_page, report_to_document
from tests.api.conftest import Api, make_token
from tests.factories import MembershipFactory, UserFactory
from tests.reports.conftest import AFTER_THE_YEAR, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_report(seed_plan, coordinator, reviewer, leader):
    """The organization's year report: submitted, scored by its reviewer (all 100 but 1.1
    at 70), reviewed and approved by its leader."""
    report = services.report_create(
        plan=seed_plan, period="year", actor=coordinator, today=AFTER_THE_YEAR
    )
    report = services.report_submit(report=report, actor=coordinator, today=AFTER_THE_YEAR)
    score_all(report, reviewer, scores={"1.1": 70})
    services.report_mark_reviewed(report=Report.objects.get(pk=report.pk), actor=reviewer)
    return services.report_approve(report=Report.objects.get(pk=report.pk), actor=leader)


def _url(name, report, *args):
    return reverse(f"reports:{name}", args=[report.plan.organization.code, report.pk, *args])


def _parent_score(client, report, code, score, comment=""):
    measure = report.plan.measures.get(code=code)
    return client.post(
        _url("measure_parent_score", report, measure.pk),
        {"parent-score": str(score), "parent-comment": comment},
    )


def test_a_report_walks_from_submission_to_the_parents_approved_evaluation(
    client, approved_report, parent_reviewer, parent_leader, officer, coordinator, reviewer,
    leader, auditor,
):  # fmt: skip
    report = approved_report
    codes = [row.measure.code for row in report_page(report=report).rows if row.due]
    assert len(codes) == 19  # the year report: every measure of the seed plan is due

    # The parent's reviewer scores every due measure: 1.1 at 30, 2.1 at 0, the rest 100.
    client.force_login(parent_reviewer)
    for code in codes:
        score = {"1.1": 30, "2.1": 0}.get(code, 100)
        response = _parent_score(client, report, code, score, "Нотломж дутуу" * (code == "2.1"))
        assert response.status_code == 302, code
    page = report_page(report=report)
    # Both percents by one computation: (18·100 + 70) / 19 = 98.42… and (17·100 + 30) / 19.
    assert page.percent == Decimal("98.4")
    assert page.parent_percent == Decimal("91.0")
    assert page.evaluation.status == ParentEvaluation.Status.OPEN
    assert report.items.get(measure__code="1.1").score == 70  # the organization's stays

    # An off-scale score is refused and changes nothing.
    assert _parent_score(client, report, "1.2", 55).status_code == 400
    assert report.items.get(measure__code="1.2").parent_score == 100

    # The parent returns the report: it is a draft again, the reason is on its page.
    response = client.post(
        _url("parent_step", report), {"step": "return", "reason": "2.1-ийн нотломжийг хавсарга"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert ParentEvaluation.objects.get().status == ParentEvaluation.Status.RETURNED
    # Nothing to score while it is corrected.
    assert _parent_score(client, report, "2.1", 70).status_code == 302
    assert report.items.get(measure__code="2.1").parent_score == 0

    client.force_login(officer)
    page_html = client.get(_url("detail", report)).content.decode()
    assert "2.1-ийн нотломжийг хавсарга" in page_html
    assert "Returned for correction" in page_html
    measure = report.plan.measures.get(code="2.1")
    response = client.post(
        _url("measure_save", report, measure.pk), {"text": "Засварласан: нотломж хавсаргав."}
    )
    assert response.status_code == 302

    # The organization submits, reviews and approves the correction again.
    client.force_login(coordinator)
    client.post(_url("transition", report), {"transition": "submit"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert ParentEvaluation.objects.get().status == ParentEvaluation.Status.OPEN
    # The parent body's reviewer and leader are told the correction came back.
    told = Notification.objects.filter(event="report.parent_resubmitted")
    assert set(told.values_list("user__username", flat=True)) == {
        "aimag-reviewer",
        "aimag-leader",
    }
    services.report_mark_reviewed(report=report, actor=reviewer)
    services.report_approve(report=Report.objects.get(pk=report.pk), actor=leader)
    report.refresh_from_db()

    # The parent re-evaluates 2.1; the reviewer who scored may not approve (four eyes).
    client.force_login(parent_reviewer)
    assert _parent_score(client, report, "2.1", 70, "Засвар хүлээн авав").status_code == 302
    client.post(_url("parent_step", report), {"step": "approve"})
    assert ParentEvaluation.objects.get().status == ParentEvaluation.Status.OPEN

    client.force_login(parent_leader)
    response = client.post(_url("parent_step", report), {"step": "approve"})
    assert response.status_code == 302
    ev = ParentEvaluation.objects.get()
    assert ev.status == ParentEvaluation.Status.APPROVED and ev.approved_by == parent_leader
    page = report_page(report=report)
    assert page.parent_percent == Decimal("94.7")  # (17·100 + 30 + 70) / 19 = 94.73…
    told = Notification.objects.get(event="report.parent_approved", user=officer)
    assert "94.7%" in str(told.params)
    seal = Seal.objects.get(kind=Seal.Kind.EVALUATION)
    assert seal.object_id == ev.pk
    assert seal_verify(seal=seal).state == "intact"
    # Sealed: the parent's scores no longer change.
    client.force_login(parent_reviewer)
    _parent_score(client, report, "1.1", 100)
    assert report.items.get(measure__code="1.1").parent_score == 30

    steps = list(report.events.values_list("action", flat=True))
    assert steps.count(ReportEvent.Action.PARENT_RETURNED) == 1
    assert steps.count(ReportEvent.Action.PARENT_RESUBMITTED) == 1
    assert steps[-1] == ReportEvent.Action.PARENT_APPROVED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "report.parent_scored",
        "report.parent_returned",
        "report.parent_resubmitted",
        "report.parent_approved",
        "evaluation.sealed",
    } <= actions
    # The organization's own seal is the organization's: the parent's scores are not in it.
    report_seal = Seal.objects.filter(kind=Seal.Kind.REPORT).order_by("-id").first()
    assert seal_verify(seal=report_seal).state == "intact"

    # The descendant sees both scores and both percents.
    client.force_login(officer)
    html = client.get(_url("detail", report)).content.decode()
    assert "98.4%" in html and "94.7%" in html
    assert "Эх байгууллага" in html
    html = client.get(_url("measure", report, measure.pk)).content.decode()
    assert "Засвар хүлээн авав" in html

    # Exports: DOCX, XLSX, PDF and JSON carry the parent's column and percents.
    document = report_to_document(report=report)
    assert document.parent.percent_text == "94.7"
    official = "?layout=official"
    word = docx.Document(io.BytesIO(client.get(_url("export", report, "docx") + official).content))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Д/д")
    assert table.rows[0].cells[-1].text == "Эх байгууллага үнэлгээ"
    assert table.rows[-1].cells[-1].text == "94.7%"
    assert table.rows[-1].cells[-2].text == "98.4%"
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(_url("export", report, "xlsx") + official).content)
    ).active
    headers = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "Эх байгууллага үнэлгээ" in headers
    html = pdf.html(document)
    assert "Эх байгууллага үнэлгээ" in html and "94.7%" in html
    exported = json.loads(client.get(_url("export", report, "json")).content)
    assert exported["parent"]["percent_text"] == "94.7"

    # The API: both scores per measure, both percents per goal and for the plan.
    api = Api(client, make_token(auditor))
    data = api.get(f"/organizations/HOME/reports/{report.pk}").json()
    items = {i["code"]: i for g in data["goals"] for i in g["items"]}
    assert items["1.1"]["score"] == 70 and items["1.1"]["parent_score"] == 30
    assert items["2.1"]["parent_comment"] == "Засвар хүлээн авав"
    assert data["totals"]["percent"] == "98.4"
    assert data["totals"]["parent_percent"] == "94.7"
    assert data["parent_evaluation"]["status"] == "approved"
    assert data["goals"][0]["parent_percent"] == "82.5"  # goal 1: (30 + 3·100) / 4


def test_the_parent_cannot_approve_before_every_due_measure_is_scored(
    approved_report, parent_leader
):
    with pytest.raises(ValidationError, match="no score of the parent body"):
        evaluation.parent_evaluation_approve(report=approved_report, actor=parent_leader)


def test_a_draft_report_is_not_evaluated(seed_plan, coordinator, parent_reviewer):
    report = services.report_create(
        plan=seed_plan, period="year", actor=coordinator, today=AFTER_THE_YEAR
    )
    measure = seed_plan.measures.get(code="1.1")
    with pytest.raises(ValidationError, match="once the organization has submitted"):
        evaluation.report_item_parent_score(
            report=report, measure=measure, actor=parent_reviewer, score=100
        )
    assert not ParentEvaluation.objects.exists()


def test_a_return_needs_a_reason_and_changes_nothing_without_one(approved_report, parent_leader):
    with pytest.raises(ValidationError):
        evaluation.parent_evaluation_return(report=approved_report, actor=parent_leader, reason=" ")
    approved_report.refresh_from_db()
    assert approved_report.status == Report.Status.APPROVED
    assert not ParentEvaluation.objects.filter(status="returned").exists()


def test_an_organization_without_a_parent_has_no_parent_evaluation(other_plan, other_org):
    report = services.report_create(
        plan=other_plan, period="year", actor=None, today=AFTER_THE_YEAR
    )
    report = services.report_submit(report=report, actor=None, today=AFTER_THE_YEAR)
    measure = other_plan.measures.first()
    with pytest.raises(ValidationError, match="no parent body"):
        evaluation.report_item_parent_score(report=report, measure=measure, actor=None, score=100)


@pytest.mark.parametrize(
    "who, status",
    [
        ("officer", 403),  # the descendant's own people never score for the parent
        ("reviewer", 403),
        ("leader", 403),
        ("auditor", 403),  # the parent's auditor reads and changes nothing
        ("outsider", 404),
        ("parent_reviewer", 302),
    ],
)
def test_only_the_parents_reviewer_or_leader_scores_for_it(
    client, request, approved_report, who, status
):
    user = (
        request.getfixturevalue(who)
        if who != "outsider"
        else MembershipFactory(
            user=UserFactory(username="x"),
            organization=request.getfixturevalue("other_org"),
            role=Role.REVIEWER,
        ).user
    )
    client.force_login(user)
    assert _parent_score(client, approved_report, "1.1", 100).status_code == status
    response = client.post(_url("parent_step", approved_report), {"step": "return", "reason": "x"})
    assert response.status_code == status
    expected = 100 if status == 302 else None
    assert approved_report.items.get(measure__code="1.1").parent_score == expected


@pytest.mark.parametrize("n_measures", [1, 25])
def test_the_report_page_with_the_parents_scores_runs_fixed_queries(
    client, org, parent_reviewer, django_assert_max_num_queries, n_measures
):
    from tests.reports.conftest import plan_with_measures

    plan = plan_with_measures(org, n_measures)
    report = services.report_create(plan=plan, period="year", actor=None, today=AFTER_THE_YEAR)
    report = services.report_submit(report=report, actor=None, today=AFTER_THE_YEAR)
    for row in report_page(report=report).rows:
        evaluation.report_item_parent_score(
            report=report, measure=row.measure, actor=parent_reviewer, score=70
        )
    client.force_login(parent_reviewer)
    with django_assert_max_num_queries(40):
        response = client.get(_url("detail", report))
    assert response.status_code == 200
    assert "70.0%" in response.content.decode()


NATIONAL_HEADERS = [
    "Зорилт",
    "Хэрэгжүүлэх арга хэмжээ",
    "Хэрэгжүүлсэн ажил, арга хэмжээг тоо баримтаар товч бичих",
    "Байгууллагын үнэлгээ",
    "Эх байгууллага үнэлгээ",
]


def _evaluated(report, parent_reviewer):
    """`report` scored by the parent body: 1.1 at 30, the rest 100."""
    for row in report_page(report=report).rows:
        if row.due:
            evaluation.report_item_parent_score(
                report=report,
                measure=row.measure,
                actor=parent_reviewer,
                score=30 if row.measure.code == "1.1" else 100,
            )
    return report


def test_the_national_template_has_the_five_columns_and_both_percents(
    client, approved_report, parent_reviewer, officer
):
    report = _evaluated(approved_report, parent_reviewer)
    client.force_login(officer)
    response = client.get(_url("export", report, "docx") + "?layout=national")
    assert response.status_code == 200
    assert "-report-national-" in response["Content-Disposition"]
    word = docx.Document(io.BytesIO(response.content))
    assert word.paragraphs[0].text.startswith("Засгийн газрын 2017 оны 89 дүгээр тогтоолын")
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Зорилт")
    assert [c.text for c in table.rows[0].cells] == NATIONAL_HEADERS
    # (18·100 + 70) / 19 = 98.4 by the organization; (18·100 + 30) / 19 = 96.3 by the parent
    assert [c.text for c in table.rows[-1].cells][-2:] == ["98.4%", "96.3%"]

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(_url("export", report, "xlsx") + "?layout=national").content)
    ).active
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Зорилт")
    assert list(header) == NATIONAL_HEADERS
    totals = [r for r in sheet.iter_rows(values_only=True) if r[0] == PLAN_TOTAL]
    assert totals[-1][3].startswith("=IFERROR(TRUNC(") and totals[-1][4].startswith("=IFERROR(")

    html = pdf.html(report_to_document(report=report, layout="national"))
    assert all(title in html for title in NATIONAL_HEADERS) and "96.3%" in html
    assert client.get(_url("export", report, "pdf") + "?layout=bogus").status_code == 404


def test_the_national_template_names_the_parent_before_it_scores(approved_report):
    document = report_to_document(report=approved_report, layout="national")
    assert document.parent is None
    assert document.columns[-1] == "parent"
    assert document.column_title("parent") == "Эх байгууллага үнэлгээ"
    # The official layout stays as it was until the parent body scores.
    assert report_to_document(report=approved_report).columns[-1] == "score"


# -- reopening an approved evaluation -------------------------------------------------------


@pytest.fixture
def sealed_evaluation(approved_report, parent_reviewer, parent_leader):
    """`approved_report` scored by the parent's reviewer (1.1 at 30, the rest 100) and its
    evaluation approved and sealed by the parent's leader."""
    _evaluated(approved_report, parent_reviewer)
    evaluation.parent_evaluation_approve(report=approved_report, actor=parent_leader)
    return approved_report


@pytest.mark.parametrize(
    "who, status",
    [
        ("officer", 403),
        ("reviewer", 403),  # the organization's own reviewer and leader: not the parent's
        ("leader", 403),
        ("auditor", 403),  # the parent's auditor reads and changes nothing
        ("outsider", 404),
    ],
)
def test_only_the_parent_body_reopens_its_evaluation(
    client, request, sealed_evaluation, who, status
):
    user = (
        request.getfixturevalue(who)
        if who != "outsider"
        else MembershipFactory(
            user=UserFactory(username="x"),
            organization=request.getfixturevalue("other_org"),
            role=Role.LEADER,
        ).user
    )
    client.force_login(user)
    response = client.post(
        _url("parent_step", sealed_evaluation), {"step": "reopen", "reason": "Дахин үзье"}
    )
    assert response.status_code == status
    assert ParentEvaluation.objects.get().status == ParentEvaluation.Status.APPROVED
    assert not ReportEvent.objects.filter(action=ReportEvent.Action.PARENT_REOPENED).exists()


def test_the_parent_reopens_changes_and_approves_its_evaluation_again(
    client, sealed_evaluation, parent_reviewer, parent_leader, officer
):
    report = sealed_evaluation
    first_seal = Seal.objects.get(kind=Seal.Kind.EVALUATION)
    client.force_login(parent_leader)
    page = client.get(_url("detail", report)).content.decode()
    assert 'value="reopen"' in page

    # A reason is needed; without one nothing changes.
    client.post(_url("parent_step", report), {"step": "reopen", "reason": "  "})
    assert ParentEvaluation.objects.get().status == ParentEvaluation.Status.APPROVED

    response = client.post(
        _url("parent_step", report), {"step": "reopen", "reason": "1.1-ийн үнэлгээг засна"}
    )
    assert response.status_code == 302
    ev = ParentEvaluation.objects.get()
    assert ev.status == ParentEvaluation.Status.OPEN
    assert (ev.reopened_reason, ev.reopened_by) == ("1.1-ийн үнэлгээг засна", parent_leader)
    entry = AuditEntry.objects.get(action="report.parent_reopened")
    assert entry.actor == parent_leader and entry.organization_id == report.plan.organization_id
    assert entry.changes["reason"] == "1.1-ийн үнэлгээг засна"
    event = report.events.get(action=ReportEvent.Action.PARENT_REOPENED)
    assert event.reason == "1.1-ийн үнэлгээг засна"
    # The sealed approval stays on record, no longer in force.
    assert seal_verify(seal=first_seal).state == "reopened"
    # Reopening twice is refused: it is open.
    with pytest.raises(ValidationError, match="Only an approved evaluation"):
        evaluation.parent_evaluation_reopen(report=report, actor=parent_leader, reason="x")

    # The descendant is told and sees why.
    told = Notification.objects.get(event="report.parent_reopened", user=officer)
    assert "1.1-ийн үнэлгээг засна" in str(told.params)
    client.force_login(officer)
    html = client.get(_url("detail", report)).content.decode()
    assert "Reopened by the parent body on" in html and "1.1-ийн үнэлгээг засна" in html
    assert 'value="reopen"' not in html
    api = Api(client, make_token(officer))
    data = api.get(f"/organizations/HOME/reports/{report.pk}").json()["parent_evaluation"]
    assert data["status"] == "open" and data["reopened_reason"] == "1.1-ийн үнэлгээг засна"
    assert data["reopened_at"] is not None

    # The reopened evaluation changes and is approved again: sealed anew.
    client.force_login(parent_reviewer)
    assert _parent_score(client, report, "1.1", 70).status_code == 302
    assert report.items.get(measure__code="1.1").parent_score == 70
    client.force_login(parent_leader)
    client.post(_url("parent_step", report), {"step": "approve"})
    assert ParentEvaluation.objects.get().status == ParentEvaluation.Status.APPROVED
    second_seal = Seal.objects.filter(kind=Seal.Kind.EVALUATION).latest("id")
    assert second_seal.pk != first_seal.pk
    assert seal_verify(seal=first_seal).state == "superseded"
    assert seal_verify(seal=second_seal).state == "intact"
    assert report_page(report=report).parent_percent == Decimal("98.4")  # (18·100 + 70) / 19
    client.force_login(officer)
    html = client.get(_url("detail", report)).content.decode()
    assert "approved again" in html


# -- which layout a download takes by default ----------------------------------------------


def _first_header(response) -> str:
    word = docx.Document(io.BytesIO(response.content))
    return next(t for t in word.tables if len(t.rows) > 2).rows[0].cells[0].text


def test_an_organization_with_a_parent_downloads_the_national_template_by_default(
    client, approved_report, officer
):
    report = approved_report
    client.force_login(officer)
    response = client.get(_url("export", report, "docx"))
    assert "-report-national-" in response["Content-Disposition"]
    assert _first_header(response) == "Зорилт"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(_url("export", report, "xlsx")).content))
    assert any(r[0] == "Зорилт" for r in sheet.active.iter_rows(values_only=True))
    pdf_response = client.get(_url("export", report, "pdf"))
    assert "-report-national-" in pdf_response["Content-Disposition"]
    # An explicit layout still wins.
    response = client.get(_url("export", report, "docx") + "?layout=official")
    assert "-report-national-" not in response["Content-Disposition"]
    assert _first_header(response) == "Д/д"
    # The page says which layout each link gives; the default's group comes first.
    html = client.get(_url("detail", report)).content.decode()
    national, official = (
        html.index('data-test="export-national"'),
        html.index('data-test="export-official"'),
    )
    assert national < official
    assert "?layout=national" in html and "?layout=official" in html
    # The command line follows the same default.
    from shudarga.reports.exports import report_export

    assert report_export(report=report, fmt="docx").filename.count("-national-") == 1


def test_an_organization_without_a_parent_downloads_the_official_layout_by_default(
    client, other_plan, other_org
):
    user = UserFactory(username="other-officer")
    MembershipFactory(user=user, organization=other_org, role=Role.OFFICER)
    report = services.report_create(
        plan=other_plan, period="year", actor=None, today=AFTER_THE_YEAR
    )
    client.force_login(user)
    response = client.get(_url("export", report, "docx"))
    assert response["Content-Disposition"].endswith(f'-report-{report.pk}.docx"')
    assert _first_header(response) == "Д/д"
    response = client.get(_url("export", report, "docx") + "?layout=national")
    assert _first_header(response) == "Зорилт"
    html = client.get(_url("detail", report)).content.decode()
    assert 'data-test="export-official"' in html and 'data-test="export-national"' not in html


def test_the_parent_bodys_work_list_holds_its_childrens_reports_to_evaluate(
    client, approved_report, parent_reviewer, parent_org, org
):
    """The parent body's reviewer finds on the start page each report of the organizations
    directly below it that waits for its evaluation, until the evaluation is approved or
    the report returned; a report of a grandchild is its own parent's to evaluate."""
    from shudarga.dashboards.inbox import inbox_for_user
    from tests.factories import OrganizationFactory, PlanFactory

    def waiting(user):
        inbox = inbox_for_user(user=user, today=AFTER_THE_YEAR)
        return [item for item in inbox.items if item.group == "parent"]

    grandchild = OrganizationFactory(parent=org, code="SUB")
    below = services.report_create(
        plan=PlanFactory(organization=grandchild, year=2023), period="year", actor=None
    )
    services.report_submit(report=below, actor=None, today=AFTER_THE_YEAR)
    (item,) = waiting(parent_reviewer)
    assert item.url == approved_report.get_absolute_url() and item.organization == org
    client.force_login(parent_reviewer)
    page = client.get(reverse("dashboards:my_work")).content.decode()
    assert 'data-group="parent"' in page and approved_report.get_absolute_url() in page
    evaluation.parent_evaluation_return(
        report=Report.objects.get(pk=approved_report.pk), actor=parent_reviewer, reason="Засна уу"
    )
    assert waiting(parent_reviewer) == []
