"""Issue 18: the parent body ranks its descendants by its own percent of their reports,
ties sharing a rank, the unranked listed with the reason, the change from last year; its
approval publishes the ranking on the public portal. Checked against a hand count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.organizations.roles import Role
from shudarga.reports import evaluation, services
from shudarga.reports.models import RankingApproval
from shudarga.reports.ranking import descendant_ranking
from shudarga.reports.selectors import report_page
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.reports.conftest import AFTER_THE_YEAR, plan_with_measures

pytestmark = pytest.mark.django_db


def _report(org, year, *, parent_scores=None, own=100, submit=True, actor=None):
    """A year report of a 4-measure plan of `org` for `year`, submitted and scored by its
    reviewer (`own` each) and, with `parent_scores`, by the parent body."""
    plan = plan_with_measures(org, 4, year=year, goals=2)
    report = services.report_create(plan=plan, period="year", actor=None, today=AFTER_THE_YEAR)
    if not submit:
        return report
    report = services.report_submit(report=report, actor=None, today=AFTER_THE_YEAR)
    rows = report_page(report=report, with_evidence=False).rows
    for row in rows:
        services.report_item_score(report=report, measure=row.measure, actor=None, score=own)
    for row, score in zip(rows, parent_scores or [], strict=False):
        evaluation.report_item_parent_score(
            report=report, measure=row.measure, actor=actor, score=score
        )
    return report


@pytest.fixture
def aimag(parent_org, parent_leader):
    """Six sums under the aimag (`parent_org`), as a hand count expects them:

    sum      2023 parent scores   percent   2022 parent scores   percent
    Алтай    100 100 70 70        85.0      100 70 70 70         77.5
    Баян     100 70 70 100        85.0      —                    —
    Цэцэг    100 30 30 0          40.0      100 100 100 70       92.5
    Эрдэнэ   submitted, not evaluated
    Хөвсгөл  returned for correction
    Дорнод   no report
    """
    sums = {
        name: OrganizationFactory(name=name, code=code, parent=parent_org)
        for name, code in [
            ("Алтай", "ALTAI"), ("Баян", "BAYAN"), ("Цэцэг", "TSETSEG"),
            ("Эрдэнэ", "ERDENE"), ("Хөвсгөл", "KHUVSGUL"), ("Дорнод", "DORNOD"),
        ]
    }  # fmt: skip
    who = parent_leader
    _report(sums["Алтай"], 2023, parent_scores=[100, 100, 70, 70], actor=who)
    _report(sums["Алтай"], 2022, parent_scores=[100, 70, 70, 70], actor=who)
    _report(sums["Баян"], 2023, parent_scores=[100, 70, 70, 100], own=70, actor=who)
    _report(sums["Цэцэг"], 2023, parent_scores=[100, 30, 30, 0], actor=who)
    _report(sums["Цэцэг"], 2022, parent_scores=[100, 100, 100, 70], actor=who)
    _report(sums["Эрдэнэ"], 2023)
    returned = _report(sums["Хөвсгөл"], 2023, parent_scores=[30], actor=who)
    evaluation.parent_evaluation_return(report=returned, actor=who, reason="Нотломж дутуу")
    _report(sums["Дорнод"], 2022, submit=False)  # last year's draft only: not submitted
    return sums


def test_the_ranking_matches_a_hand_count(parent_org, aimag):
    ranking = descendant_ranking(organization=parent_org, year=2023, period="year")
    got = [
        (r.name, r.rank, r.percent_text, r.own_percent_text, r.state, r.last_rank, r.change_text)
        for r in ranking.rows
    ]
    assert got == [
        ("Алтай", 1, "85.0", "100.0", "evaluated", 2, "+7.5"),
        ("Баян", 1, "85.0", "70.0", "evaluated", None, "—"),  # a tie shares the rank
        ("Цэцэг", 3, "40.0", "100.0", "evaluated", 1, "-52.5"),  # and the next one skips
        ("Эрдэнэ", None, "—", "100.0", "not_evaluated", None, "—"),
        ("Хөвсгөл", None, "—", "—", "returned", None, "—"),
        ("Дорнод", None, "—", "—", "not_submitted", None, "—"),
    ]
    assert ranking.rows[0].last_percent == Decimal("77.5")


def test_the_parent_approves_the_ranking_and_the_portal_shows_it(
    client, parent_org, parent_leader, aimag
):
    url = reverse("reports:ranking", args=[parent_org.code]) + "?year=2023&period=year"
    client.force_login(parent_leader)
    page = client.get(url)
    assert page.status_code == 200
    assert "85.0%" in page.content.decode()
    public = reverse("public:organization", args=[parent_org.code])
    assert "Цэцэг" not in client.get(public).content.decode()  # nothing approved yet

    response = client.post(url, {"year": "2023", "period": "year"})
    assert response.status_code == 302
    approval = RankingApproval.objects.get()
    assert [(r["name"], r["rank"], r["percent"]) for r in approval.rows][:3] == [
        ("Алтай", 1, "85.0"),
        ("Баян", 1, "85.0"),
        ("Цэцэг", 3, "40.0"),
    ]
    assert AuditEntry.objects.filter(action="ranking.approved").count() == 1
    client.logout()
    html = client.get(public).content.decode()
    assert "Цэцэг" in html and "-52.5" in html and "40.0" in html


@pytest.mark.parametrize(
    "role, place, get, post",
    [
        (Role.LEADER, "parent", 200, 302),
        (Role.AUDITOR, "parent", 200, 403),  # reads, approves nothing
        (Role.REVIEWER, "parent", 200, 302),
        (Role.OFFICER, "parent", 403, 403),
        (Role.COORDINATOR, "other", 404, 404),
    ],
)
def test_who_sees_and_approves_the_ranking(client, parent_org, other_org, role, place, get, post):
    user = UserFactory(username="ranker")
    MembershipFactory(
        user=user, organization=parent_org if place == "parent" else other_org, role=role
    )
    client.force_login(user)
    url = reverse("reports:ranking", args=[parent_org.code])
    assert client.get(url).status_code == get
    assert client.post(url, {"year": "2023"}).status_code == post


@pytest.mark.parametrize("n_sums", [2, 12])
def test_the_ranking_page_runs_a_fixed_number_of_queries(
    client, parent_org, parent_leader, django_assert_num_queries, n_sums
):
    for i in range(n_sums):
        org = OrganizationFactory(parent=parent_org)
        _report(org, 2023, parent_scores=[100, 70, 30, i % 2 * 100], actor=parent_leader)
    client.force_login(parent_leader)
    url = reverse("reports:ranking", args=[parent_org.code]) + "?year=2023"
    # session, user, organization, memberships, the memo's stamp of the parent body and
    # its descendants, descendants, reports of both years (as values, with their plan's
    # organization and year and their evaluation's status), item scores, the approved
    # rankings, switcher; the page body's key (the same stamp)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    # Nothing changed since: the page body is the memo's HTML.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    # Another page of the same ranking: rendered, the ranking itself from the memo.
    with django_assert_num_queries(8):
        assert client.get(url + "&page=2").status_code == 200


# -- the consolidated report ---------------------------------------------------------------


def test_the_consolidated_report_matches_a_hand_count(client, parent_org, parent_leader, aimag):
    import datetime as dt

    from shudarga.reports.consolidated import consolidated_report
    from shudarga.reports.models import Report

    # Баян's report was due later than it came; the others were submitted after their date.
    Report.objects.filter(plan__organization__code="BAYAN").update(due_date=dt.date(2100, 1, 1))
    c = consolidated_report(organization=parent_org, year=2023, period="year")
    got = [(e.row.name, e.timing, e.goal_text(1), e.goal_text(2)) for e in c.rows]
    # Goal 1 holds 1.1 and 1.2, goal 2 holds 2.1 and 2.2 (scores in that order above).
    assert got == [
        ("Алтай", "late", "100.0", "70.0"),
        ("Баян", "on_time", "85.0", "85.0"),
        ("Цэцэг", "late", "65.0", "15.0"),
        ("Эрдэнэ", "late", "—", "—"),
        ("Хөвсгөл", "returned", "—", "—"),  # its returned draft is not counted
        ("Дорнод", "not_submitted", "—", "—"),
    ]
    assert [(m.code, m.count) for m in c.low] == [("1.2", 1), ("2.1", 1), ("2.2", 1)]
    summary = c.summary()
    assert "харьяа 6 байгууллагаас 1 нь тайлангаа хугацаандаа, 3 нь хоцорч" in summary
    assert "1 тайланг засварт буцаасан, 1 нь ирүүлээгүй" in summary
    assert "хамгийн өндөр нь Алтай (85.0%), хамгийн бага нь Цэцэг (40.0%)" in summary

    client.force_login(parent_leader)
    url = reverse("reports:consolidated", args=[parent_org.code]) + "?year=2023&period=year"
    assert "хамгийн бага нь Цэцэг" in client.get(url).content.decode()
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "&fmt=xlsx").content))
    names = [row[1] for row in book["Нэгтгэл"].iter_rows(min_row=5, values_only=True)]
    assert names == ["Алтай", "Баян", "Цэцэг", "Эрдэнэ", "Хөвсгөл", "Дорнод"]
    import docx

    from shudarga.reports.documents.consolidated_docs import html

    word = docx.Document(io.BytesIO(client.get(url + "&fmt=docx").content))
    assert [row.cells[1].text for row in word.tables[0].rows][1:] == names
    assert "хамгийн бага нь Цэцэг" in word.paragraphs[2].text
    pdf = client.get(url + "&fmt=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    page = html(c)
    assert "Цэцэг" in page and "хоцорсон" in page and "-52.5" in page


@pytest.mark.parametrize("n_sums", [2, 12])
def test_the_consolidated_page_runs_a_fixed_number_of_queries(
    client, parent_org, parent_leader, django_assert_num_queries, n_sums
):
    for i in range(n_sums):
        org = OrganizationFactory(parent=parent_org)
        _report(org, 2023, parent_scores=[100, 70, 30, i % 2 * 100], actor=parent_leader)
    client.force_login(parent_leader)
    url = reverse("reports:consolidated", args=[parent_org.code]) + "?year=2023"
    # session, user, organization, memberships, the consolidated report's stamp, the
    # ranking's stamp and three queries (descendants, reports, item scores), the reports'
    # submission dates, the parent body's scores with goals and measures, switcher; the
    # page body's key
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    # Nothing changed under the parent body: the page body is the memo's HTML.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_ranking_and_consolidated_pages_show_their_rows_a_page_at_a_time(
    client, parent_org, parent_leader, aimag, monkeypatch
):
    """Thousands of organizations are read a page at a time; ranks stay the whole list's."""
    monkeypatch.setattr("shudarga.reports.views.RANKING_PAGE_SIZE", 4)
    client.force_login(parent_leader)
    for name in ("ranking", "consolidated"):
        url = reverse(f"reports:{name}", args=[parent_org.code]) + "?year=2023&period=year"
        first = client.get(url).content.decode()
        second = client.get(url + "&page=2").content.decode()
        shown = [(page, code) for page, html in ((1, first), (2, second)) for code in
                 ("ALTAI", "BAYAN", "TSETSEG", "ERDENE", "KHUVSGUL", "DORNOD")
                 if f'data-code="{code}"' in html]  # fmt: skip
        assert shown == [(1, "ALTAI"), (1, "BAYAN"), (1, "TSETSEG"), (1, "ERDENE"),
                         (2, "KHUVSGUL"), (2, "DORNOD")], name  # fmt: skip
        assert "page=2" in first, name  # the pagination links the next page


