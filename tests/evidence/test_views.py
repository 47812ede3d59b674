"""Evidence pages: upload, list, detail, download, inline preview, replace, delete; who may
see and do what."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from shudarga.core.models import AuditEntry
from shudarga.evidence import services
from shudarga.evidence.models import Evidence
from tests.evidence import files
from tests.evidence.files import upload
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def _post_file(client, org, measure, name, data, **extra):
    payload = {
        "measure": measure.pk,
        "relates_to": "2024-03-08",
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        **extra,
    }
    return client.post(reverse("evidence:add", args=[org.code]), payload)


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def pdf_evidence(org, measure, coordinator):
    return services.evidence_add_file(
        organization=org,
        measure=measure,
        upload=upload("Сургалтын ирц.pdf", files.PDF),
        actor=coordinator,
        relates_to=dt.date(2024, 3, 8),
    )


@pytest.fixture
def png_evidence(org, measure, coordinator):
    return services.evidence_add_file(
        organization=org, measure=measure, upload=upload("самбар.png", files.png(3, 2)),
        actor=coordinator,
    )  # fmt: skip


@pytest.fixture
def docx_evidence(org, measure, coordinator):
    return services.evidence_add_file(
        organization=org, measure=measure, upload=upload("тэмдэглэл.docx", files.docx()),
        actor=coordinator,
    )  # fmt: skip


@pytest.fixture
def link_evidence(org, measure, coordinator):
    return services.evidence_add_link(
        organization=org, measure=measure, link="https://www.facebook.com/ub/110",
        actor=coordinator, title="Фэйсбүүк нийтлэл",
    )  # fmt: skip


# --- upload -------------------------------------------------------------------------------


def test_it_uploads_a_pdf(client, coordinator, org, measure):
    client.force_login(coordinator)
    criterion = measure.criteria.first()
    response = _post_file(
        client, org, measure, "Өдөрлөг.pdf", files.PDF, title="Өдөрлөгийн тайлан",
        criterion=criterion.pk,
    )  # fmt: skip
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:detail", args=[org.code, evidence.pk])
    assert evidence.title == "Өдөрлөгийн тайлан"
    assert evidence.criterion == criterion
    assert evidence.relates_to == dt.date(2024, 3, 8)
    assert evidence.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert evidence.uploaded_by == coordinator
    assert AuditEntry.objects.get(action="evidence.added").ip == "127.0.0.1"


def test_it_uploads_a_png_as_an_officer(client, officer, org, measure):
    client.force_login(officer)
    response = _post_file(client, org, measure, "board.png", files.png())
    assert response.status_code == 302
    assert Evidence.objects.get().content_type == "image/png"


def test_it_adds_a_link(client, officer, org, measure):
    client.force_login(officer)
    response = client.post(
        reverse("evidence:add", args=[org.code]),
        {"measure": measure.pk, "relates_to": "2024-04-01", "link": "https://example.mn/a"},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().link == "https://example.mn/a"


def test_the_form_offers_only_the_organizations_measures(
    client, coordinator, org, seed_plan, other_plan
):
    client.force_login(coordinator)
    response = client.get(reverse("evidence:add", args=[org.code]))
    html = response.content.decode()
    select = re.search(r'<select name="measure".*?</select>', html, re.S)[0]
    assert response.status_code == 200
    offered = set(map(int, re.findall(r'<option value="(\d+)"', select)))
    assert offered == set(seed_plan.measures.values_list("pk", flat=True))
    assert not offered & set(other_plan.measures.values_list("pk", flat=True))
    criteria = re.search(r'<select name="criterion".*?</select>', html, re.S)[0]
    assert re.findall(r'<option value="(\d+)"', criteria) == []  # a measure comes first


def test_it_lists_only_the_chosen_measures_criteria(client, coordinator, org, seed_plan):
    measure = seed_plan.measures.get(code="1.2")
    client.force_login(coordinator)
    response = client.get(reverse("evidence:add", args=[org.code]), {"measure": measure.pk})
    html = response.content.decode()
    criteria = re.search(r'<select name="criterion".*?</select>', html, re.S)[0]
    offered = list(map(int, re.findall(r'<option value="(\d+)"', criteria)))
    assert offered == list(measure.criteria.order_by("position").values_list("pk", flat=True))
    measures = re.search(r'<select name="measure".*?</select>', html, re.S)[0]
    assert re.search(rf'<option value="{measure.pk}" selected>1\.2\. ', measures)


def test_it_offers_the_current_plans_measures_and_another_plan_on_request(
    client, coordinator, org, seed_plan
):
    import dataclasses

    from shudarga.plans.selectors import plan_to_document
    from shudarga.plans.services import plan_create_from_document

    newer = plan_create_from_document(
        organization=org,
        document=dataclasses.replace(plan_to_document(plan=seed_plan), year=2024),
        actor=None,
    )
    client.force_login(coordinator)
    url = reverse("evidence:add", args=[org.code])

    def offered(response):
        select = re.search(r'<select name="measure".*?</select>', response.content.decode(), re.S)
        return set(map(int, re.findall(r'<option value="(\d+)"', select[0])))

    assert offered(client.get(url)) == set(newer.measures.values_list("pk", flat=True))
    assert offered(client.get(url, {"plan": seed_plan.pk})) == set(
        seed_plan.measures.values_list("pk", flat=True)
    )


def test_it_refuses_another_organizations_measure(client, coordinator, org, other_measure):
    client.force_login(coordinator)
    response = _post_file(client, org, other_measure, "a.pdf", files.PDF)
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_it_shows_why_a_file_is_refused_next_to_the_field(client, coordinator, org, measure):
    client.force_login(coordinator)
    response = _post_file(client, org, measure, "setup.pdf", files.EXE)
    html = response.content.decode()
    assert response.status_code == 400
    assert "“setup.pdf” is a Windows program (EXE)" in html
    assert 'class="invalid-feedback d-block"' in html
    assert not Evidence.objects.exists()


def test_it_says_what_a_misnamed_file_really_is(client, coordinator, org, measure):
    client.force_login(coordinator)
    response = _post_file(client, org, measure, "scan.pdf", files.JPEG)
    assert "“scan.pdf” is a JPEG image, not a .pdf file" in response.content.decode()


def test_it_needs_a_file_or_a_link(client, coordinator, org, measure):
    client.force_login(coordinator)
    url = reverse("evidence:add", args=[org.code])
    response = client.post(url, {"measure": measure.pk, "relates_to": "2024-04-01"})
    assert response.status_code == 400
    assert "Choose a file or give a link" in response.content.decode()


def test_it_checks_the_csrf_token_itself(coordinator, org, measure):
    """The upload views are csrf_exempt for the middleware, to limit the upload first; the
    token is still required."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = _post_file(client, org, measure, "a.pdf", files.PDF)
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_it_refuses_a_request_over_the_limit_before_reading_it(
    client, coordinator, org, measure, settings, media_root
):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(coordinator)
    response = _post_file(client, org, measure, "big.pdf", files.PDF + b"x" * (1100 * 1024))
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_stops_reading_a_file_that_passes_the_limit(
    client, coordinator, org, measure, settings, media_root
):
    settings.EVIDENCE_MAX_BYTES = 100_000  # the request is within limit + overhead
    client.force_login(coordinator)
    response = _post_file(client, org, measure, "big.pdf", files.PDF + b"x" * 200_000)
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


