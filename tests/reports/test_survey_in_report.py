"""The satisfaction survey's answers reach measure 4.3 of the report (issue 5, done-when)."""

from __future__ import annotations

import pytest
import time_machine

from shudarga.petitions.services import (
    survey_create,
    survey_open,
    survey_question_add,
    survey_submit,
)
from shudarga.reports.services import report_create

pytestmark = pytest.mark.django_db


def test_survey_answers_appear_in_the_4_3_row(seed_plan):
    org = seed_plan.organization
    with time_machine.travel("2023-05-10 12:00 +0800"):
        survey = survey_create(organization=org, title="Сэтгэл ханамж", actor=None)
        question = survey_question_add(survey=survey, kind="likert", text="Үнэлгээ?", actor=None)
        survey_open(survey=survey, actor=None)
        for score in (5, 4, 4):
            survey_submit(survey=survey, answers={question.pk: score})
    report = report_create(plan=seed_plan, period="year", actor=None)
    item = report.items.get(measure__code="4.3")
    text = item.text
    assert "3 иргэн хариулсан" in text
    assert "дундаж 4,3" in text
