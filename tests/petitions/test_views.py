"""Staff pages of the petitions register: access by role, personal data only for handlers,
the forms of every handling step, statistics and their Excel file, query counts."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shudarga.core.models import AuditEntry
from shudarga.petitions.models import Petition
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _url(name, org, *args):
    return reverse(f"petitions:{name}", args=[org.code, *args])


@pytest.fixture
def petition(org):
    return PetitionFactory(
        organization=org,
        petitioner_name="Ц.Нууцнэр",
        petitioner_register_no="УБ99887766",
        petitioner_contact="99112233",
        subject="Орон сууцны асуудал",
    )


@pytest.mark.parametrize("persona", ["coordinator", "officer", "reviewer", "leader", "auditor"])
def test_every_role_reads_the_register(client, request, org, petition, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        _url("list", org),
        _url("detail", org, petition.pk),
        _url("stats", org),
        _url("survey_list", org),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("persona", "shows"),
    [
        ("coordinator", True),
        ("officer", True),
        ("reviewer", False),
        ("leader", False),
        ("auditor", False),
    ],
)
def test_personal_data_is_shown_only_to_handlers(client, request, org, petition, persona, shows):
    client.force_login(request.getfixturevalue(persona))
    listing = client.get(_url("list", org)).content.decode()
    assert ("Ц.Нууцнэр" in listing) is shows
    assert "УБ99887766" not in listing  # the list shows names only
    html = client.get(_url("detail", org, petition.pk)).content.decode()
    assert ("Ц.Нууцнэр" in html) is shows
    assert ("УБ99887766" in html) is shows
    assert ("99112233" in html) is shows
    for page in (listing, html):
        assert "Орон сууцны асуудал" in page  # the subject is register data


def test_it_hides_the_register_from_outsiders(client, outsider, org, petition):
    client.force_login(outsider)
    for url in (
        _url("list", org),
        _url("detail", org, petition.pk),
        _url("create", org),
        _url("answer", org, petition.pk),
        _url("stats", org),
        _url("stats_export", org),
    ):
        assert client.get(url).status_code == 404, url


def test_it_hides_another_organizations_petition(client, coordinator, org, other_org):
    foreign = PetitionFactory(organization=other_org)
    client.force_login(coordinator)
    assert client.get(_url("detail", org, foreign.pk)).status_code == 404
    assert client.post(_url("answer", org, foreign.pk), {}).status_code == 404


@pytest.mark.parametrize("persona", ["reviewer", "leader", "auditor"])
def test_readers_cannot_handle(client, request, org, petition, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("create", org)).status_code == 403
    for action in ("assign", "extend", "answer", "transfer", "close"):
        assert client.post(_url(action, org, petition.pk), {}).status_code == 403
    petition.refresh_from_db()
    assert petition.status == Petition.Status.RECEIVED


def test_anonymous_users_are_sent_to_sign_in(client, org, petition):
    response = client.get(_url("detail", org, petition.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_registers_a_petition_with_an_attachment(client, officer, org):
    client.force_login(officer)
    response = client.post(
        _url("create", org),
        {
            "received_on": timezone.localdate().isoformat(),
            "channel": "in_person",
            "kind": "complaint",
            "petitioner_name": "Г.Болор",
            "petitioner_contact": "88001122",
            "subject": "Үйлчилгээ удаан",
            "assigned_to": officer.pk,
            "attachment": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.IN_PROGRESS
    assert petition.attachments.count() == 1
    attachment = petition.attachments.get()
    assert attachment.content_type == "application/pdf"
    detail = client.get(response["Location"])
    assert "Г.Болор" in detail.content.decode()
    # The tracking code was shown once, in the flash message.
    assert "Tracking code" in detail.content.decode() or "код" in detail.content.decode()
    download = client.get(_url("attachment", org, petition.pk, attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_readers_cannot_download_attachments(client, reviewer, officer, org):
    petition = PetitionFactory(
        organization=org,
        attachment=SimpleUploadedFile("a.pdf", PDF),
        actor=officer,
    )
    client.force_login(reviewer)
    url = _url("attachment", org, petition.pk, petition.attachments.get().pk)
    assert client.get(url).status_code == 403


def test_it_refuses_a_disguised_attachment(client, officer, org):
    client.force_login(officer)
    response = client.post(
        _url("create", org),
        {
            "received_on": timezone.localdate().isoformat(),
            "channel": "written",
            "kind": "petition",
            "petitioner_name": "Г.Болор",
            "subject": "x",
            "attachment": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_each_handling_step_goes_through_its_form(client, coordinator, officer, org):
    petition = PetitionFactory(organization=org)
    client.force_login(coordinator)
    assert client.get(_url("assign", org, petition.pk)).status_code == 200
    r = client.post(_url("assign", org, petition.pk), {"officer": officer.pk})
    assert r.status_code == 302
    r = client.post(
        _url("extend", org, petition.pk),
        {"days": 15, "decided_by": "Дарга", "reason": "Шалгалт", "petitioner_informed": "on"},
    )
    assert r.status_code == 302
    petition.refresh_from_db()
    assert petition.due_on == petition.original_due_on + dt.timedelta(days=15)
    r = client.post(
        _url("extend", org, petition.pk),
        {"days": 5, "decided_by": "Дарга", "reason": "Дахин", "petitioner_informed": "on"},
    )
    assert r.status_code == 400
    assert "once" in r.content.decode() or "нэг" in r.content.decode()
    today = timezone.localdate().isoformat()
    r = client.post(
        _url("answer", org, petition.pk), {"answered_on": today, "answer_text": "Шийдвэрлэв"}
    )
    assert r.status_code == 302
    r = client.post(_url("close", org, petition.pk), {"closed_on": today, "note": ""})
    assert r.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLOSED
    html = client.get(_url("detail", org, petition.pk)).content.decode()
    assert "Шалгалт" in html  # the extension's reason, in the deadline card and history
    assert (
        AuditEntry.objects.filter(
            object_type="petitions.petition", object_id=str(petition.pk)
        ).count()
        == 5
    )


def test_the_answer_form_refuses_a_future_date(client, officer, org):
    petition = PetitionFactory(organization=org)
    client.force_login(officer)
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    r = client.post(_url("answer", org, petition.pk), {"answered_on": tomorrow, "answer_text": "x"})
    assert r.status_code == 400
    petition.refresh_from_db()
    assert petition.answered_on is None


def test_script_tags_are_escaped_on_staff_pages(client, officer, org):
    evil = "<script>alert(1)</script>"
    petition = PetitionFactory(
        organization=org, petitioner_name=evil, subject=evil, category=evil, body=evil
    )
    client.force_login(officer)
    for url in (_url("list", org), _url("detail", org, petition.pk)):
        html = client.get(url).content.decode()
        assert evil not in html
        assert "&lt;script&gt;" in html


def test_filters_and_search(client, officer, org):
    PetitionFactory(organization=org, kind="proposal", subject="Цэцэрлэгт хүрээлэн")
    PetitionFactory(organization=org, kind="complaint", subject="Замын засвар")
    client.force_login(officer)
    html = client.get(_url("list", org), {"kind": "proposal"}).content.decode()
    assert "Цэцэрлэгт" in html and "Замын" not in html
    html = client.get(_url("list", org), {"q": "ЗАМЫН"}).content.decode()
    assert "Замын" in html and "Цэцэрлэгт" not in html
    assert client.get(_url("list", org), {"status": "bogus", "year": "x"}).status_code == 200


@pytest.mark.parametrize("n", [1, 25])
def test_the_list_runs_a_fixed_number_of_queries(
    client, officer, org, django_assert_num_queries, n
):
    for _ in range(n):
        PetitionFactory(organization=org, assigned_to=officer)
    client.force_login(officer)
    # session, user, organization, memberships (roles), overdue/due-soon counts,
    # page count, petitions with their officers, organizations for the switcher; the page
    # body's key (the organization's newest change)
    with django_assert_num_queries(9):
        response = client.get(_url("list", org))
    assert response.status_code == 200
    assert response.content.decode().count('href="/o/HOME/petitions/') >= n
    # Nothing changed: the body is the memo's HTML.
    with django_assert_num_queries(6):
        response = client.get(_url("list", org))
    assert response.content.decode().count('href="/o/HOME/petitions/') >= n


@pytest.mark.parametrize("n", [1, 25])
def test_the_stats_page_runs_a_fixed_number_of_queries(
    client, reviewer, org, django_assert_num_queries, n
):
    for _ in range(n):
        PetitionFactory(organization=org)
    client.force_login(reviewer)
    # session, user, organization, memberships, petitions of the period (carried over or
    # received by the cut-off), the period's submitted figures, switcher
    with django_assert_num_queries(7):
        response = client.get(_url("stats", org))
    assert response.status_code == 200


def test_the_stats_export_is_an_xlsx_without_formulas(client, officer, org):
    PetitionFactory(organization=org)
    client.force_login(officer)
    today = timezone.localdate()
    response = client.get(_url("stats_export", org), {"year": today.year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r and r[0] in ("Total", "Нийт"))
    assert (total[1], total[2]) == (0, 1)  # carried over, received


def test_the_stats_page_shows_the_hand_counted_totals(client, officer, org):
    PetitionFactory.create_batch(3, organization=org)
    client.force_login(officer)
    html = client.get(_url("stats", org)).content.decode()
    assert '<td class="text-end" data-col="received">3</td>' in html


EVIL = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "<script>alert(1)</script>"]


def test_the_register_export_keeps_every_field_neutral(client, officer, org):
    for text in EVIL:
        PetitionFactory(
            organization=org,
            petitioner_name=text,
            petitioner_register_no=text[:20],
            petitioner_address=text,
            petitioner_contact=text,
            subject=text,
            category=text,
            body=text,
        )
    client.force_login(officer)
    response = client.get(_url("export", org))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert len(risky) >= 4 * 6  # name, register no, address, contact, subject, category
    assert all(c.quotePrefix for c in risky)


def test_the_register_export_leaves_out_personal_data_for_readers(client, auditor, org, petition):
    client.force_login(auditor)
    response = client.get(_url("export", org))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {c.value for row in sheet.iter_rows() for c in row}
    assert "Орон сууцны асуудал" in values
    assert not {"Ц.Нууцнэр", "УБ99887766", "99112233"} & values


@pytest.mark.parametrize("n", [1, 25])
def test_the_register_export_runs_a_fixed_number_of_queries(
    client, officer, org, django_assert_num_queries, n
):
    for _ in range(n):
        PetitionFactory(organization=org, assigned_to=officer)
    client.force_login(officer)
    # session, user, organization, memberships, petitions with their officers
    with django_assert_num_queries(5):
        assert client.get(_url("export", org)).status_code == 200
