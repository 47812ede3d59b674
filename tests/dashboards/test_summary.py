"""The parent view's per-organization summaries: recomputed only when their organization
changed, never read stale, overdue counts that follow the day without recomputing, the
command that brings them up to date, and the same numbers whether computed at once or one
by one."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from shudarga.dashboards.models import OrganizationSummary, SummaryMeasureDue
from shudarga.dashboards.selectors import parent_overview
from shudarga.dashboards.summary import compute, stale_organizations
from shudarga.organizations.models import Organization
from shudarga.petitions.models import Petition
from tests.dashboards.conftest import board_update
from tests.dashboards.test_children import _child
from tests.factories import (
    GoalFactory,
    MeasureFactory,
    OrganizationFactory,
    PetitionFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def _rows(parent, today, **kwargs):
    return {
        r.organization.code: r
        for r in parent_overview(organization=parent, today=today, **kwargs).rows
    }


def test_overdue_measures_follow_the_day_and_nothing_is_recomputed(parent_org):
    child = OrganizationFactory(parent=parent_org, code="DAYS")
    plan = PlanFactory(organization=child, year=2023)
    goal = GoalFactory(plan=plan, number=1, position=1)
    for n, due in enumerate((dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 9, 30))):
        MeasureFactory(goal=goal, plan=plan, code=f"1.{n + 1}", due_date=due, recurrence="once")
    counts = [
        _rows(parent_org, day)["DAYS"].overdue_measures
        for day in (dt.date(2023, 3, 31), dt.date(2023, 4, 1), dt.date(2023, 7, 1))
    ]
    assert counts == [0, 1, 2]  # overdue the day after the due date, not on it
    computed = OrganizationSummary.objects.get(organization=child).computed_at
    _rows(parent_org, dt.date(2023, 12, 31))
    assert OrganizationSummary.objects.get(organization=child).computed_at == computed
    assert _rows(parent_org, dt.date(2023, 12, 31), late_only=True)["DAYS"].overdue_measures == 3


def test_a_petition_resolved_after_the_day_was_overdue_that_day(parent_org):
    child = OrganizationFactory(parent=parent_org, code="PET")
    petition = PetitionFactory(organization=child, received_on=dt.date(2023, 1, 2))
    Petition.objects.filter(pk=petition.pk).update(resolved_on=dt.date(2023, 3, 1))
    petition.refresh_from_db()
    assert petition.due_on < dt.date(2023, 3, 1)
    day_after_due = petition.due_on + dt.timedelta(days=1)
    assert _rows(parent_org, day_after_due)["PET"].overdue_petitions == 1
    assert _rows(parent_org, dt.date(2023, 3, 1))["PET"].overdue_petitions == 0
    # "late only" and the sort by overdue petitions read the same count.
    assert set(_rows(parent_org, day_after_due, late_only=True)) == {"PET"}
    assert not _rows(parent_org, dt.date(2023, 3, 2), late_only=True)


def test_an_audited_change_makes_its_row_stale_and_only_its_row(parent_org):
    a = _child(parent_org, 1, score=70)
    b = _child(parent_org, 2)
    parent_overview(organization=parent_org, today=dt.date(2023, 12, 1))
    descendants = Organization.objects.filter(pk__in=[a.pk, b.pk])
    assert stale_organizations(descendants) == []
    stamp_b = OrganizationSummary.objects.get(organization=b).stamp
    board_update(a, a.plans.get().measures.first(), dt.date(2023, 5, 1))
    assert stale_organizations(descendants) == [a.pk]
    rows = _rows(parent_org, dt.date(2023, 12, 1))
    assert rows["CH01"].overdue_measures == 3 and rows["CH02"].overdue_measures == 4
    assert OrganizationSummary.objects.get(organization=b).stamp == stamp_b
    assert stale_organizations(descendants) == []


def test_numbers_are_the_same_computed_together_or_alone(parent_org):
    children = [
        _child(parent_org, n, score=(30, 70, None)[n % 3], records=n % 4, late_petition=n % 2)
        for n in range(6)
    ]
    together = compute([c.pk for c in children])
    for child in children:
        assert compute([child.pk])[child.pk] == together[child.pk]
    assert together[children[1].pk]["percent"] is not None


def test_the_command_recomputes_what_changed_only(parent_org):
    a = _child(parent_org, 1, score=70)
    _child(parent_org, 2)
    out = io.StringIO()
    call_command("refresh_summaries", "--organization", parent_org.code, stdout=out)
    assert out.getvalue().startswith("3 of 3 summaries recomputed")  # the parent's own too
    out = io.StringIO()
    call_command("refresh_summaries", "--organization", parent_org.code, stdout=out)
    assert out.getvalue().startswith("0 of 3")
    due = list(SummaryMeasureDue.objects.filter(organization=a).values_list("count", flat=True))
    board_update(a, a.plans.get().measures.first(), dt.date(2023, 5, 1))
    out = io.StringIO()
    call_command("refresh_summaries", stdout=out)
    assert out.getvalue().startswith("1 of ")
    assert (
        sum(SummaryMeasureDue.objects.filter(organization=a).values_list("count", flat=True))
        == sum(due) - 1
    )
