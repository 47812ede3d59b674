"""The memo of audited results: in Django's cache, keyed by each organization's own newest
change, so a change serves fresh results for its organization and leaves the others'."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from shudarga.core.memo import AuditMemo, change_stamp, change_stamp_of_many
from shudarga.core.services import audit_record
from shudarga.criteria.selectors import plan_evaluate
from shudarga.registers.models import BoardUpdate
from shudarga.registers.registry import REGISTERS
from shudarga.registers.services import register_row_save
from shudarga.settings import cache_from_env
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 12, 31)


def _board_update(org, plan) -> None:
    register_row_save(
        spec=REGISTERS["board-updates"],
        organization=org,
        row=BoardUpdate(date=dt.date(2023, 5, 2), content="Мэдээлэл"),
        measures=[plan.measures.get(code="1.3")],
        actor=None,
    )


def _statuses(evaluation) -> dict:
    return {
        pk: (s.evaluation.status, s.evaluation.message, s.evaluation.count)
        for pk, s in evaluation.by_criterion.items()
    }


def test_it_is_on_in_tests_and_uses_the_cache(settings):
    assert settings.AUDIT_MEMO is True
    memo = AuditMemo("test")
    assert memo.get(lambda: ("k", 1), lambda: [1, 2]) == [1, 2]
    assert cache.get(memo.cache_key(("k", 1))) == [1, 2]
    assert memo.get(lambda: ("k", 1), lambda: pytest.fail("computed again")) == [1, 2]


def test_the_stamp_is_the_organizations_own_newest_change(org, seed_plan):
    other = OrganizationFactory()
    before, others_before = (
        change_stamp(organization_id=org.pk),
        change_stamp(organization_id=other.pk),
    )
    _board_update(org, seed_plan)
    after = change_stamp(organization_id=org.pk)
    assert after is not None and after != before
    assert change_stamp(organization_id=other.pk) == others_before
    entry = audit_record(actor=None, action="test.done", obj=org, organization_id=other.pk)
    assert change_stamp(organization_id=other.pk) == entry.pk
    assert change_stamp(organization_id=org.pk) == after


def test_a_stamp_of_many_moves_with_any_of_them(org):
    other = OrganizationFactory()
    ids = [org.pk, other.pk]
    first = change_stamp_of_many(organization_ids=ids)
    audit_record(actor=None, action="test.done", obj=org, organization_id=other.pk)
    second = change_stamp_of_many(organization_ids=ids)
    assert second != first
    audit_record(actor=None, action="test.done", obj=org, organization_id=999_999)
    assert change_stamp_of_many(organization_ids=ids) == second  # not one of them


def test_a_change_in_one_organization_keeps_the_others_results(
    org, seed_plan, other_plan, django_assert_max_num_queries
):
    theirs = other_plan
    mine_before = plan_evaluate(plan=seed_plan, today=TODAY)
    theirs_before = plan_evaluate(plan=theirs, today=TODAY)
    _board_update(org, seed_plan)  # a change in organization A only

    # B's evaluation comes from the cache: its facts are not read again.
    with django_assert_max_num_queries(9) as counted:
        theirs_after = plan_evaluate(plan=theirs, today=TODAY)
    assert not [q for q in counted.captured_queries if "registers_boardupdate" in q["sql"]]
    assert _statuses(theirs_after) == _statuses(theirs_before)

    # A's is computed again, and sees the new record.
    with django_assert_max_num_queries(60) as counted:
        mine_after = plan_evaluate(plan=seed_plan, today=TODAY)
    assert [q for q in counted.captured_queries if "registers_boardupdate" in q["sql"]]
    assert _statuses(mine_after) != _statuses(mine_before)


def test_results_read_from_the_cache_equal_fresh_ones(org, seed_plan, settings):
    _board_update(org, seed_plan)
    computed = plan_evaluate(plan=seed_plan, today=TODAY)
    # From the cache: the local-memory cache pickles values as Redis does.
    cached = plan_evaluate(plan=seed_plan, today=TODAY)
    settings.AUDIT_MEMO = False
    fresh = plan_evaluate(plan=seed_plan, today=TODAY)
    assert _statuses(cached) == _statuses(fresh) == _statuses(computed)
    assert cached.facts == fresh.facts


def test_a_cache_that_does_not_answer_computes(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("shudarga.core.memo.cache.get", broken)
    assert AuditMemo("test").get(lambda: "k", lambda: 42) == 42


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A Redis server of the test's own on a free port, as the `default` cache (the
    production configuration: `SHUDARGA_CACHE_URL=redis://…`)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 (a fixed program, our own arguments)
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        settings.CACHES = cache_from_env({"SHUDARGA_CACHE_URL": f"redis://127.0.0.1:{port}/0"})
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_memo_works_through_redis(redis_cache, org, seed_plan, other_plan):
    """Through Django's RedisCache, as in production: results round-trip equal, and a change
    in one organization leaves the other's result in Redis."""
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    first = plan_evaluate(plan=seed_plan, today=TODAY)
    theirs = plan_evaluate(plan=other_plan, today=TODAY)
    assert _statuses(plan_evaluate(plan=seed_plan, today=TODAY)) == _statuses(first)
    _board_update(org, seed_plan)
    memo = AuditMemo("probe")
    memo.get(lambda: "k", lambda: {"б": 1})
    assert cache.get(memo.cache_key("k")) == {"б": 1}  # it really is in Redis
    assert _statuses(plan_evaluate(plan=other_plan, today=TODAY)) == _statuses(theirs)
    assert _statuses(plan_evaluate(plan=seed_plan, today=TODAY)) != _statuses(first)
