"""The import preview: the reading shown and corrected, the corrections kept as the
organization's layout for its next document, a second plan of the year asked about."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.plans.models import Plan, PlanImportDraft, PlanImportLayout

pytestmark = pytest.mark.django_db

# "Үйл ажиллагаа" reads as main activities; this organization means its goals by it.
HEADER = "Үйл ажиллагаа\tАрга хэмжээ\tШалгуур\tХугацаа"


def document(year: int, rows: int = 2) -> bytes:
    lines = [f"{year} ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ", HEADER]
    for goal in range(1, 3):
        for index in range(1, rows + 1):
            text = f"Зорилго {goal}" if index == 1 else ""
            lines.append(
                f"{text}\t{goal}.{index}. Арга хэмжээ {goal}.{index}\t-Хийсэн байх\tЖилдээ"
            )
    return "\n".join(lines).encode()


def upload(client, org, data: bytes, name: str = "plan.txt") -> PlanImportDraft:
    response = client.post(
        reverse("plans:import", args=[org.code]), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302
    return PlanImportDraft.objects.latest("pk")


def preview(client, org, draft):
    return client.get(reverse("plans:import_preview", args=[org.code, draft.pk]))


def test_a_corrected_column_is_read_again_and_kept_for_the_next_document(client, coordinator, org):
    client.force_login(coordinator)
    draft = upload(client, org, document(2023))
    page = preview(client, org, draft)
    roles = [c.role for c in page.context["reading"].columns]
    assert roles == ["activity", "measure", "criteria", "due"]
    assert 'data-role="activity"' in page.content.decode()

    url = reverse("plans:import_preview", args=[org.code, draft.pk])
    response = client.post(url, {"col_1": "goal"})
    assert response.status_code == 302
    page = preview(client, org, draft)
    assert page.context["reading"].columns[0].role == "goal"
    assert [g.text for g in page.context["document"].goals] == ["Зорилго 1", "Зорилго 2"]

    client.post(reverse("plans:import_confirm", args=[org.code, draft.pk]))
    plan = Plan.objects.get()
    assert [g.text for g in plan.goals.all()] == ["Зорилго 1", "Зорилго 2"]
    assert not plan.activities.exists()
    layout = PlanImportLayout.objects.get(organization=org)
    assert layout.choices["columns"] == {"үйл ажиллагаа": "goal"}
    assert AuditEntry.objects.filter(action="plan.import_layout_saved").exists()

    # Next year's document of the same layout: read right with no correction.
    draft = upload(client, org, document(2024))
    page = preview(client, org, draft)
    first = page.context["reading"].columns[0]
    assert (first.role, first.source) == ("goal", "layout")
    assert page.context["error"] == ""
    assert [g.text for g in page.context["document"].goals] == ["Зорилго 1", "Зорилго 2"]

    # The import page shows the saved layout, and it can be forgotten.
    page = client.get(reverse("plans:import", args=[org.code]))
    assert 'data-testid="saved-layout"' in page.content.decode()
    client.post(reverse("plans:import_layout_forget", args=[org.code]))
    assert not PlanImportLayout.objects.filter(organization=org).exists()
    assert AuditEntry.objects.filter(action="plan.import_layout_forgotten").exists()


def test_a_row_can_be_read_as_a_heading_and_the_header_height_chosen(client, coordinator, org):
    data = "\n".join(
        [
            "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
            "Д/д\tЗорилго\tХэрэгжүүлэх арга хэмжээ\tШалгуур үзүүлэлт",
            "1\tИл тод байдал\t1.1. Мэдээлэх\t-Мэдээлсэн байх",
            "\tЁС ЗҮЙН ЧИГЛЭЛЭЭР\t\t",
            "2\tСургалт\t2.1. Сургалт хийх\t-Хийсэн байх",
        ]
    ).encode()
    client.force_login(coordinator)
    draft = upload(client, org, data)
    url = reverse("plans:import_preview", args=[org.code, draft.pk])
    page = preview(client, org, draft)
    assert page.context["reading"].rows[3].kind == "continuation"  # text in the goal column
    client.post(url, {"row_4": "heading"})
    document = preview(client, org, draft).context["document"]
    assert [(g.number, g.heading) for g in document.goals] == [(1, ""), (2, "ЁС ЗҮЙН ЧИГЛЭЛЭЭР")]
    client.post(url, {"reset": "1"})
    assert preview(client, org, draft).context["reading"].rows[3].kind == "continuation"


def test_a_refused_document_shows_what_was_read_and_can_be_corrected(client, coordinator, org):
    data = "\n".join(
        [
            "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
            "Д/д\tЗорилго\tАжлын нэр\tНотолгоо",
            "1\tИл тод байдал\tМэдээлэх\tМэдээлсэн байх",
        ]
    ).encode()
    client.force_login(coordinator)
    draft = upload(client, org, data)
    page = preview(client, org, draft)
    # "Ажлын нэр" names nothing known, so the longest texts are taken as the measures; the
    # coordinator says which column holds the criteria.
    html = page.content.decode()
    assert 'data-testid="reading-grid"' in html
    url = reverse("plans:import_preview", args=[org.code, draft.pk])
    client.post(url, {"col_3": "measure", "col_4": "criteria"})
    document = preview(client, org, draft).context["document"]
    # д/д numbers the rows of a table whose measures have no codes: it is their code.
    assert [(m.code, m.text, m.criteria) for m in document.measures] == [
        ("1", "Мэдээлэх", ["Мэдээлсэн байх"])
    ]


def test_a_document_without_a_plan_header_says_so_on_the_preview(client, coordinator, org):
    client.force_login(coordinator)
    draft = upload(client, org, "Нэр\tУтас\nБат\t9911\nДорж\t8811\n".encode())
    page = preview(client, org, draft)
    assert page.status_code == 200
    assert page.context["document"] is None
    assert "Төлөвлөгөөний хүснэгт олдсонгүй" in page.context["error"]
    client.post(
        reverse("plans:import_confirm", args=[org.code, draft.pk]),
    )
    assert not Plan.objects.exists()


def test_a_second_plan_of_the_year_is_asked_about(client, coordinator, org, seed_plan, seed_bytes):
    client.force_login(coordinator)
    draft = upload(client, org, seed_bytes)
    page = preview(client, org, draft)
    assert page.context["existing"] == [seed_plan]
    assert 'name="on_existing"' in page.content.decode()
    confirm = reverse("plans:import_confirm", args=[org.code, draft.pk])
    response = client.post(confirm, follow=True)
    assert Plan.objects.count() == 1
    assert "alert-danger" in response.content.decode()
    client.post(confirm, {"on_existing": "replace"})
    new = Plan.objects.get()
    assert new.pk != seed_plan.pk


@pytest.mark.parametrize("rows", [1, 25])
def test_the_preview_runs_a_fixed_number_of_queries(
    client, coordinator, org, django_assert_num_queries, rows
):
    client.force_login(coordinator)
    draft = upload(client, org, document(2023, rows))
    # session, user, organization, memberships (roles), draft, layout, units, people,
    # plans of the year, organizations for the switcher
    with django_assert_num_queries(10):
        response = preview(client, org, draft)
    assert response.status_code == 200
    assert len(response.context["document"].measures) == 2 * rows


def test_a_table_with_unknown_headers_is_read_once_its_columns_are_named(client, coordinator, org):
    data = "\n".join(
        [
            "2023 ОНЫ АВЛИГЫН ЭСРЭГ ҮЙЛ АЖИЛЛАГААНЫ ТӨЛӨВЛӨГӨӨ",
            "Ажлын нэр\tНотолгоо",
            "Мэдээлэх\tМэдээлсэн байх",
            "Байршуулах\tБайршуулсан байх",
        ]
    ).encode()
    client.force_login(coordinator)
    draft = upload(client, org, data)
    page = preview(client, org, draft)
    assert page.context["document"] is None
    assert [c.role for c in page.context["reading"].columns] == ["", ""]  # shown, to be named
    url = reverse("plans:import_preview", args=[org.code, draft.pk])
    client.post(url, {"col_1": "measure", "col_2": "criteria"})
    document = preview(client, org, draft).context["document"]
    assert [(m.code, m.text, m.criteria) for m in document.measures] == [
        ("1.1", "Мэдээлэх", ["Мэдээлсэн байх"]),
        ("1.2", "Байршуулах", ["Байршуулсан байх"]),
    ]