# --- list ---------------------------------------------------------------------------------


def test_the_list_shows_each_items_facts(
    client, reviewer, org, pdf_evidence, link_evidence, measure
):
    client.force_login(reviewer)
    response = client.get(reverse("evidence:list", args=[org.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Сургалтын ирц.pdf" in html and "Фэйсбүүк нийтлэл" in html
    assert measure.code in html
    assert pdf_evidence.sha256[:12] in html
    assert "PDF" in html and "Link" in html
    assert f"{len(files.PDF)}\xa0bytes" in html
    assert "coordinator" in html
    assert "2024-03-08" in html
    assert "Add evidence" not in html  # a reviewer reads only


def test_the_list_hides_replaced_and_deleted_items(client, coordinator, org, pdf_evidence):
    newer = services.evidence_replace(
        evidence=pdf_evidence, actor=coordinator, upload=upload("v2.pdf", files.PDF + b"%2")
    )
    gone = EvidenceFactory(measure=pdf_evidence.measure, title="Устгасан")
    services.evidence_delete(evidence=gone, actor=coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("evidence:list", args=[org.code])).content.decode()
    assert html.count(f'href="{reverse("evidence:detail", args=[org.code, newer.pk])}"') == 1
    assert reverse("evidence:detail", args=[org.code, pdf_evidence.pk]) + '"' not in html
    assert "Устгасан" not in html


def test_the_list_searches_cyrillic_without_regard_to_case(client, officer, org, measure):
    EvidenceFactory(measure=measure, title="ӨДӨРЛӨГИЙН зураг")
    EvidenceFactory(measure=measure, title="Гэрээ")
    client.force_login(officer)
    html = client.get(reverse("evidence:list", args=[org.code]), {"q": "өдөрлөгийн"}).content
    assert "ӨДӨРЛӨГИЙН зураг" in html.decode()
    assert "Гэрээ" not in html.decode()


def test_the_list_filters_by_measure_kind_and_dates(client, officer, org, seed_plan):
    m1, m2 = seed_plan.measures.get(code="1.1"), seed_plan.measures.get(code="2.1")
    EvidenceFactory(measure=m1, title="early-link", relates_to=dt.date(2024, 1, 5))
    EvidenceFactory(measure=m1, title="late-file", as_file=True, relates_to=dt.date(2024, 6, 5))
    EvidenceFactory(measure=m2, title="other-measure", relates_to=dt.date(2024, 6, 5))
    client.force_login(officer)
    url = reverse("evidence:list", args=[org.code])

    def titles(**params) -> set[str]:
        html = client.get(url, params).content.decode()
        return {t for t in ("early-link", "late-file", "other-measure") if t in html}

    assert titles() == {"early-link", "late-file", "other-measure"}
    assert titles(measure=m1.pk) == {"early-link", "late-file"}
    assert titles(kind="file") == {"late-file"}
    assert titles(date_from="2024-06-01") == {"late-file", "other-measure"}
    assert titles(date_to="2024-01-31") == {"early-link"}
    assert titles(measure=m1.pk, date_from="2024-06-01", date_to="2024-06-30") == {"late-file"}
    assert titles(date_from="not-a-date") == {"early-link", "late-file", "other-measure"}


def test_the_list_pages_by_25(client, officer, org, measure):
    EvidenceFactory.create_batch(30, measure=measure)
    client.force_login(officer)
    url = reverse("evidence:list", args=[org.code])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2, "kind": "link"}).content.decode()
    assert first.count("evidence-row") == 25
    assert second.count("evidence-row") == 5
    assert "kind=link" in second and "page=1" in second  # the filters survive paging


def test_the_empty_list_says_what_to_do(client, coordinator, org):
    client.force_login(coordinator)
    html = client.get(reverse("evidence:list", args=[org.code])).content.decode()
    assert "No evidence has been added yet." in html


@pytest.mark.parametrize("n_items", [1, 25])
def test_the_list_runs_a_fixed_number_of_queries(
    client, coordinator, org, measure, django_assert_num_queries, n_items
):
    for i in range(n_items):
        EvidenceFactory(measure=measure, as_file=bool(i % 2), uploaded_by=coordinator)
    client.force_login(coordinator)
    # session, user, organization, memberships (roles), the current plan's measures for
    # the filter select, count for the pager, the page of evidence with
    # measure+plan+uploader, switcher
    with django_assert_num_queries(8):
        response = client.get(reverse("evidence:list", args=[org.code]))
    assert response.status_code == 200
    assert response.content.decode().count("evidence-row") == n_items


# --- detail, download, inline -------------------------------------------------------------


@pytest.mark.parametrize("n_versions", [1, 25])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, coordinator, org, measure, django_assert_num_queries, n_versions
):
    first = EvidenceFactory(measure=measure, as_file=True, uploaded_by=coordinator)
    latest = first
    for version in range(2, n_versions + 1):
        latest.is_current = False
        latest.save(update_fields=["is_current"])
        latest = EvidenceFactory(
            measure=measure, as_file=True, lineage=first.lineage, version=version,
            previous=latest, uploaded_by=coordinator,
        )  # fmt: skip
    client.force_login(coordinator)
    # session, user, organization, memberships, evidence with measure+plan+criterion+users,
    # versions with uploaders, the approved reports' locks, organizations for the switcher
    with django_assert_num_queries(8):
        response = client.get(reverse("evidence:detail", args=[org.code, latest.pk]))
    assert response.status_code == 200
    # one per version, the button, and the PDF viewer's fallback link
    assert response.content.decode().count("/download/") == n_versions + 2


