"""Anchors of the audit chain (issue 16, finding 2): the two rewrites the attack found pass
`verify_audit` once the attacker also holds the key, and `verify_audit --anchors` names both,
from any copy of the anchors kept outside the database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shudarga.core.anchors import anchor_file, check_anchors, stored_anchor_sources
from shudarga.core.audit_chain import content_of, entry_digest, head_mac
from shudarga.core.audit_keys import current_key
from shudarga.core.models import AuditAnchor, AuditChainHead, AuditEntry
from shudarga.core.services import AnchorRefused, audit_anchor_take, audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def entries():
    user = UserFactory()
    return [
        audit_record(actor=user, action="test.done", obj=user, organization_id=1, changes={"n": i})
        for i in range(10)
    ]


def _reseal_head(entry: AuditEntry) -> None:
    """What an attacker holding the key does to the head after a rewrite."""
    AuditChainHead.objects.filter(pk=entry.chain_id).update(
        last_entry_id=entry.pk,
        digest=entry.digest,
        mac=head_mac(current_key(), last_entry_id=entry.pk, digest=entry.digest),
    )


def _cut_off_the_end(entries, keep: int) -> None:
    """Rewrite 1: delete the newest entries and point the head at the last kept digest."""
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[keep:]]).delete()
    _reseal_head(AuditEntry.objects.get(pk=entries[keep - 1].pk))


def _edit_and_recompute(entries, index: int) -> None:
    """Rewrite 2: edit an entry and recompute every digest after it in its chain with the
    application's own function (and the key)."""
    key = current_key()
    prev = entries[index - 1].digest
    chain = AuditEntry.objects.filter(chain_id=entries[index].chain_id)
    for entry in chain.filter(pk__gte=entries[index].pk).order_by("id"):
        if entry.pk == entries[index].pk:
            entry.changes = {"n": "rewritten"}
        entry.prev_digest = prev
        entry.digest = prev = entry_digest(content_of(entry), entry.prev_digest, key)
        entry.save(update_fields=["changes", "prev_digest", "digest"])
    _reseal_head(chain.order_by("-id").first())


def test_an_anchor_is_signed_and_kept_in_the_database_the_file_and_the_log(entries, caplog):
    with caplog.at_level("INFO", logger="shudarga.core.services"):
        (row,) = audit_anchor_take()
    assert (row.last_entry_id, row.digest, row.entries) == (entries[-1].pk, entries[-1].digest, 10)
    assert row.key_id == current_key().id and len(row.mac) == 64
    (line,) = anchor_file().read_text().splitlines()
    assert json.loads(line)["entry"] == entries[-1].pk
    assert any(
        "audit anchor" in r.getMessage() and row.digest in r.getMessage() for r in caplog.records
    )
    assert "anchors from" in _verify("--anchors")


@pytest.mark.parametrize(
    ("rewrite", "named"),
    [
        (lambda entries: _cut_off_the_end(entries, 7), "were cut off the end of the log"),
        (lambda entries: _edit_and_recompute(entries, 3), "rewritten and its digests recomputed"),
    ],
    ids=["entries cut off the end", "an entry edited and the digests recomputed"],
)
def test_verify_audit_anchors_names_both_rewrites(entries, rewrite, named):
    audit_anchor_take()
    rewrite(entries)
    # The chain itself holds: with the key, the attacker made every digest and the head fit.
    assert "chain intact" in _verify()
    with pytest.raises(CommandError, match=named) as caught:
        _verify("--anchors")
    assert f"entry #{entries[-1].pk}" in str(caught.value)


def test_the_anchors_outside_the_database_catch_it_when_the_table_is_emptied_too(entries, tmp_path):
    audit_anchor_take()
    published = tmp_path / "kept-by-a-citizen.json"
    published.write_text(json.dumps({"anchors": [json.loads(anchor_file().read_text())]}))
    _edit_and_recompute(entries, 2)
    AuditAnchor.objects.all().delete()
    anchor_file().unlink()
    assert "anchors from database hold" in _verify("--anchors")  # nothing left to compare
    with pytest.raises(CommandError, match="rewritten"):
        _verify("--anchors", str(published))


