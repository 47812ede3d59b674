"""`shudarga verify_audit` names the first entry that was tampered with."""

from __future__ import annotations

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
    assert _verify().strip() == "5 entries and 0 versions, chain intact"


def test_it_passes_an_empty_log():
    assert _verify().strip() == "0 entries and 0 versions, chain intact"


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
    with pytest.raises(CommandError, match=r"end of the log: .*deleted from the end"):
        _verify()


def test_it_reads_in_small_chunks(entries):
    out = StringIO()
    call_command("verify_audit", "--chunk-size", "2", stdout=out)
    assert out.getvalue().strip() == "5 entries and 0 versions, chain intact"
