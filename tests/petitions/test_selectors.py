"""Overdue and due-soon lists, the quarterly statistics against a hand count, and the
numbers the criteria engine reads for measure 5.5."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from shudarga.petitions import services
from shudarga.petitions.selectors import (
    petition_due_counts,
    petition_list,
    petition_overdue_count,
)
from shudarga.petitions.statistics import petition_quarter_stats, quarter_bounds
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 20)
D = dt.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2024, 5, 20, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


def _p(org, received, channel="written", kind="petition", **kwargs):
    return PetitionFactory(
        organization=org, received_on=received, channel=channel, kind=kind, **kwargs
    )


@pytest.fixture
def quarter(org, officer):
    """Nine petitions received in Q2 2024 and one in Q1, in the states noted."""
    p = {}
    p[1] = _p(org, D(2024, 4, 1))  # due 05-01
    services.petition_answer(
        petition=p[1], answer_text="a", answered_on=D(2024, 4, 20), actor=officer
    )
    p[2] = _p(org, D(2024, 4, 5), "email", "complaint")  # due 05-05, answered late
    services.petition_answer(
        petition=p[2], answer_text="a", answered_on=D(2024, 5, 10), actor=officer
    )
    p[3] = _p(org, D(2024, 4, 10), "website")  # due 05-10: overdue, open
    p[4] = _p(org, D(2024, 5, 1), "website", "request")  # due 05-31: not yet due
    p[5] = _p(org, D(2024, 4, 2), "in_person", "proposal")  # due 07-01: not yet due
    p[6] = _p(org, D(2024, 4, 3), "phone", "complaint")  # due 05-03
    services.petition_transfer(
        petition=p[6], transferred_to="Өөр байгууллага", transferred_on=D(2024, 4, 5), actor=officer
    )
    with time_machine.travel(dt.datetime(2024, 5, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        p[7] = _p(org, D(2024, 4, 15))  # due 05-15, extended to 05-25: not yet due
        services.petition_extend(
            petition=p[7],
            days=10,
            reason="r",
            decided_by="h",
            petitioner_informed=True,
            actor=officer,
        )
    p[8] = _p(org, D(2024, 4, 16), "1111")  # closed without an answer, on time
    services.petition_close(petition=p[8], closed_on=D(2024, 4, 20), note="Буцаасан", actor=officer)
    with time_machine.travel(dt.datetime(2024, 4, 25, 3, 0, tzinfo=dt.UTC), tick=False):
        p[9] = _p(org, D(2024, 4, 1), "written", "complaint")  # due 05-01, extended to 05-21
        services.petition_extend(
            petition=p[9],
            days=20,
            reason="r",
            decided_by="h",
            petitioner_informed=True,
            actor=officer,
        )
    services.petition_answer(
        petition=p[9], answer_text="a", answered_on=D(2024, 5, 20), actor=officer
    )
    q1 = _p(org, D(2024, 3, 15))
    services.petition_answer(
        petition=q1, answer_text="a", answered_on=D(2024, 3, 20), actor=officer
    )
    return p


def _row(rows, key):
    return next(r for r in rows if r.key == key)


def test_the_quarterly_table_matches_a_hand_count(org, quarter):
    start, end = quarter_bounds(2024, 2)
    assert (start, end) == (D(2024, 4, 1), D(2024, 6, 30))
    stats = petition_quarter_stats(
        organization_id=org.pk, date_from=start, date_to=end, today=TODAY
    )
    t = stats.total
    assert (t.received, t.answered, t.transferred, t.closed) == (9, 3, 1, 1)
    assert stats.provisional and t.carried_over == 0  # the Q1 petition was answered in Q1
    assert (t.overdue_at_end, t.not_yet_due_at_end, t.on_time, t.late) == (1, 3, 4, 1)
    assert t.percent_on_time == 66.6  # 4 of 6 whose deadline came, truncated
    written = _row(stats.by_channel, "written")
    assert (written.received, written.answered, written.not_yet_due_at_end) == (3, 2, 1)
    assert written.percent_on_time == 100.0
    website = _row(stats.by_channel, "website")
    website_figures = (website.overdue_at_end, website.not_yet_due_at_end, website.percent_on_time)
    assert (website.received, *website_figures) == (
        2,
        1,
        1,
        0.0,
    )
    assert _row(stats.by_channel, "email").late == 1
    assert _row(stats.by_channel, "phone").transferred == 1
    assert _row(stats.by_channel, "1111").closed == 1
    assert _row(stats.by_channel, "in_person").percent_on_time is None
    assert _row(stats.by_channel, "other").received == 0
    petition = _row(stats.by_kind, "petition")
    assert (petition.received, petition.on_time, petition.percent_on_time) == (4, 2, 66.6)
    complaint = _row(stats.by_kind, "complaint")
    assert (complaint.received, complaint.answered, complaint.transferred, complaint.late) == (
        3,
        2,
        1,
        1,
    )
    assert _row(stats.by_kind, "proposal").not_yet_due_at_end == 1
    for row in [t, *stats.by_channel, *stats.by_kind]:
        assert row.carried_over + row.received == row.resolved + row.open_at_end
        assert row.resolved == row.on_time + row.late


def test_the_year_includes_the_first_quarter(org, quarter):
    start, end = quarter_bounds(2024, None)
    stats = petition_quarter_stats(
        organization_id=org.pk, date_from=start, date_to=end, today=TODAY
    )
    assert stats.total.received == 10
    assert stats.total.on_time == 5


def test_overdue_count_for_the_criteria_engine(org, other_org, quarter):
    _p(other_org, D(2024, 4, 1))  # overdue, but another organization's
    q2 = {"organization_id": org.pk, "date_from": D(2024, 4, 1), "date_to": D(2024, 6, 30)}
    assert petition_overdue_count(**q2, today=TODAY) == 2  # #3 open, #2 answered late
    q1 = {**q2, "date_from": D(2024, 1, 1), "date_to": D(2024, 3, 31)}
    assert petition_overdue_count(**q1, today=TODAY) == 0  # "none overdue"
    # As it stood on 8 May: #2 was still open past its deadline; #3 not yet due.
    assert petition_overdue_count(**q2, today=D(2024, 5, 8)) == 1


def test_overdue_and_due_soon_lists(org, quarter):
    overdue = petition_list(organization=org, today=TODAY, due="overdue")
    assert [p.pk for p in overdue] == [quarter[3].pk]
    soon = petition_list(organization=org, today=TODAY, due="soon")  # within 7 days
    assert [p.pk for p in soon] == [quarter[7].pk]  # due 05-25; #4 (05-31) is later
    assert petition_due_counts(organization=org, today=TODAY) == {"overdue": 1, "soon": 1}


def test_search_reaches_personal_data_only_for_handlers(org):
    petition = _p(org, TODAY, petitioner_name="Б.Өлзийсайхан", subject="Гудамжны гэрэл")
    assert list(petition_list(organization=org, today=TODAY, q="гэРЭЛ")) == [petition]
    assert list(petition_list(organization=org, today=TODAY, q="өлзий", personal=True)) == [
        petition
    ]
    assert list(petition_list(organization=org, today=TODAY, q="өлзий")) == []