def test_without_the_key_verify_audit_alone_finds_both(entries, settings):
    """The attacker without the key: the recomputed digests and the moved head do not fit."""
    settings.SHUDARGA_AUDIT_KEY = "the-attackers-own-key-" + "z" * 20
    settings.SHUDARGA_AUDIT_OLD_KEYS = []
    _edit_and_recompute(entries, 3)  # recomputed with a key the installation does not hold
    settings.SHUDARGA_AUDIT_KEY = "test-only-audit-key-" + "0123456789" * 2
    with pytest.raises(CommandError, match="Audit chain broken"):
        _verify()


def test_a_forged_anchor_is_refused(entries):
    (row,) = audit_anchor_take()
    AuditAnchor.objects.filter(pk=row.pk).update(digest="0" * 64)
    with pytest.raises(CommandError, match="forged or altered"):
        _verify("--anchors")


def test_anchoring_refuses_a_chain_rewritten_since_the_last_anchor(entries):
    audit_anchor_take()
    _edit_and_recompute(entries, 5)
    with pytest.raises(AnchorRefused, match="does not hold since the last anchor"):
        audit_anchor_take()
    assert AuditAnchor.objects.count() == 1
    with pytest.raises(CommandError, match="Not anchored"):
        call_command("anchor_audit", stdout=StringIO())


def test_later_entries_keep_the_anchors_holding(entries):
    audit_anchor_take()
    user = UserFactory()
    audit_record(actor=user, action="test.more", obj=user, organization_id=1)
    (second,) = audit_anchor_take()
    assert second.last_entry_id > entries[-1].pk
    report = check_anchors(stored_anchor_sources())
    assert report.intact and report.checked == 2


def test_the_transparency_page_publishes_the_anchors(client, entries, tmp_path):
    (row,) = audit_anchor_take()
    html = client.get(reverse("public:transparency")).content.decode()
    assert row.digest in html and f"#{row.last_entry_id}" in html
    data = client.get(reverse("public:transparency_json")).json()
    assert data["anchors"][0]["mac"] == row.mac
    kept = tmp_path / "transparency.json"
    kept.write_text(json.dumps(data))
    _cut_off_the_end(entries, 4)
    AuditAnchor.objects.all().delete()
    with pytest.raises(CommandError, match="cut off the end"):
        _verify("--anchors", str(kept))


def test_an_empty_log_is_not_anchored():
    assert audit_anchor_take() == []


def test_each_chain_is_anchored_and_checked_on_its_own(entries, client):
    """One anchor per chain that moved; a chain rewritten since its anchor is refused and
    named with its organization, while the other chains are still anchored."""
    user = UserFactory()
    theirs = [
        audit_record(actor=user, action="test.done", obj=user, organization_id=2, changes={"n": i})
        for i in range(4)
    ]
    country = audit_record(actor=user, action="user.signed_in", obj=user, organization_id=None)
    rows = audit_anchor_take()
    assert {(r.organization_id, r.last_entry_id) for r in rows} == {
        (1, entries[-1].pk),
        (2, theirs[-1].pk),
        (None, country.pk),
    }
    assert {r.entries for r in rows} == {10, 4, 1}
    assert audit_anchor_take() == []  # nothing moved since
    html = client.get(reverse("public:transparency")).content.decode()
    assert all(f"#{r.last_entry_id}" in html for r in rows)

    # Organization 2's chain rewritten with the key; organization 1 goes on writing.
    _edit_and_recompute(theirs, 2)
    audit_record(actor=user, action="test.more", obj=user, organization_id=1)
    with pytest.raises(AnchorRefused, match="organization id 2") as caught:
        audit_anchor_take()
    assert "organization id 1" not in str(caught.value)
    assert AuditAnchor.objects.filter(organization_id=1).count() == 2  # still anchored
    with pytest.raises(CommandError, match=r"chain #\d+ of organization id 2"):
        _verify("--anchors")
