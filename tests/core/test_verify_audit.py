"""`shudarga verify_audit` names the first entry that was tampered with."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shudarga.core.models import AuditEntry
from shudarga.core.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.fixture
def entries():
    user = UserFactory()
    return [
        audit_record(actor=user, action="test.done", obj=user, organization_id=1, changes={"n": i})
        for i in range(5)
    ]


def test_it_passes_an_intact_chain(entries):
    assert re.fullmatch(r"5 entries \(\d+ chains\) and 0 versions, chain intact", _verify().strip())


def test_it_passes_an_empty_log():
    assert re.fullmatch(r"0 entries \(\d+ chains\) and 0 versions, chain intact", _verify().strip())


def test_it_names_an_entry_edited_in_the_database(entries):
    AuditEntry.objects.filter(pk=entries[3].pk).update(changes={"n": "changed"})
    with pytest.raises(CommandError, match=rf"broken at entry #{entries[3].pk}: .*edited"):
        _verify()


def test_it_names_the_entry_after_a_deleted_one(entries):
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    with pytest.raises(CommandError, match=rf"broken at entry #{entries[3].pk}: .*deleted"):
        _verify()


def test_it_reports_the_first_break_only(entries):
    AuditEntry.objects.filter(pk=entries[4].pk).update(actor_label="x")
    AuditEntry.objects.filter(pk=entries[1].pk).update(actor_label="y")
    with pytest.raises(CommandError, match=rf"entry #{entries[1].pk}:") as excinfo:
        _verify()
    assert f"#{entries[4].pk}:" not in str(excinfo.value)


def test_it_reports_entries_cut_off_the_end(entries):
    AuditEntry.objects.filter(pk__in=[entries[3].pk, entries[4].pk]).delete()
    with pytest.raises(CommandError, match=r"end of the chain: .*deleted from the end"):
        _verify()


def test_it_reads_in_small_chunks(entries):
    out = StringIO()
    call_command("verify_audit", "--chunk-size", "2", stdout=out)
    assert re.fullmatch(
        r"5 entries \(\d+ chains\) and 0 versions, chain intact", out.getvalue().strip()
    )


def test_it_names_every_broken_chain_with_its_organization():
    """Chains are per organization: tampering in one is named with its organization, the
    others still hold, and a second broken chain is named too."""
    user = UserFactory()
    mine = [audit_record(actor=user, action="t", obj=user, organization_id=11) for _ in range(3)]
    theirs = [audit_record(actor=user, action="t", obj=user, organization_id=12) for _ in range(3)]
    country = audit_record(actor=user, action="user.signed_in", obj=user, organization_id=None)
    assert len({mine[0].chain_id, theirs[0].chain_id, country.chain_id}) == 3
    AuditEntry.objects.filter(pk=mine[1].pk).update(changes={"n": "changed"})
    with pytest.raises(CommandError) as caught:
        _verify()
    message = str(caught.value)
    assert f"broken at entry #{mine[1].pk}: its content does not match" in message
    assert "the chain of organization id 11" in message
    assert "organization id 12" not in message and "country-wide" not in message
    AuditEntry.objects.filter(pk=country.pk).update(actor_label="someone else")
    with pytest.raises(CommandError) as caught:
        _verify()
    assert "organization id 11" in str(caught.value) and "country-wide" in str(caught.value)
    assert "2 broken" in str(caught.value)


def test_it_finds_an_entry_moved_to_another_organizations_chain():
    user = UserFactory()
    mine = [audit_record(actor=user, action="t", obj=user, organization_id=11) for _ in range(3)]
    theirs = audit_record(actor=user, action="t", obj=user, organization_id=12)
    AuditEntry.objects.filter(pk=mine[2].pk).update(chain_id=theirs.chain_id)
    with pytest.raises(CommandError) as caught:
        _verify()
    assert "sits in another organization's chain" in str(caught.value)
    assert "deleted from the end" in str(caught.value)  # and its own chain lost its last entry