# -- the consolidated report as an annex of the parent body's own report ---------------------


def _docx_table(content: bytes, first_header: str) -> list[list[str]]:
    import io

    import docx

    word = docx.Document(io.BytesIO(content))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == first_header)
    return [[cell.text for cell in row.cells] for row in table.rows]


def _sheet_rows(content: bytes, name: str) -> list[tuple]:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book[name].iter_rows(values_only=True))


def test_the_parents_own_report_carries_the_consolidated_report_as_its_annex(
    client, parent_org, parent_leader, aimag, settings, tmp_path
):
    from shudarga.reports.consolidated import consolidated_report
    from shudarga.reports.documents import consolidated_docs

    settings.MEDIA_ROOT = tmp_path / "media"
    own = _report(parent_org, 2023, own=70)  # the aimag's own year report
    consolidated = consolidated_report(organization=parent_org, year=2023, period="year")
    client.force_login(parent_leader)
    page = client.get(reverse("reports:detail", args=[parent_org.code, own.pk])).content
    html = page.decode()
    assert 'data-test="export-annex"' in html
    assert "?layout=official&amp;annex=consolidated" in html  # no parent: official layout

    export = reverse("reports:export", args=[parent_org.code, own.pk, "docx"])
    response = client.get(export + "?annex=consolidated")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-with-consolidated.docx"')
    annex = _docx_table(response.content, "Байр")
    # The annex's figures are the consolidated report's: the same selector, the same rows
    # as its own download and page.
    consolidated_url = reverse("reports:consolidated", args=[parent_org.code])
    standalone = client.get(consolidated_url + "?year=2023&period=year&fmt=docx").content
    assert annex == _docx_table(standalone, "Байр")
    assert annex[1:] == consolidated_docs.rows(consolidated)
    assert annex[1][:4] == ["1", "Алтай", "85.0", "100.0"]
    # ... after the report itself, which is unchanged.
    assert _docx_table(response.content, "Д/д") == _docx_table(client.get(export).content, "Д/д")
    consolidated_page = client.get(consolidated_url + "?year=2023&period=year").content.decode()
    for row in consolidated_docs.rows(consolidated):
        assert f"{row[2]}" in consolidated_page

    xlsx = reverse("reports:export", args=[parent_org.code, own.pk, "xlsx"])
    content = client.get(xlsx + "?annex=consolidated").content
    standalone = client.get(consolidated_url + "?year=2023&period=year&fmt=xlsx").content
    assert _sheet_rows(content, "Хавсралт-Нэгтгэл") == _sheet_rows(standalone, "Нэгтгэл")
    assert _sheet_rows(content, "Хавсралт-Хангалтгүй") == _sheet_rows(standalone, "Хангалтгүй")
    assert _sheet_rows(content, "Тайлан") == _sheet_rows(client.get(xlsx).content, "Тайлан")

    pdf = reverse("reports:export", args=[parent_org.code, own.pk, "pdf"])
    alone, with_annex = client.get(pdf).content, client.get(pdf + "?annex=consolidated").content
    assert with_annex.startswith(b"%PDF")
    assert len(with_annex) > len(alone) + 1000  # the annex's pages (compressed)
    assert consolidated_docs.ANNEX_HEADING in consolidated_docs.html(consolidated, annex=True)
    # Each organization's printed line in the annex holds the consolidated report's cells.
    from tests.reports.test_consolidated_exports import _cells, _pdf_lines

    printed = {}
    for line in _pdf_lines(with_annex):
        if line.strip().startswith("│"):
            cells = _cells(line)
            printed[cells[1]] = cells
    for row in consolidated_docs.rows(consolidated):
        assert printed[row[1]] == row

    # JSON has no annex; an unknown annex is no page.
    json_url = reverse("reports:export", args=[parent_org.code, own.pk, "json"])
    assert client.get(json_url + "?annex=consolidated").status_code == 404
    assert client.get(export + "?annex=bogus").status_code == 404


def test_only_those_who_read_the_consolidated_report_get_the_annex(
    client, parent_org, aimag, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    own = _report(parent_org, 2023)
    officer = UserFactory(username="aimag-officer")
    MembershipFactory(user=officer, organization=parent_org, role=Role.OFFICER)
    client.force_login(officer)
    export = reverse("reports:export", args=[parent_org.code, own.pk, "docx"])
    assert client.get(export).status_code == 200
    assert client.get(export + "?annex=consolidated").status_code == 403
    page = client.get(reverse("reports:detail", args=[parent_org.code, own.pk]))
    assert 'data-test="export-annex"' not in page.content.decode()
    # An organization without descendants is offered no annex.
    sum_report = _report(aimag["Алтай"], 2021)
    sum_leader = UserFactory(username="altai-leader")
    MembershipFactory(user=sum_leader, organization=aimag["Алтай"], role=Role.LEADER)
    client.force_login(sum_leader)
    page = client.get(reverse("reports:detail", args=["ALTAI", sum_report.pk]))
    assert 'data-test="export-annex"' not in page.content.decode()
