"""What the criteria evaluation and reports read: counts per criterion and evidence per
measure over a period, current versions only, one query each."""

from __future__ import annotations

import datetime as dt

import pytest

from shudarga.evidence import services
from shudarga.evidence.selectors import (
    evidence_counts_by_criterion,
    evidence_for_measures,
    evidence_for_organization,
    evidence_versions,
)
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db

Q1 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


@pytest.fixture
def measures(seed_plan):
    return seed_plan.measures.get(code="1.1"), seed_plan.measures.get(code="1.2")


@pytest.fixture
def data(measures, coordinator):
    """Evidence of two measures inside and outside Q1, with one replaced and one deleted."""
    m1, m2 = measures
    c1, c2 = list(m1.criteria.all())[:2]
    made = {
        "c1_file": EvidenceFactory(measure=m1, criterion=c1, as_file=True,
                                   relates_to=dt.date(2024, 1, 1)),
        "c1_link": EvidenceFactory(measure=m1, criterion=c1, relates_to=dt.date(2024, 3, 31)),
        "c2_after": EvidenceFactory(measure=m1, criterion=c2, relates_to=dt.date(2024, 4, 1)),
        "m1_whole": EvidenceFactory(measure=m1, relates_to=dt.date(2024, 2, 10)),
        "m2_whole": EvidenceFactory(measure=m2, as_file=True, relates_to=dt.date(2024, 2, 20)),
        "m2_before": EvidenceFactory(measure=m2, relates_to=dt.date(2023, 12, 31)),
        "deleted": EvidenceFactory(measure=m2, criterion=None, relates_to=dt.date(2024, 2, 1)),
        "replaced": EvidenceFactory(measure=m1, criterion=c2, relates_to=dt.date(2024, 2, 1)),
    }  # fmt: skip
    services.evidence_delete(evidence=made["deleted"], actor=coordinator)
    # The new version moves the work date out of Q1: only the current date counts.
    made["replacement"] = services.evidence_replace(
        evidence=made["replaced"], actor=coordinator, link="https://example.mn/v2",
        relates_to=dt.date(2024, 5, 1),
    )  # fmt: skip
    made["c1"], made["c2"] = c1, c2
    return made


def test_counts_by_criterion_in_one_query(measures, data, django_assert_num_queries):
    m1, m2 = measures
    with django_assert_num_queries(1):
        tally = evidence_counts_by_criterion(
            measure_ids=[m1.pk, m2.pk], date_from=Q1[0], date_to=Q1[1]
        )
    c1 = tally[data["c1"].pk]
    assert (c1.total, c1.files, c1.links) == (2, 1, 1)
    assert c1.latest == dt.date(2024, 3, 31)  # both ends of the period count
    assert c1.by_measure == {m1.pk: 2}
    assert data["c2"].pk not in tally  # after the period, or replaced out of it
    whole = tally[None]
    assert (whole.total, whole.files, whole.links) == (2, 1, 1)
    assert whole.by_measure == {m1.pk: 1, m2.pk: 1}  # the deleted one does not count


def test_counts_with_open_ends(measures, data):
    m1, m2 = measures
    tally = evidence_counts_by_criterion(measure_ids=[m1.pk, m2.pk], date_from=None, date_to=None)
    assert tally[data["c2"].pk].total == 2  # after Q1 + the current replacement
    assert tally[None].by_measure == {m1.pk: 1, m2.pk: 2}
    assert evidence_counts_by_criterion(measure_ids=[], date_from=None, date_to=None) == {}


def test_evidence_for_measures_in_one_query(measures, data, django_assert_num_queries):
    m1, m2 = measures
    with django_assert_num_queries(1):
        rows = list(evidence_for_measures(measure_ids=[m1.pk, m2.pk], date_from=Q1[0],
                                          date_to=Q1[1]))  # fmt: skip
        shown = [(e.measure.code, e.criterion_id, e.relates_to, e.uploaded_by) for e in rows]
    assert [e.pk for e in rows] == [
        data["c1_file"].pk, data["m1_whole"].pk, data["c1_link"].pk, data["m2_whole"].pk,
    ]  # fmt: skip
    assert shown[0][0] == "1.1"


def test_evidence_for_measures_reads_only_the_given_measures(measures, data, other_measure):
    EvidenceFactory(measure=other_measure, relates_to=dt.date(2024, 2, 2))
    m1, _m2 = measures
    rows = evidence_for_measures(measure_ids=[m1.pk], date_from=None, date_to=None)
    assert {e.measure_id for e in rows} == {m1.pk}
    assert data["replaced"].pk not in {e.pk for e in rows}


def test_the_organization_list_is_scoped_and_current(org, measures, data, other_measure):
    EvidenceFactory(measure=other_measure)
    rows = list(evidence_for_organization(organization=org))
    assert {e.organization_id for e in rows} == {org.pk}
    assert data["deleted"] not in rows and data["replaced"] not in rows
    assert data["replacement"] in rows
    assert rows == sorted(rows, key=lambda e: (e.relates_to, e.pk), reverse=True)


def test_versions_are_listed_newest_first(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        versions = list(evidence_versions(evidence=data["replaced"]))
    assert [v.version for v in versions] == [2, 1]
