"""The audit log's hash chain: every entry links to the one before it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.db import transaction
from django.utils import timezone

from shudarga.core.audit_chain import canonical_json, content_of, entry_digest, head_mac
from shudarga.core.audit_keys import current_key
from shudarga.core.models import AuditChainHead, AuditEntry
from shudarga.core.selectors import audit_chain_check, audit_entries_for_organization
from shudarga.core.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _record(user, n: int = 1) -> list[AuditEntry]:
    return [
        audit_record(actor=user, action="test.done", obj=user, organization_id=7, changes={"n": i})
        for i in range(n)
    ]


def test_it_links_each_entry_to_the_one_before():
    user = UserFactory()
    first, second, third = _record(user, 3)
    assert first.prev_digest == ""
    assert second.prev_digest == first.digest
    assert third.prev_digest == second.digest
    assert len({first.digest, second.digest, third.digest}) == 3
    head = AuditChainHead.objects.get(organization_id=7)
    assert (head.last_entry_id, head.digest) == (third.pk, third.digest)


def test_it_keys_the_content_and_the_previous_digest_as_canonical_json():
    user = UserFactory(username="дарга")
    entry = audit_record(
        actor=user, action="test.done", obj=user, organization_id=7, changes={"б": 1, "a": [1, 2]}
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    key = current_key()
    assert stored.key_id == key.id and len(key.id) == 16
    payload = json.loads(canonical_json(content_of(stored), stored.prev_digest, stored.key_id))
    assert payload == {
        "key": key.id,
        "action": "test.done",
        "actor_id": user.pk,
        "actor_label": "дарга",
        "at": stored.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "changes": {"a": [1, 2], "б": 1},
        "ip": None,
        "object_id": str(user.pk),
        "object_repr": "дарга",
        "object_type": "auth.user",
        "organization_id": 7,
        "prev_digest": stored.prev_digest,
    }
    message = canonical_json(content_of(stored), stored.prev_digest, key.id)
    assert stored.digest == hmac.new(key.secret, message, hashlib.sha256).hexdigest()
    # Without the key, the application's own function cannot make the digest.
    assert entry_digest(content_of(stored), stored.prev_digest) != stored.digest


def test_the_digest_survives_the_database_round_trip():
    """What the column gives back (jsonb numbers, compressed IPv6, UTC times) hashes the same."""
    user = UserFactory()
    changes = {"float": 5.0, "big": 1e16, "tuple": (1, 2), 3: "int key", "text": "Шударга"}
    entry = audit_record(
        actor=user,
        action="test.done",
        obj=user,
        organization_id=None,
        changes=changes,
        ip="2001:0db8:0000:0000:0000:0000:0000:0001",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.ip == "2001:db8::1"
    assert entry_digest(content_of(stored), stored.prev_digest, current_key()) == stored.digest
    assert audit_chain_check().intact


def test_the_system_is_recorded_without_an_actor():
    user = UserFactory()
    entry = audit_record(actor=None, action="test.done", obj=user, organization_id=None)
    assert (entry.actor_id, entry.actor_label) == (None, "system")
    assert audit_chain_check().intact


def test_a_rolled_back_change_leaves_the_chain_intact():
    user = UserFactory()
    _record(user, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(user, 1)
        raise RuntimeError("the change failed")
    _record(user, 1)
    report = audit_chain_check()
    assert (report.checked, report.intact) == (3, True)


def test_a_deleted_head_is_named():
    """Deleting a chain's head (to hide entries cut off its end) is found, even after the
    next write started a new chain for the organization."""
    user = UserFactory()
    first = _record(user)[0]
    AuditChainHead.objects.filter(pk=first.chain_id).delete()
    second = _record(user)[0]
    assert second.chain_id != first.chain_id and second.prev_digest == ""
    report = audit_chain_check()
    assert report.first_break.entry_id == first.pk
    assert "head row is missing" in report.first_break.reason


def test_it_finds_an_edited_entry():
    user = UserFactory()
    entries = _record(user, 5)
    AuditEntry.objects.filter(pk=entries[2].pk).update(changes={"n": 99})
    report = audit_chain_check()
    assert report.first_break.entry_id == entries[2].pk
    assert "edited" in report.first_break.reason


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor_label", "someone else"),
        ("action", "test.undone"),
        ("object_id", "12345"),
        ("organization_id", 8),
        ("ip", "10.0.0.1"),
        ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_it_finds_any_hashed_field_edited(field, value):
    user = UserFactory()
    entries = _record(user, 3)
    AuditEntry.objects.filter(pk=entries[1].pk).update(**{field: value})
    assert audit_chain_check().first_break.entry_id == entries[1].pk


def test_it_finds_a_deleted_entry_at_the_next_one():
    user = UserFactory()
    entries = _record(user, 5)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    report = audit_chain_check()
    assert report.first_break.entry_id == entries[3].pk
    assert f"#{entries[1].pk}" in report.first_break.reason


def test_it_finds_the_first_entries_deleted():
    user = UserFactory()
    entries = _record(user, 3)
    AuditEntry.objects.filter(pk=entries[0].pk).delete()
    assert audit_chain_check().first_break.entry_id == entries[1].pk


def test_it_finds_the_last_entries_deleted():
    user = UserFactory()
    entries = _record(user, 3)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    report = audit_chain_check()
    assert report.first_break.entry_id is None
    assert f"#{entries[2].pk}" in report.first_break.reason


def test_it_finds_an_entry_rewritten_with_a_new_digest_without_the_key():
    """Whoever edits an entry and recomputes its digest with the application's own function
    but without the key breaks the entry itself."""
    user = UserFactory()
    entries = _record(user, 3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.changes = {"n": 99}
    forged.digest = entry_digest(content_of(forged), forged.prev_digest)
    forged.save()
    report = audit_chain_check()
    assert report.first_break.entry_id == entries[1].pk
    assert "edited" in report.first_break.reason


def test_it_finds_an_entry_rewritten_with_the_key_at_the_next_link():
    """With the key, the rewritten entry hashes right, but the next link breaks (unless every
    digest after it is recomputed too: the anchors catch that, tests/core/test_anchors.py)."""
    user = UserFactory()
    entries = _record(user, 3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.changes = {"n": 99}
    forged.digest = entry_digest(content_of(forged), forged.prev_digest, current_key())
    forged.save()
    assert audit_chain_check().first_break.entry_id == entries[2].pk


def test_the_head_cannot_be_moved_back_without_the_key():
    """Issue 16, finding 2, first rewrite: delete the newest entries and point the head at
    the last kept digest. The head's seal then no longer matches."""
    user = UserFactory()
    entries = _record(user, 5)
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[3:]]).delete()
    heads = AuditChainHead.objects.filter(organization_id=7)
    heads.update(last_entry_id=entries[2].pk, digest=entries[2].digest)
    report = audit_chain_check()
    assert not report.intact
    assert "moved without the key" in report.first_break.reason
    # With the key, the head can be resealed: then only the anchors tell (test_anchors.py).
    heads.update(mac=head_mac(current_key(), last_entry_id=entries[2].pk, digest=entries[2].digest))
    assert audit_chain_check().intact


