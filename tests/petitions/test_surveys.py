"""The satisfaction survey (measure 4.3): building, opening and closing, answers, results,
Excel and QR downloads, and the count the criteria engine reads."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.petitions import services
from shudarga.petitions.models import Survey
from shudarga.petitions.selectors import survey_response_count, survey_results
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    survey = SurveyFactory(organization=org, title="Үйлчилгээний чанар")
    services.survey_question_add(
        survey=survey, kind="likert", text="Үйлчилгээнд хэр сэтгэл хангалуун байна вэ?", actor=None
    )
    services.survey_question_add(
        survey=survey,
        kind="choice",
        text="Хүнд суртал тулгарсан уу?",
        choices=["Тийм", "Үгүй"],
        actor=None,
    )
    services.survey_question_add(
        survey=survey, kind="text", text="Санал", required=False, actor=None
    )
    return survey


def _answers(survey, scale=5, choice="Тийм", text=""):
    q = list(survey.questions.order_by("position"))
    return {q[0].pk: scale, q[1].pk: choice, q[2].pk: text}


def test_a_survey_runs_from_draft_to_closed(survey):
    with pytest.raises(ValidationError):
        services.survey_submit(survey=survey, answers=_answers(survey))  # still a draft
    services.survey_open(survey=survey, actor=None)
    services.survey_submit(survey=survey, answers=_answers(survey, 5))
    services.survey_submit(survey=survey, answers=_answers(survey, 3, "Үгүй", "Сайн"))
    with pytest.raises(ValidationError):
        services.survey_question_add(survey=survey, kind="text", text="Late", actor=None)
    services.survey_close(survey=survey, actor=None)
    with pytest.raises(services.SurveyClosed):
        services.survey_submit(survey=survey, answers=_answers(survey))
    total, results = survey_results(survey=survey)
    assert total == 2
    assert results[0].mean == 4.0
    assert [(label, n) for label, n, _pct in results[0].bars] == [
        ("1", 0),
        ("2", 0),
        ("3", 1),
        ("4", 0),
        ("5", 1),
    ]
    assert [(label, n) for label, n, _pct in results[1].bars] == [("Тийм", 1), ("Үгүй", 1)]
    assert results[2].texts == ["Сайн"]
    assert AuditEntry.objects.filter(action="survey.answered").count() == 2


@pytest.mark.parametrize(
    "bad",
    [{"scale": 6}, {"scale": 0}, {"choice": "Магадгүй"}, {"text": "x" * 2001}],
)
def test_it_refuses_bad_answers(survey, bad):
    services.survey_open(survey=survey, actor=None)
    with pytest.raises(ValidationError):
        services.survey_submit(survey=survey, answers=_answers(survey, **bad))
    assert survey.responses.count() == 0


def test_required_questions_must_be_answered(survey):
    services.survey_open(survey=survey, actor=None)
    q = list(survey.questions.order_by("position"))
    with pytest.raises(ValidationError) as exc:
        services.survey_submit(survey=survey, answers={q[1].pk: "Тийм"})
    assert f"q{q[0].pk}" in exc.value.error_dict


def test_a_choice_question_needs_two_distinct_choices(org):
    survey = SurveyFactory(organization=org)
    for choices in ([], ["Нэг"], ["A", "A"]):
        with pytest.raises(ValidationError):
            services.survey_question_add(
                survey=survey, kind="choice", text="?", choices=choices, actor=None
            )


def test_an_empty_survey_cannot_open(org):
    with pytest.raises(ValidationError):
        services.survey_open(survey=SurveyFactory(organization=org), actor=None)


def test_response_count_for_the_criteria_engine(org, other_org, survey):
    services.survey_open(survey=survey, actor=None)
    for day in (dt.date(2024, 3, 31), dt.date(2024, 4, 1), dt.date(2024, 6, 30)):
        # 23:30 in Ulaanbaatar is still that day there (15:30 UTC).
        moment = dt.datetime(day.year, day.month, day.day, 15, 30, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False):
            services.survey_submit(survey=survey, answers=_answers(survey))
    other = SurveyFactory(organization=other_org)
    services.survey_question_add(survey=other, kind="text", text="?", required=False, actor=None)
    services.survey_open(survey=other, actor=None)
    with time_machine.travel(dt.datetime(2024, 4, 2, 3, tzinfo=dt.UTC), tick=False):
        services.survey_submit(survey=other, answers={})
    q2 = {"organization_id": org.pk, "date_from": dt.date(2024, 4, 1)}
    assert survey_response_count(**q2, date_to=dt.date(2024, 6, 30)) == 2
    assert survey_response_count(**q2, date_to=dt.date(2024, 4, 1)) == 1


def test_the_coordinator_builds_and_opens_a_survey_on_its_pages(client, coordinator, org):
    client.force_login(coordinator)
    r = client.post(reverse("petitions:survey_list", args=[org.code]), {"title": "Судалгаа"})
    assert r.status_code == 302
    survey = Survey.objects.get()
    url = reverse("petitions:survey_detail", args=[org.code, survey.pk])
    r = client.post(url, {"kind": "choice", "text": "?", "choices": "Тийм\nҮгүй", "required": "on"})
    assert r.status_code == 302
    assert survey.questions.get().choices == ["Тийм", "Үгүй"]
    status_url = reverse("petitions:survey_status", args=[org.code, survey.pk])
    client.post(status_url, {"to": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    html = client.get(url).content.decode()
    assert reverse("public:survey", args=[survey.public_key]) in html
    qr = client.get(reverse("petitions:survey_qr", args=[org.code, survey.pk]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") and b"http://www.w3.org/2000/svg" in qr.content
    client.post(status_url, {"to": "close"})
    survey.refresh_from_db()
    assert survey.status == "closed"


@pytest.mark.parametrize("persona", ["officer", "reviewer", "auditor"])
def test_only_the_coordinator_manages_surveys(client, request, org, survey, persona):
    client.force_login(request.getfixturevalue(persona))
    r = client.post(reverse("petitions:survey_list", args=[org.code]), {"title": "x"})
    assert r.status_code == 403
    r = client.post(reverse("petitions:survey_status", args=[org.code, survey.pk]), {"to": "open"})
    assert r.status_code == 403
    r = client.get(reverse("petitions:survey_results", args=[org.code, survey.pk]))
    assert r.status_code == 200  # everyone reads the results


def test_outsiders_see_no_survey(client, outsider, org, survey):
    client.force_login(outsider)
    for name in ("survey_detail", "survey_results", "survey_export", "survey_qr"):
        assert (
            client.get(reverse(f"petitions:{name}", args=[org.code, survey.pk])).status_code == 404
        )


def test_results_page_draws_bars_and_escapes_text(client, reviewer, org, survey):
    services.survey_open(survey=survey, actor=None)
    services.survey_submit(survey=survey, answers=_answers(survey, 4, text="<script>x</script>"))
    client.force_login(reviewer)
    html = client.get(reverse("petitions:survey_results", args=[org.code, survey.pk])).content
    html = html.decode()
    assert 'data-width="100.0"' in html  # core/shudarga.js sizes the bar (CSP: no style="")
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_results_export_keeps_formulas_as_text(client, reviewer, org, survey):
    services.survey_open(survey=survey, actor=None)
    for text in ('=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "<script>"):
        services.survey_submit(survey=survey, answers=_answers(survey, text=text))
    client.force_login(reviewer)
    r = client.get(reverse("petitions:survey_export", args=[org.code, survey.pk]))
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for row in book.worksheets[1].iter_rows() for c in row if c.value is not None]
    texts = {c.value: c for c in cells}
    for text in ('=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)"):
        assert texts[text].data_type == "s"
        assert texts[text].quotePrefix
    assert "<script>" in texts


@pytest.mark.parametrize("n", [1, 25])
def test_the_survey_list_runs_a_fixed_number_of_queries(
    client, coordinator, org, django_assert_num_queries, n
):
    SurveyFactory.create_batch(n, organization=org)
    client.force_login(coordinator)
    # session, user, organization, memberships, surveys with response counts, switcher
    with django_assert_num_queries(6):
        assert client.get(reverse("petitions:survey_list", args=[org.code])).status_code == 200
