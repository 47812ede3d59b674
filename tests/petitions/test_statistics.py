"""Quarterly petition statistics that stay put: as of the quarter's cut-off, with
carry-over, resolved by outcome, on time or late, open at the end; the same whenever they
are printed; submitted figures kept, corrections recorded as such; the year on the portal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.petitions.models import PetitionStatsSnapshot
from shudarga.petitions.services import (
    petition_answer,
    petition_extend,
    petition_stats_submit,
    petition_transfer,
)
from shudarga.petitions.statistics import QuarterStats, petition_quarter_stats, quarter_bounds
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _on(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day + "T12:00"), tick=False)


def _register(org, received: str, **kwargs):
    with _on(received):
        return PetitionFactory(organization=org, received_on=dt.date.fromisoformat(received),
                               **kwargs)  # fmt: skip


def _answer(petition, day: str):
    with _on(day):
        petition_answer(petition=petition, answer_text="Хариу өгсөн.",
                        answered_on=dt.date.fromisoformat(day), actor=None)  # fmt: skip


def _q(org, quarter: int, today: str, year: int = 2023):
    start, end = quarter_bounds(year, quarter)
    return petition_quarter_stats(organization_id=org.pk, date_from=start, date_to=end,
                                  today=dt.date.fromisoformat(today))  # fmt: skip


@pytest.fixture
def q1_world(org):
    """Seven petitions around the first quarter of 2023, up to 31 March (see the hand
    count in `test_q1_matches_the_hand_count`)."""
    p = {}
    p[1] = _register(org, "2022-12-10")  # open into 2023, answered late in Q1
    p[2] = _register(org, "2022-12-20")  # answered in 2022: none of Q1's business
    _answer(p[2], "2022-12-28")
    p[3] = _register(org, "2023-01-10", channel="email", category="Газар")
    _answer(p[3], "2023-01-20")  # on time
    _answer(p[1], "2023-02-01")  # deadline was 9 January: late
    p[5] = _register(org, "2023-02-01", category="Ёс зүй")
    with _on("2023-02-10"):
        petition_transfer(petition=p[5], transferred_to="Нийслэлийн Засаг даргын Тамгын газар",
                          transferred_on=dt.date(2023, 2, 10), actor=None)  # fmt: skip
    p[6] = _register(org, "2023-02-15")  # never answered: overdue from 18 March
    p[4] = _register(org, "2023-03-01")  # deadline 31 March, answered 5 April
    p[7] = _register(org, "2023-03-10")  # deadline 9 April, extended on 5 April
    return p


def _later(p):
    """What happens after the quarter: answers and an extension dated in April and May."""
    with _on("2023-04-05"):
        petition_extend(petition=p[7], days=30, reason="Газар дээр шалгах", decided_by="Дарга",
                        petitioner_informed=True, actor=None, on=dt.date(2023, 4, 5))  # fmt: skip
    _answer(p[4], "2023-04-05")
    _answer(p[7], "2023-05-01")


def test_q1_matches_the_hand_count(org, q1_world):
    stats = _q(org, 1, "2023-03-31")
    t = stats.total
    # carried over: №1; received: №3, 4, 5, 6, 7; resolved: №1 (answered, late), №3
    # (answered, on time), №5 (transferred, on time); open at the end: №4, 6, 7, of which
    # №6 is overdue (its deadline was 17 March).
    assert (t.carried_over, t.received) == (1, 5)
    assert (t.answered, t.transferred, t.closed) == (2, 1, 0)
    assert (t.on_time, t.late) == (2, 1)
    assert (t.open_at_end, t.overdue_at_end) == (3, 1)
    assert t.carried_over + t.received == t.resolved + t.open_at_end
    assert t.percent_on_time == 50.0  # 2 of the 4 whose deadline came
    by_channel = {r.key: r for r in stats.by_channel}
    assert (by_channel["email"].received, by_channel["written"].received) == (1, 4)
    by_subject = {r.key: r for r in stats.by_subject}
    assert by_subject["Газар"].received + by_subject["Газар"].carried_over == 5
    assert by_subject["Ёс зүй"].transferred == 1


def test_a_past_quarter_is_the_same_whenever_it_is_printed(org, q1_world):
    on_the_day = _q(org, 1, "2023-03-31").to_data()
    _later(q1_world)
    assert _q(org, 1, "2023-07-01").to_data() == on_the_day
    assert _q(org, 1, "2024-05-01").to_data() == on_the_day


def test_answered_in_q2_counts_in_q2(org, q1_world):
    _later(q1_world)
    t = _q(org, 2, "2023-07-01").total
    # carried over: №4, 6, 7; resolved: №4 (5 April, late), №7 (1 May, on time: its
    # deadline was extended to 9 May on 5 April); open: №6, overdue.
    assert (t.carried_over, t.received, t.answered) == (3, 0, 2)
    assert (t.on_time, t.late, t.open_at_end, t.overdue_at_end) == (1, 1, 1, 1)


def test_the_current_quarter_is_provisional(org, q1_world):
    stats = _q(org, 1, "2023-03-20")
    assert stats.provisional and stats.cutoff == dt.date(2023, 3, 20)
    assert not _q(org, 1, "2023-04-01").provisional


def test_submitted_figures_stay_and_a_correction_is_recorded(client, officer, org, q1_world):
    with _on("2023-04-02"):
        with pytest.raises(ValidationError):
            petition_stats_submit(organization=org, year=2023, quarter=2, actor=officer,
                                  today=dt.date(2023, 4, 2))  # fmt: skip
        first = petition_stats_submit(organization=org, year=2023, quarter=1, actor=officer,
                                      today=dt.date(2023, 4, 2))  # fmt: skip
    # Registered late: a petition received in March, entered in July.
    _register(org, "2023-03-25")
    client.force_login(officer)
    url = reverse("petitions:stats", args=[org.code])
    with _on("2023-07-01"):
        html = client.get(url, {"year": 2023, "quarter": 1}).content.decode()
    assert 'data-test="submitted"' in html
    assert '<td class="text-end" data-col="received">5</td>' in html  # as submitted
    assert 'id="live"' in html  # and what the records say now, beside them

    with _on("2023-07-01"):
        with pytest.raises(ValidationError):  # a correction says why
            petition_stats_submit(organization=org, year=2023, quarter=1, actor=officer,
                                  today=dt.date(2023, 7, 1))  # fmt: skip
        response = client.post(
            reverse("petitions:stats_submit", args=[org.code]),
            {"year": 2023, "quarter": 1, "reason": "3-р сарын өргөдлийг хожим бүртгэсэн"},
        )
    assert response.status_code == 302
    second = PetitionStatsSnapshot.objects.exclude(pk=first.pk).get()
    assert second.corrects == first and second.data["total"]["received"] == 6
    assert first.data["total"]["received"] == 5  # unchanged
    assert AuditEntry.objects.filter(action="petition_stats.corrected").count() == 1
    assert QuarterStats.from_data(second.data).total.received == 6


def test_a_reader_may_not_submit(client, reviewer, org):
    client.force_login(reviewer)
    response = client.post(reverse("petitions:stats_submit", args=[org.code]),
                           {"year": 2023, "quarter": 1})  # fmt: skip
    assert response.status_code == 403


def test_the_portal_publishes_the_years_figures(client, org, q1_world):
    _later(q1_world)
    with _on("2024-02-01"):
        html = client.get(reverse("public:organization", args=[org.code])).content.decode()
    assert 'data-test="petition-years"' in html
    assert 'data-year="2023"' in html
    assert "Д.Иргэнбаяр" not in html  # counts only
