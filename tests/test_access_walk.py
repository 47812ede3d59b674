"""Walk every URL pattern of the app: an outsider gets 404 for another organization's data,
whatever the view; an anonymous visitor is sent to sign in."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Patterns outside organization data: sign-in, language, setting one's first password (by
# a one-time link, tested in tests/organizations), the public portal (no sign-in by design,
# tested in tests/public), admin (its own staff checks), the health checks (no sign-in by
# design, tested in tests/core/test_health.py).
PUBLIC_NAMES = {
    "login",
    "logout",
    "set_language",
    "dashboards:my_work",
    "organizations:set_password",
    "healthz",
    "readyz",
}
# api/ and ical/ authenticate by token, not session: tests/api and tests/dashboards walk them.
SKIP_PREFIXES = ("admin/", "static/", "media/", "public/", "api/", "ical/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            namespace = entry.namespace
            for name, route_, converters in _walk(entry.url_patterns, route):
                yield (f"{namespace}:{name}" if namespace and name else name), route_, converters
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern), entry.pattern.converters


def _org_patterns():
    found = []
    for name, route, converters in _walk(get_resolver().url_patterns):
        if name in PUBLIC_NAMES or not name or route.startswith(SKIP_PREFIXES):
            continue
        found.append((name, route, converters))
    return found


def _kwargs(route, values):
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    missing = [n for n in names if n not in values]
    assert not missing, f"the walk does not know how to fill {missing} in {route}"
    return {n: values[n] for n in names}


@pytest.fixture
def victim(seed_plan):
    """Every kind of object a URL can name, all in `seed_plan`'s organization."""
    from shudarga.petitions.models import PetitionAttachment, Question
    from shudarga.plans.models import PlanImportDraft
    from shudarga.reports.services import report_create
    from tests.factories import (
        EventFactory,
        EvidenceFactory,
        MembershipFactory,
        PetitionFactory,
        SurveyFactory,
    )

    org = seed_plan.organization
    measure = seed_plan.measures.get(code="1.2")
    event = EventFactory(organization=org)
    evidence = EvidenceFactory(organization=org, measure=measure)
    petition = PetitionFactory(organization=org)
    survey = SurveyFactory(organization=org)
    attachment = PetitionAttachment.objects.create(
        petition=petition,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    question = Question.objects.create(survey=survey, position=1, kind="text", text="Санал?")
    membership = MembershipFactory(organization=org, role="officer")
    draft = PlanImportDraft.objects.create(
        organization=org, created_by=membership.user, filename="plan.txt", content=b"x", sha256=""
    )
    return {
        "code": org.code,
        "plan_id": seed_plan.pk,
        "fmt": "json",
        "measure_id": measure.pk,
        "criterion_id": measure.criteria.first().pk,
        "register": "events",
        "row_id": event.pk,
        "evidence_id": evidence.pk,
        "petition_id": petition.pk,
        "attachment_id": attachment.pk,
        "survey_id": survey.pk,
        "question_id": question.pk,
        "report_id": report_create(plan=seed_plan, period="year", actor=None).pk,
        "member_id": membership.user_id,
        "membership_id": membership.pk,
        "draft_id": draft.pk,
    }


def test_the_walk_sees_every_app():
    names = {name for name, _r, _c in _org_patterns()}
    assert {"plans:list", "plans:detail", "plans:export", "plans:import"} <= names
    for namespace in ("registers", "evidence", "criteria", "petitions", "reports"):
        assert any(name.startswith(f"{namespace}:") for name in names), namespace


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_to_an_outsider_for_every_url(client, outsider, victim, method):
    from django.urls import reverse

    client.force_login(outsider)
    values = victim
    checked = 0
    for name, route, _converters in _org_patterns():
        kwargs = _kwargs(route, values)
        if not kwargs:
            continue  # the start page lists only the user's own organizations
        response = getattr(client, method)(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, f"{method.upper()} {name} gave {response.status_code}"
        checked += 1
    assert checked >= 6


def test_it_answers_404_for_another_organizations_objects_under_ones_own_code(
    client, outsider, victim
):
    """The outsider names their own organization and the victim's object ids."""
    from django.urls import reverse

    client.force_login(outsider)
    values = {**victim, "code": "OTHER"}
    for name, route, _converters in _org_patterns():
        if "_id>" not in route:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(reverse(name, kwargs=_kwargs(route, values)))
            assert response.status_code == 404, f"{method} {name}"


def test_it_sends_anonymous_visitors_to_sign_in(client, victim):
    from django.urls import reverse

    values = victim
    for name, route, _converters in _org_patterns():
        response = client.get(reverse(name, kwargs=_kwargs(route, values)))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