def test_the_detail_page_shows_the_digest_and_a_pdf_preview(client, auditor, org, pdf_evidence):
    client.force_login(auditor)
    response = client.get(reverse("evidence:detail", args=[org.code, pdf_evidence.pk]))
    html = response.content.decode()
    inline = reverse("evidence:inline", args=[org.code, pdf_evidence.pk])
    assert response.status_code == 200
    assert pdf_evidence.sha256 in html
    # A frame, not <object>: the Content-Security-Policy has object-src 'none'.
    assert re.search(rf'<iframe [^>]*src="{inline}"', html)
    assert "Version history" in html
    assert "Upload a new version" not in html  # an auditor changes nothing


def test_the_detail_page_shows_an_image_preview(client, officer, org, png_evidence):
    client.force_login(officer)
    html = client.get(png_evidence.get_absolute_url()).content.decode()
    inline = reverse("evidence:inline", args=[org.code, png_evidence.pk])
    assert f'src="{inline}"' in html and "<img" in html
    assert "Upload a new version" in html


def test_the_detail_page_has_no_preview_for_other_types(client, officer, docx_evidence):
    client.force_login(officer)
    html = client.get(docx_evidence.get_absolute_url()).content.decode()
    assert "/view/" not in html
    assert "There is no preview" in html


