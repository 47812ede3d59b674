"""Walk every URL pattern of the app: an outsider gets 404 for another organization's data,
whatever the view; an anonymous visitor is sent to sign in."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Patterns outside organization data: sign-in, language, admin (has its own staff checks).
PUBLIC_NAMES = {"login", "logout", "set_language"}
SKIP_PREFIXES = ("admin/", "static/", "media/")


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
        if name in PUBLIC_NAMES or not name:
            continue
        found.append((name, route, converters))
    return found


def _kwargs(route, values):
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    missing = [n for n in names if n not in values]
    assert not missing, f"the walk does not know how to fill {missing} in {route}"
    return {n: values[n] for n in names}


def test_the_walk_sees_the_plan_pages():
    names = {name for name, _r, _c in _org_patterns()}
    assert {"plans:list", "plans:detail", "plans:export", "plans:import"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_to_an_outsider_for_every_url(client, outsider, seed_plan, method):
    from django.urls import reverse

    client.force_login(outsider)
    values = {"code": seed_plan.organization.code, "plan_id": seed_plan.pk, "fmt": "json"}
    checked = 0
    for name, route, _converters in _org_patterns():
        kwargs = _kwargs(route, values)
        if not kwargs:
            continue  # the start page lists only the user's own organizations
        response = getattr(client, method)(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, f"{method.upper()} {name} gave {response.status_code}"
        checked += 1
    assert checked >= 6


def test_it_answers_404_for_another_organizations_plan_under_ones_own_code(
    client, coordinator, org, other_plan
):
    from django.urls import reverse

    client.force_login(coordinator)
    values = {"code": org.code, "plan_id": other_plan.pk, "fmt": "json"}
    for name, route, _converters in _org_patterns():
        if "plan_id" not in route:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(reverse(name, kwargs=_kwargs(route, values)))
            assert response.status_code == 404, f"{method} {name}"


def test_it_sends_anonymous_visitors_to_sign_in(client, seed_plan):
    from django.urls import reverse

    values = {"code": seed_plan.organization.code, "plan_id": seed_plan.pk, "fmt": "json"}
    for name, route, _converters in _org_patterns():
        response = client.get(reverse(name, kwargs=_kwargs(route, values)))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
