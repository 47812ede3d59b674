"""`shudarga import_register REGISTER PATH --org CODE`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shudarga.core.models import AuditEntry
from shudarga.registers.models import Event
from shudarga.registers.registry import REGISTERS

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_register", *args, stdout=out)
    return out.getvalue()


def _write(tmp_path, text: str, name: str = "events.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_saves_the_rows_and_says_how_many(tmp_path, org, seed_plan):
    path = _write(
        tmp_path,
        "date,type,title,participants,measures\n"
        "2024-03-01,meeting,Уулзалт,12,1.2\n"
        '02.03.2024,Sector discussion,Хэлэлцүүлэг,,"4.2, 5.1"\n',
    )
    output = _run("events", path, "--org", org.code)
    assert "Saved 2 rows to events of HOME." in output
    rows = Event.objects.filter(organization=org).order_by("date")
    assert [r.kind for r in rows] == ["meeting", "discussion"]
    assert sorted(m.code for m in rows[1].measures.all()) == ["4.2", "5.1"]
    entry = AuditEntry.objects.filter(action="register.events.created").first()
    assert entry.actor is None and entry.actor_label == "system"


def test_it_saves_nothing_and_lists_the_row_errors(tmp_path, org):
    path = _write(
        tmp_path,
        "date,type,title,participants\n"
        "2024-03-01,meeting,Good,1\n"
        "31.02.2024,meeting,Bad date,1\n"
        "2024-03-03,party,Bad type,-1\n",
    )
    with pytest.raises(CommandError) as exc:
        _run("events", path, "--org", org.code)
    message = str(exc.value)
    assert "nothing was saved" in message
    assert "Row 3, “date”: 31.02.2024 is not a real date." in message
    assert "Row 4, “type”: “party” is not one of:" in message
    assert "Row 4, “participants”: Ensure this value is greater than or equal to 0." in message
    assert not Event.objects.exists()


def test_it_checks_without_saving(tmp_path, org):
    path = _write(tmp_path, "date,content\n2024-01-01,Мэдээлэл\n", name="b.csv")
    output = _run("board-updates", path, "--org", org.code, "--dry-run")
    assert "1 rows are fine; nothing was saved" in output
    assert not REGISTERS["board-updates"].model.objects.exists()


def test_it_refuses_an_unknown_organization_or_file(tmp_path, org):
    path = _write(tmp_path, "date,content\n2024-01-01,x\n")
    with pytest.raises(CommandError, match="No organization with code 'NOPE'"):
        _run("board-updates", path, "--org", "NOPE")
    with pytest.raises(CommandError, match="No such file"):
        _run("board-updates", str(tmp_path / "missing.csv"), "--org", org.code)


def test_it_refuses_a_pdf(tmp_path, org):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(CommandError, match="This is a PDF file"):
        _run("events", str(path), "--org", org.code)


def test_it_refuses_an_unknown_register(tmp_path, org):
    with pytest.raises(CommandError):
        _run("nothing", _write(tmp_path, "x\n"), "--org", org.code)
