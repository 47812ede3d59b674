"""The public survey: anonymous answers, one per browser, rate-limited, refused once closed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shudarga.petitions import services
from shudarga.petitions.models import Answer, SurveyResponse
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    survey = SurveyFactory(organization=org, title="Сэтгэл ханамж")
    services.survey_question_add(survey=survey, kind="likert", text="Үнэлгээ", actor=None)
    services.survey_question_add(
        survey=survey, kind="choice", text="Хүнд суртал?", choices=["Тийм", "Үгүй"], actor=None
    )
    services.survey_question_add(
        survey=survey, kind="text", text="Санал", required=False, actor=None
    )
    services.survey_open(survey=survey, actor=None)
    return survey


def _url(survey):
    return reverse("public:survey", args=[survey.public_key])


def _post(client, survey, scale="4", choice="Үгүй", text=""):
    q = list(survey.questions.order_by("position"))
    return client.post(
        _url(survey), {f"q{q[0].pk}": scale, f"q{q[1].pk}": choice, f"q{q[2].pk}": text}
    )


def test_the_public_answers_once_per_browser(client, survey):
    page = client.get(_url(survey))
    assert page.status_code == 200
    assert "Үнэлгээ" in page.content.decode()
    response = _post(client, survey, text="Баярлалаа")
    assert response.status_code == 200
    assert any(name.startswith("shudarga_survey_") for name in response.cookies)
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.get(text="Баярлалаа")
    again = _post(client, survey)  # the signed cookie is sent back
    assert again.status_code == 200
    assert SurveyResponse.objects.count() == 1
    assert Client().get(_url(survey)).status_code == 200  # another browser may answer


def test_a_forged_cookie_does_not_count(client, survey):
    client.cookies[f"shudarga_survey_{survey.pk}"] = "2024-01-01"  # unsigned
    assert 'name="q' in client.get(_url(survey)).content.decode()


def test_bad_answers_come_back_with_messages(client, survey):
    response = _post(client, survey, scale="9", choice="Магадгүй")
    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_it_refuses_answers_after_the_survey_closed(client, survey):
    client.get(_url(survey))
    services.survey_close(survey=survey, actor=None)
    response = _post(client, survey)
    assert response.status_code == 410
    assert SurveyResponse.objects.count() == 0
    assert client.get(_url(survey)).status_code == 200  # says it is closed


def test_drafts_and_unknown_keys_are_not_found(client, org):
    draft = SurveyFactory(organization=org)
    assert client.get(_url(draft)).status_code == 404
    assert client.get(reverse("public:survey", args=["nope"])).status_code == 404


def test_answers_are_rate_limited_per_address(survey, settings):
    settings.PUBLIC_RATE_LIMITS = {"survey": (2, 3600)}
    statuses = [_post(Client(), survey).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert SurveyResponse.objects.count() == 2


def test_script_in_a_free_text_answer_stays_text(client, survey):
    _post(client, survey, text="<script>alert(1)</script>")
    assert Answer.objects.filter(text="<script>alert(1)</script>").exists()