def test_an_entry_under_an_unknown_key_is_named(settings):
    user = UserFactory()
    _record(user, 2)
    settings.SHUDARGA_AUDIT_KEY = "another-key-" + "x" * 40
    rotated = _record(user, 1)[0]  # a rotation entry goes first
    assert AuditEntry.objects.filter(action="audit.key_rotated").count() == 1
    assert audit_chain_check().intact is False  # the old key is not configured any more
    settings.SHUDARGA_AUDIT_OLD_KEYS = ["test-only-audit-key-" + "0123456789" * 2]
    report = audit_chain_check()
    assert report.intact, report.first_break
    assert rotated.key_id != AuditEntry.objects.order_by("id").first().key_id


def test_an_unkeyed_entry_after_keyed_ones_is_refused():
    user = UserFactory()
    last = _record(user, 2)[-1]
    slipped = AuditEntry(
        at=timezone.now(), actor_label="intruder", action="test.done", organization_id=7,
        object_type="auth.user", object_id="1", prev_digest=last.digest, chain_id=last.chain_id,
    )  # fmt: skip
    slipped.digest = entry_digest(content_of(slipped), slipped.prev_digest)
    slipped.save()
    report = audit_chain_check()
    assert report.first_break.entry_id == slipped.pk
    assert "no key" in report.first_break.reason


