"""The migration that introduced the hash chain chains the entries written before it, and
the one that split the chain per organization (core.0006) keeps them verifiable in the
legacy chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shudarga.core.selectors import audit_chain_check

BEFORE = [("core", "0001_initial")]
AFTER = [("core", "0002_audit_hash_chain")]


@pytest.mark.django_db(transaction=True)
def test_it_chains_existing_entries_in_id_order():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        OldEntry = old_apps.get_model("core", "AuditEntry")
        at = dt.datetime(2024, 3, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)
        for i in range(5):
            OldEntry.objects.create(
                action="plan.imported",
                object_type="plans.plan",
                object_id=str(i),
                changes={"n": i},
                ip="127.0.0.1" if i % 2 else None,
            )
        # auto_now_add set `at`; make two entries share a time to show id order decides
        OldEntry.objects.update(at=at)
        migrate_forward = MigrationExecutor(connection)
        migrate_forward.loader.build_graph()
        migrate_forward.migrate(AFTER)
        # Checked with today's code, so on today's schema: the entries stay as 0002 chained
        # them (plain SHA-256, no key), and the first keyed entry will link to them.
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())

        report = audit_chain_check()
        assert (report.checked, report.intact) == (5, True)

        # 0006: they stay, as hashed, in the legacy chain (head id 1); new entries go to
        # their organization's chain, and every chain holds.
        from shudarga.core.audit_chain import LEGACY_CHAIN_ID
        from shudarga.core.models import AuditChainHead, AuditEntry
        from shudarga.core.services import audit_record

        assert set(AuditEntry.objects.values_list("chain_id", flat=True)) == {LEGACY_CHAIN_ID}
        legacy = AuditChainHead.objects.get(pk=LEGACY_CHAIN_ID)
        assert legacy.legacy and legacy.last_entry_id == AuditEntry.objects.latest("id").pk
        head = AuditChainHead.objects.get(pk=LEGACY_CHAIN_ID)
        new = audit_record(actor=None, action="plan.imported", obj=head, organization_id=3)
        assert new.chain_id != LEGACY_CHAIN_ID and new.prev_digest == ""
        report = audit_chain_check()
        assert (report.checked, report.intact, report.chains) == (6, True, 2)
        assert AuditChainHead.objects.get(pk=LEGACY_CHAIN_ID).last_entry_id == legacy.last_entry_id
        AuditEntry.objects.filter(pk=new.pk).delete()  # the way back needs one chain again
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