def test_the_download_is_the_stored_bytes_as_an_attachment(client, reviewer, org, pdf_evidence):
    client.force_login(reviewer)
    response = client.get(reverse("evidence:download", args=[org.code, pdf_evidence.pk]))
    assert response.status_code == 200
    assert _content(response) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Cyrillic name survives
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Length"] == str(len(files.PDF))


def test_the_download_of_a_docx_is_an_attachment_too(client, officer, org, docx_evidence):
    client.force_login(officer)
    response = client.get(reverse("evidence:download", args=[org.code, docx_evidence.pk]))
    assert hashlib.sha256(_content(response)).hexdigest() == docx_evidence.sha256
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("fixture", ["pdf_evidence", "png_evidence"])
def test_images_and_pdfs_open_inline_in_a_sandbox(client, officer, org, request, fixture):
    evidence = request.getfixturevalue(fixture)
    client.force_login(officer)
    response = client.get(reverse("evidence:inline", args=[org.code, evidence.pk]))
    assert response.status_code == 200
    with default_storage.open(evidence.file.name, "rb") as handle:
        assert _content(response) == handle.read()
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the detail page frames PDFs


@pytest.mark.parametrize("fixture", ["docx_evidence", "link_evidence"])
def test_other_types_never_open_inline(client, officer, org, request, fixture):
    evidence = request.getfixturevalue(fixture)
    client.force_login(officer)
    assert client.get(reverse("evidence:inline", args=[org.code, evidence.pk])).status_code == 404


def test_a_link_has_nothing_to_download(client, officer, org, link_evidence):
    client.force_login(officer)
    url = reverse("evidence:download", args=[org.code, link_evidence.pk])
    assert client.get(url).status_code == 404


def test_download_answers_only_get(client, officer, org, pdf_evidence):
    client.force_login(officer)
    url = reverse("evidence:download", args=[org.code, pdf_evidence.pk])
    assert client.post(url).status_code == 405


# --- replace and delete -------------------------------------------------------------------