def test_it_finds_an_entry_inserted_behind_the_application():
    """A correctly chained entry added with SQL, without the head, is found and named."""
    user = UserFactory()
    last = _record(user, 2)[-1]
    inserted = AuditEntry(
        at=timezone.now(),
        actor_label="intruder",
        action="test.done",
        object_type="auth.user",
        object_id="1",
        prev_digest=last.digest,
        key_id=current_key().id,
        organization_id=7,
        chain_id=last.chain_id,
    )
    inserted.digest = entry_digest(content_of(inserted), inserted.prev_digest, current_key())
    inserted.save()
    report = audit_chain_check()
    assert report.first_break.entry_id == inserted.pk
    assert "without the chain" in report.first_break.reason


def test_an_empty_log_is_intact():
    report = audit_chain_check()
    assert (report.checked, report.intact) == (0, True)


def test_it_reads_the_chain_in_chunks(django_assert_max_num_queries):
    user = UserFactory()
    _record(user, 7)
    # On SQLite a chunked read is one query; PostgreSQL adds cursor fetches. Either way it
    # does not grow with the entries beyond the chunks.
    with django_assert_max_num_queries(2 + 7 // 3 + 1):
        assert audit_chain_check(chunk_size=3).checked == 7


def test_the_organization_history_filters_and_orders_newest_first():
    user = UserFactory()
    plan = audit_record(actor=user, action="plan.imported", obj=user, organization_id=1)
    measure = audit_record(actor=user, action="measure.assigned", obj=user, organization_id=1)
    audit_record(actor=user, action="plan.imported", obj=user, organization_id=2)  # elsewhere
    old = audit_record(actor=user, action="plan.approve", obj=user, organization_id=1)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=10))

    def ids(**filters):
        entries = audit_entries_for_organization(organization_id=1, **filters)
        return [e.pk for e in entries]

    assert ids() == [measure.pk, plan.pk, old.pk]
    assert ids(action_prefix="plan.") == [plan.pk, old.pk]
    assert ids(object_type="auth.user", action_prefix="measure.") == [measure.pk]
    assert ids(object_type="plans.plan") == []
    today = timezone.localdate()
    assert ids(date_from=today) == [measure.pk, plan.pk]
    assert ids(date_to=today - dt.timedelta(days=1)) == [old.pk]
    assert ids(date_from=today - dt.timedelta(days=10), date_to=today - dt.timedelta(days=10)) == [
        old.pk
    ]


def test_the_organization_history_reads_actors_in_the_same_query(django_assert_num_queries):
    for _ in range(3):
        user = UserFactory()
        audit_record(actor=user, action="plan.imported", obj=user, organization_id=1)
    with django_assert_num_queries(1):  # entries joined with their actor
        assert (
            len({e.actor.username for e in audit_entries_for_organization(organization_id=1)}) == 3
        )


def test_an_audited_write_costs_three_queries(django_assert_num_queries):
    user = UserFactory()
    audit_record(actor=user, action="test.first", obj=user, organization_id=None)
    # lock the head (made by the chain's first entry), insert the entry, move the head
    with transaction.atomic(), django_assert_num_queries(3):
        audit_record(actor=user, action="test.done", obj=user, organization_id=None)


def test_each_chain_records_its_own_key_rotation(settings):
    user = UserFactory()
    for organization_id in (7, 8):
        audit_record(actor=user, action="test.done", obj=user, organization_id=organization_id)
    settings.SHUDARGA_AUDIT_OLD_KEYS = [settings.SHUDARGA_AUDIT_KEY]
    settings.SHUDARGA_AUDIT_KEY = "another-key-" + "x" * 40
    audit_record(actor=user, action="test.done", obj=user, organization_id=7)
    rotations = AuditEntry.objects.filter(action="audit.key_rotated")
    assert list(rotations.values_list("organization_id", flat=True)) == [7]
    audit_record(actor=user, action="test.done", obj=user, organization_id=8)
    assert sorted(rotations.values_list("organization_id", flat=True)) == [7, 8]
    assert audit_chain_check().intact
    # The chain's business, not a person's action: not in the organization's history.
    assert not audit_entries_for_organization(organization_id=7).filter(action="audit.key_rotated")
