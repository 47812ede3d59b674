"""XLSX export and XLSX/CSV import through the pages, for every register."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.plans.models import Measure
from shudarga.registers.models import Publication
from shudarga.registers.registry import REGISTERS
from tests.factories import MeasureFactory, PublicationFactory
from tests.registers.helpers import KEYS, comparable, make_rows, read_xlsx, speak_english

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(name: str, org, key: str) -> str:
    return reverse(f"registers:{name}", args=[org.code, key])


def _export(client, org, key: str, **params) -> bytes:
    response = client.get(_url("export", org, key), params)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return b"".join(response.streaming_content)


def _upload(client, org, key: str, content: bytes, name: str = "rows.xlsx", **extra):
    return client.post(
        _url("import", org, key), {"file": SimpleUploadedFile(name, content), **extra}
    )


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("key", KEYS)
def test_it_exports_every_register_as_xlsx(client, reviewer, org, seed_plan, key):
    spec = REGISTERS[key]
    measures = list(Measure.objects.filter(plan=seed_plan, code__in=["1.2", "4.2"]))
    rows = make_rows(key, org, 2, measures=measures)
    client.force_login(reviewer)  # readers may download
    speak_english(client)
    response = client.get(_url("export", org, key))
    assert response["Content-Disposition"].startswith(f'attachment; filename="HOME-{key}-')
    table = read_xlsx(b"".join(response.streaming_content))
    expected_header = [str(spec.field(n).verbose_name) for n in spec.fields] + ["measures"]
    assert [h.lower() for h in table[0]] == [h.lower() for h in expected_header]
    assert len(table) == 3
    assert {row[-1] for row in table[1:]} == {"1.2, 4.2"}
    sort_column = spec.fields.index(spec.sort_field)
    assert {row[sort_column] for row in table[1:]} == {getattr(r, spec.sort_field) for r in rows}


@pytest.mark.parametrize("n_rows", [1, 25])
def test_the_export_runs_a_fixed_number_of_queries(
    client, officer, org, seed_plan, django_assert_num_queries, n_rows
):
    make_rows("trainings", org, n_rows, measures=list(Measure.objects.filter(plan=seed_plan)[:3]))
    client.force_login(officer)
    # session, user, organization, memberships, rows, their measures (prefetch)
    with django_assert_num_queries(6):
        content = _export(client, org, "trainings")
    assert len(read_xlsx(content)) == n_rows + 1


def test_exported_text_never_becomes_a_formula(client, officer, org):
    for title in ['=HYPERLINK("http://evil.example","click")', "+1+2", "-3", "@SUM(A1)"]:
        PublicationFactory(organization=org, title=title)
    client.force_login(officer)
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, org, "publications"))).worksheets[0]
    title_column = REGISTERS["publications"].fields.index("title") + 1
    cells = [sheet.cell(row=r, column=title_column) for r in range(2, 6)]
    assert {c.value for c in cells} == {
        '=HYPERLINK("http://evil.example","click")',
        "+1+2",
        "-3",
        "@SUM(A1)",
    }
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)


def test_the_export_has_only_the_filtered_rows(client, officer, org):
    PublicationFactory(organization=org, title="Өргөдлийн тухай")
    PublicationFactory(organization=org, title="Өөр сэдэв")
    client.force_login(officer)
    table = read_xlsx(_export(client, org, "publications", q="өргөдлийн"))
    assert len(table) == 2
    assert "Өргөдлийн тухай" in table[1]


@pytest.mark.parametrize("key", KEYS)
def test_an_export_imports_into_another_organization_as_equal_rows(
    client, coordinator, outsider, org, other_org, seed_plan, other_plan, key
):
    spec = REGISTERS[key]
    measures = list(Measure.objects.filter(plan=seed_plan, code__in=["2.1", "5.7"]))
    make_rows(key, org, 3, measures=measures)
    make_rows(key, org, 1)  # and one without measures
    client.force_login(coordinator)
    content = _export(client, org, key)  # in Mongolian, the default

    client.force_login(outsider)  # the coordinator of the other organization
    response = _upload(client, other_org, key, content)
    assert response.status_code == 302, response.context and response.context["errors"]

    def rows_of(organization):
        rows = spec.model.objects.filter(organization=organization).prefetch_related("measures")
        return sorted((comparable(spec, r) for r in rows), key=repr)

    assert rows_of(other_org) == rows_of(org)
    imported = spec.model.objects.filter(organization=other_org).prefetch_related("measures")
    assert {m.plan_id for r in imported for m in r.measures.all()} == {other_plan.pk}
    assert (
        AuditEntry.objects.filter(
            action=f"register.{key}.created", organization_id=other_org.pk, actor=outsider
        ).count()
        == 4
    )


def test_it_imports_a_csv_file_with_english_or_mongolian_headers(client, officer, org, seed_plan):
    client.force_login(officer)
    content = _csv(
        "Date,Гарчиг,channel,Material type,Produced by,copies distributed,shows the 110 hotline,"
        "Арга хэмжээнүүд",
        '05.03.2024,Өргөдлийн хуудас,"Facebook, Website",infographic,own,"1 200",тийм,"1.1, 1.4"',
        "2024-03-06,Second,tv,Video spot,Our organization,,no,",
    )
    response = _upload(client, org, "publications", content, name="rows.csv")
    assert response.status_code == 302
    first, second = Publication.objects.filter(organization=org).order_by("date")
    assert (first.date, first.channels, first.copies, first.shows_hotline) == (
        dt.date(2024, 3, 5),
        ["website", "facebook"],  # one material, both channels (in the choices' order)
        1200,
        True,
    )
    assert sorted(m.code for m in first.measures.all()) == ["1.1", "1.4"]
    assert (second.material, second.copies, second.shows_hotline) == ("spot", None, False)


def test_it_imports_excel_dates_and_logical_cells(client, officer, org):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["date", "title", "channel", "material", "produced_by", "shows_hotline"])
    excel_date = dt.datetime(2024, 4, 1)  # noqa: DTZ001  (Excel cells have no time zone)
    sheet.append([excel_date, "A", "tv", "spot", "own", True])
    sheet.append([45383, "B", "radio", "spot", "authority", False])  # a day number
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(officer)
    response = _upload(client, org, "publications", buffer.getvalue())
    assert response.status_code == 302
    rows = Publication.objects.filter(organization=org).order_by("title")
    assert [(r.date, r.shows_hotline) for r in rows] == [
        (dt.date(2024, 4, 1), True),
        (dt.date(2024, 4, 1), False),
    ]


def test_a_bad_import_saves_nothing_and_names_every_bad_row(
    client, officer, org, other_org, seed_plan, other_plan
):
    MeasureFactory(plan=other_plan, goal=other_plan.goals.first(), code="7.7")
    client.force_login(officer)
    speak_english(client)
    content = _csv(
        "date,title,channel,material,produced_by,copies,measures",
        "2024-03-01,Good row,tv,spot,own,10,1.1",
        "31.02.2024,Bad date,tv,spot,own,10,",
        "2024-03-02,Negative,tv,spot,own,-5,",
        "2024-03-03,Unknown channel,telegram,spot,own,1,",
        "2024-03-04,Foreign measure,tv,spot,own,1,7.7",
    )
    response = _upload(client, org, "publications", content, name="rows.csv")
    assert response.status_code == 400
    errors = response.context["errors"]
    assert errors[0] == "Row 3, “date”: 31.02.2024 is not a real date."
    assert errors[1] == "Row 4, “copies”: Ensure this value is greater than or equal to 0."
    assert errors[2].startswith("Row 5, “channel”: “telegram” is not one of:")
    assert errors[3] == (
        "Row 6, “measures”: There is no measure 7.7 in the organization's latest plan."
    )
    assert len(errors) == 4
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="register.").exists()
    assert "Nothing was saved." in response.content.decode()


def test_a_row_the_model_refuses_rolls_back_the_rows_before_it(client, officer, org):
    client.force_login(officer)
    speak_english(client)
    content = _csv(
        "date,title,channel,material,produced_by,link",
        "2024-03-01,Good,tv,spot,own,",
        "2024-03-02,Bad link,tv,spot,own,not a link",
    )
    response = _upload(client, org, "publications", content, name="rows.csv")
    assert response.status_code == 400
    assert response.context["errors"] == ["Row 3, “link”: Enter a valid URL."]
    assert not Publication.objects.exists()


def test_only_checking_a_file_saves_nothing(client, officer, org):
    client.force_login(officer)
    speak_english(client)
    content = _csv("date,content", "2024-01-01,Шинэ мэдээлэл", "2024-01-02,Дахин")
    response = _upload(client, org, "board-updates", content, name="x.csv", dry_run="on")
    assert response.status_code == 200
    assert response.context["checked"] == 2
    assert "The file is fine: 2 rows would be added." in response.content.decode()
    assert not REGISTERS["board-updates"].model.objects.exists()
    assert not AuditEntry.objects.exclude(object_type__contains=".historical").exists()


def test_it_refuses_a_pdf_renamed_to_xlsx(client, officer, org):
    client.force_login(officer)
    speak_english(client)
    response = _upload(client, org, "events", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "This is a PDF file, not a table. Import the Excel (XLSX) or CSV version."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04junk", "damaged"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "old Excel file"),
        (bytes(range(256)) * 4, "neither an Excel (XLSX) workbook nor a CSV table"),
        ("date;content\n".encode("utf-16"), "neither an Excel"),
        ("дата\n".encode("cp1251"), "not UTF-8"),
    ],
)
def test_it_refuses_files_that_are_not_tables(client, officer, org, content, message):
    client.force_login(officer)
    speak_english(client)
    response = _upload(client, org, "events", content)
    assert message in response.context["form"].errors["file"][0]


def test_it_refuses_a_file_over_5_mb(client, officer, org):
    client.force_login(officer)
    speak_english(client)
    response = _upload(client, org, "events", b"a," * (3 * 1024 * 1024), name="big.csv")
    assert response.status_code == 400
    assert "at most 5 MB" in response.context["form"].errors["file"][0]


def test_the_import_page_lists_the_columns(client, officer, org):
    client.force_login(officer)
    speak_english(client)
    response = client.get(_url("import", org, "publications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Copies distributed" in html
    assert "Official website, Facebook" in html