def test_it_replaces_a_file_with_a_new_version(client, officer, org, pdf_evidence):
    client.force_login(officer)
    url = reverse("evidence:replace", args=[org.code, pdf_evidence.pk])
    assert client.get(url).status_code == 200
    png = files.png(4, 4)
    response = client.post(url, {"file": SimpleUploadedFile("ирц-v2.png", png)})
    newer = Evidence.objects.get(is_current=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:detail", args=[org.code, newer.pk])
    assert newer.version == 2 and newer.previous_id == pdf_evidence.pk
    pdf_evidence.refresh_from_db()
    assert not pdf_evidence.is_current
    assert default_storage.exists(pdf_evidence.file.name)

    html = client.get(newer.get_absolute_url()).content.decode()
    assert pdf_evidence.sha256[:12] in html and newer.sha256[:12] in html
    old_page = client.get(pdf_evidence.get_absolute_url()).content.decode()
    assert "This is an older version." in old_page
    old = client.get(reverse("evidence:download", args=[org.code, pdf_evidence.pk]))
    assert _content(old) == files.PDF  # the old version stays downloadable


def test_an_old_version_cannot_be_replaced_again(client, officer, org, pdf_evidence):
    services.evidence_replace(evidence=pdf_evidence, actor=officer, link="https://x.mn")
    client.force_login(officer)
    url = reverse("evidence:replace", args=[org.code, pdf_evidence.pk])
    response = client.post(url, {"link": "https://y.mn"})
    assert response.status_code == 302
    assert Evidence.objects.count() == 2


def test_it_deletes_after_confirmation_and_keeps_the_file(client, coordinator, org, pdf_evidence):
    client.force_login(coordinator)
    url = reverse("evidence:delete", args=[org.code, pdf_evidence.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete this evidence?" in confirm.content.decode()
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.is_current  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:list", args=[org.code])
    pdf_evidence.refresh_from_db()
    assert not pdf_evidence.is_current and pdf_evidence.deleted_by == coordinator
    assert default_storage.exists(pdf_evidence.file.name)
    assert AuditEntry.objects.filter(action="evidence.deleted").count() == 1
    detail = client.get(pdf_evidence.get_absolute_url())
    assert detail.status_code == 200 and "Deleted on" in detail.content.decode()


# --- access -------------------------------------------------------------------------------


def _evidence_urls(code: str, evidence_id: int) -> list[str]:
    resolver = get_resolver().namespace_dict["evidence"][1]
    urls = []
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        values = {"code": code, "evidence_id": evidence_id}
        urls.append(reverse(f"evidence:{pattern.name}", kwargs={n: values[n] for n in names}))
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_for_every_evidence_url(client, outsider, org, pdf_evidence, method):
    client.force_login(outsider)
    urls = _evidence_urls(org.code, pdf_evidence.pk)
    assert len(urls) == 7
    for url in urls:
        response = getattr(client, method)(url, {"link": "https://x.mn"})
        assert response.status_code == 404, f"{method.upper()} {url}"
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.is_current


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organizations_evidence_is_404_under_ones_own_code(
    client, coordinator, org, other_org, other_measure, outsider, method
):
    theirs = services.evidence_add_file(
        organization=other_org, measure=other_measure, upload=upload("x.pdf", files.PDF),
        actor=outsider,
    )  # fmt: skip
    client.force_login(coordinator)
    for url in _evidence_urls(org.code, theirs.pk):
        if "/evidence/" + str(theirs.pk) not in url:
            continue
        assert getattr(client, method)(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["reviewer", "leader", "auditor"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_read_only_roles_get_403_for_every_write(
    client, org, measure, pdf_evidence, request, persona, method
):
    client.force_login(request.getfixturevalue(persona))
    for name, args in [
        ("evidence:add", [org.code]),
        ("evidence:replace", [org.code, pdf_evidence.pk]),
        ("evidence:delete", [org.code, pdf_evidence.pk]),
    ]:
        response = getattr(client, method)(reverse(name, args=args), {"link": "https://x.mn"})
        assert response.status_code == 403, f"{persona} {method} {name}"
    assert Evidence.objects.count() == 1 and Evidence.objects.get().is_current


@pytest.mark.parametrize("persona", ["reviewer", "leader", "auditor"])
def test_read_only_roles_read_everything(client, org, pdf_evidence, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for name, args in [
        ("evidence:list", [org.code]),
        ("evidence:detail", [org.code, pdf_evidence.pk]),
        ("evidence:download", [org.code, pdf_evidence.pk]),
        ("evidence:inline", [org.code, pdf_evidence.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, f"{persona} {name}"


def test_anonymous_visitors_are_sent_to_sign_in(client, org, pdf_evidence):
    for url in _evidence_urls(org.code, pdf_evidence.pk):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_admin_shows_evidence_but_changes_nothing(client, org, pdf_evidence):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = client.get(reverse("admin:evidence_evidence_changelist"))
    assert changelist.status_code == 200
    assert "Сургалтын ирц.pdf" in changelist.content.decode()
    change = reverse("admin:evidence_evidence_change", args=[pdf_evidence.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"title": "x"}).status_code == 403
    assert client.get(reverse("admin:evidence_evidence_add")).status_code == 403
    delete = reverse("admin:evidence_evidence_delete", args=[pdf_evidence.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    pdf_evidence.refresh_from_db()
    assert pdf_evidence.title == "Сургалтын ирц.pdf"
