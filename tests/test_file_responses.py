"""Walk every URL pattern and check every response that carries a file: it is saved, not
shown (`Content-Disposition: attachment`), and the browser may not guess another type
(`X-Content-Type-Options: nosniff`). The few files shown in place (the evidence preview,
the survey's QR code, the calendar feed) are `inline` and sandboxed instead.

The walk finds file views by what they answer, so a new download view is checked without
being listed here; `EXPECTED` makes sure the walk really reached the known ones."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shudarga.organizations.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SKIP_PREFIXES = ("admin/", "static/", "media/", "api/")
FORMATS = ("json", "docx", "xlsx", "pdf", "svg", "png")
# Shown in place on purpose; each of them must be sandboxed.
INLINE = {"evidence:inline", "petitions:survey_qr", "dashboards:ical"}
EXPECTED = {
    "plans:export",
    "public:plan_download",
    "public:transparency_json",
    "reports:export",
    "reports:bundle_download",
    "registers:export",
    "evidence:download",
    "evidence:inline",
    "petitions:attachment",
    "petitions:export",
    "petitions:stats_export",
    "petitions:survey_export",
    "petitions:survey_qr",
    "dashboards:chart_goals",
    "dashboards:chart_criteria",
    "dashboards:children_xlsx",
    "dashboards:ical",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            for name, route_ in _walk(entry.url_patterns, route):
                yield (f"{entry.namespace}:{name}" if entry.namespace and name else name), route_
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, prefix + str(entry.pattern)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def everything(media_root, seed_plan, org, parent_org):
    """A user holding every role, and one object with a real file of each kind."""
    from shudarga.dashboards.services import calendar_feed_create
    from shudarga.evidence.services import evidence_add_file
    from shudarga.petitions.models import PetitionAttachment, Question
    from shudarga.plans.services import plan_change_status
    from shudarga.reports.services import bundle_build, bundle_request, report_create
    from tests.factories import (
        EventFactory,
        MembershipFactory,
        PetitionFactory,
        SurveyFactory,
        UserFactory,
    )

    user = UserFactory(username="all-roles")
    for role in Role.values:
        MembershipFactory(user=user, organization=org, role=role)
    MembershipFactory(user=user, organization=parent_org, role=Role.LEADER)
    plan_change_status(plan=seed_plan, transition="approve", actor=user)
    plan_change_status(plan=seed_plan, transition="publish", actor=user)
    measure = seed_plan.measures.get(code="1.2")
    evidence = evidence_add_file(
        organization=org,
        measure=measure,
        upload=SimpleUploadedFile("тайлан.pdf", PDF, content_type="application/pdf"),
        actor=user,
        relates_to=dt.date(2023, 5, 1),
    )
    petition = PetitionFactory(organization=org)
    attachment = PetitionAttachment.objects.create(
        petition=petition,
        file=default_storage.save("petitions/test/a.pdf", ContentFile(PDF)),
        original_name="a.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    survey = SurveyFactory(organization=org)
    question = Question.objects.create(survey=survey, position=1, kind="text", text="Санал?")
    report = report_create(plan=seed_plan, period="year", actor=user)
    bundle_build(bundle=bundle_request(report=report, actor=user))
    return user, {
        "code": org.code,
        "plan_id": seed_plan.pk,
        "measure_id": measure.pk,
        "criterion_id": measure.criteria.first().pk,
        "register": "events",
        "row_id": EventFactory(organization=org).pk,
        "evidence_id": evidence.pk,
        "petition_id": petition.pk,
        "attachment_id": attachment.pk,
        "survey_id": survey.pk,
        "question_id": question.pk,
        "report_id": report.pk,
        "token": calendar_feed_create(user=user).token,
        "key": survey.public_key,
    }


def _is_file(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return (
        isinstance(response, FileResponse)
        or response.streaming
        or "Content-Disposition" in response
        or content_type not in {"", "text/html", "application/json"}
    )


def _drain(response) -> None:
    """Read a streamed file to its end: the test client then closes it without ending the
    test's database connection (closing it by hand would, on PostgreSQL)."""
    if response.streaming:
        b"".join(response.streaming_content)


def _requests(values):
    """(name, url) for every pattern the walk can fill in, each format for `<fmt>`."""
    for name, route in _walk(get_resolver().url_patterns):
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if any(n not in values and n != "fmt" for n in names):
            continue  # a view of an object this walk does not make; EXPECTED guards ours
        kwargs = {n: values[n] for n in names if n != "fmt"}
        for fmt in FORMATS if "fmt" in names else (None,):
            yield name, reverse(name, kwargs=kwargs if fmt is None else {**kwargs, "fmt": fmt})


def test_every_file_is_an_attachment_or_a_sandboxed_preview_and_never_sniffed(
    client, everything, settings
):
    # The security middleware adds nosniff to every response; the file views must not
    # depend on that setting, so it is off here.
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    user, values = everything
    client.force_login(user)
    checked, problems = set(), []
    urls = list(_requests(values))
    assert len(urls) > 40
    for name, url in urls:
        for query in ("", "?download=1") if name == "petitions:survey_qr" else ("",):
            response = client.get(url + query)
            _drain(response)
            if response.status_code != 200 or not _is_file(response):
                continue
            checked.add(name + (" (download)" if query else ""))
            disposition = response.get("Content-Disposition", "")
            kind = disposition.split(";")[0].strip()
            if response.get("X-Content-Type-Options") != "nosniff":
                problems.append(f"{url}{query}: no nosniff")
            if kind == "attachment":
                continue
            if kind == "inline" and name in INLINE:
                if response.get("Content-Security-Policy") != "sandbox":
                    problems.append(f"{url}{query}: inline but not sandboxed")
            else:
                problems.append(f"{url}{query}: Content-Disposition {disposition!r}")
    assert not problems, "\n".join(problems)
    reached = {name.removesuffix(" (download)") for name in checked}
    assert reached >= EXPECTED, f"the walk did not reach {sorted(EXPECTED - reached)}"
    assert "petitions:survey_qr (download)" in checked


def test_the_qr_code_is_an_attachment_when_downloaded(client, everything):
    user, values = everything
    client.force_login(user)
    url = reverse("petitions:survey_qr", args=[values["code"], values["survey_id"]])
    response = client.get(url + "?download=1")
    assert response["Content-Disposition"].startswith("attachment;")
    policy = response.get("Content-Security-Policy", "")
    assert policy.startswith("sandbox") or "default-src 'self'" in policy  # the site's own


def test_a_non_ascii_file_name_is_encoded_not_quoted_raw(client, everything):
    user, values = everything
    client.force_login(user)
    url = reverse("evidence:download", args=[values["code"], values["evidence_id"]])
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    _drain(response)
