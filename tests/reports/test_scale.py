"""The official scale and the implementation percent: mean over due measures, ХБ out, 0 in,
truncated to one decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from shudarga.reports.scale import (
    format_percent,
    get_scale,
    mean_percent,
    truncate_percent,
    validate_score,
)
from shudarga.reports.selectors import report_page
from shudarga.reports.services import report_create
from tests.reports.conftest import plan_with_measures, score_all


def test_it_reproduces_the_official_80_measure_example():
    # 80 measures: 59 fully done, 13 in progress, 5 insufficient, 1 not done, 2 not yet due.
    scores = [100] * 59 + [70] * 13 + [30] * 5 + [0] * 1  # the 2 ХБ are left out
    assert len(scores) == 78
    assert mean_percent(scores) == Decimal("89.2")  # 6960 / 78 = 89.23…


def test_it_shows_a_dash_when_every_measure_is_not_yet_due():
    assert mean_percent([]) is None
    assert format_percent(mean_percent([])) == "—"


def test_it_takes_a_single_measure_as_it_is():
    assert mean_percent([70]) == Decimal("70.0")
    assert mean_percent([0]) == Decimal("0.0")  # 0 is kept in, not treated as missing


def test_it_truncates_and_never_rounds():
    assert truncate_percent(Decimal("90.56")) == Decimal("90.5")
    assert truncate_percent(Decimal("89.99")) == Decimal("89.9")
    assert mean_percent([100, 70, 30]) == Decimal("66.6")  # 66.66…, rounding would give 66.7
    assert mean_percent([100, 100, 70]) == Decimal("90.0")


def test_it_keeps_zero_in_the_count():
    assert mean_percent([100, 0]) == Decimal("50.0")


def test_the_official_scale_is_the_default():
    scale = get_scale()
    assert scale.values == (100, 70, 30, 0)
    assert scale.label(70) == "хэрэгжих шатандаа"
    assert (scale.not_due_mark, scale.not_due_label) == ("ХБ", "хугацаа болоогүй")


def test_an_installation_may_set_its_own_scale(settings):
    settings.REPORT_SCALE = [(100, "бүрэн"), (50, "дутуу"), (0, "хийгээгүй"), ("N/A", "хугацаа")]
    scale = get_scale()
    assert scale.values == (100, 50, 0)
    assert scale.not_due_mark == "N/A"
    assert validate_score("50") == 50
    with pytest.raises(ValidationError):
        validate_score(70)


@pytest.mark.parametrize(
    "bad",
    [[], [("ХБ", "хугацаа болоогүй")], [(101, "хэт")], [(70, "a"), (70, "b")], [("x",)]],
)
def test_it_refuses_a_broken_scale_setting(settings, bad):
    settings.REPORT_SCALE = bad or [("ХБ", "x"), ("ЯБ", "y")]
    with pytest.raises(ImproperlyConfigured):
        get_scale()


@pytest.mark.parametrize("value", [50, "71", -1, 101, "", "abc", None])
def test_it_refuses_a_score_outside_the_scale(value):
    with pytest.raises(ValidationError, match="not on the scale"):
        validate_score(value)


@pytest.mark.django_db
def test_a_report_of_80_measures_gives_89_2(org, reviewer):
    plan = plan_with_measures(org, 80, criteria=0)
    measures = list(plan.measures.order_by("position"))
    # In the half-year, 78 measures are due (half-yearly) and 2 only at year end (ХБ).
    plan.measures.filter(pk__in=[m.pk for m in measures[2:]]).update(recurrence="half_yearly")
    report = report_create(plan=plan, period="h1", actor=None)
    scores = [100] * 59 + [70] * 13 + [30] * 5 + [0]
    score_all(report, reviewer, dict(zip([m.code for m in measures[2:]], scores, strict=True)))
    page = report_page(report=report)
    assert (page.due_count, page.not_due_count) == (78, 2)
    assert page.percent == Decimal("89.2")
    assert page.percent_text == "89.2"
