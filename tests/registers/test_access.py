"""Who may do what on the register pages: outsiders learn nothing (404 on every URL),
readers read, editors edit."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, get_resolver, reverse

from shudarga.registers.registry import REGISTERS
from tests.factories import EventFactory
from tests.registers.helpers import KEYS

pytestmark = pytest.mark.django_db

WRITE_NAMES = {"registers:create", "registers:edit", "registers:delete", "registers:import"}
READ_NAMES = {"registers:index", "registers:list", "registers:export"}


def _register_routes() -> list[tuple[str, str]]:
    resolver = get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) != "registers":
            continue
        for pattern in entry.url_patterns:
            assert isinstance(pattern, URLPattern)
            found.append((f"registers:{pattern.name}", str(entry.pattern) + str(pattern.pattern)))
    return found


def _urls(code: str, row_id: int, keys=KEYS):
    for name, route in _register_routes():
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        for key in keys if "register" in params else [None]:
            values = {"code": code, "register": key, "row_id": row_id}
            yield name, reverse(name, kwargs={p: values[p] for p in params})


def test_the_walk_sees_every_register_page():
    assert {name for name, _route in _register_routes()} == WRITE_NAMES | READ_NAMES


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_every_register_url(client, outsider, org, method):
    row = EventFactory(organization=org)
    client.force_login(outsider)
    checked = 0
    for name, url in _urls(org.code, row.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {name} {url}"
        checked += 1
    assert checked == 1 + 6 * len(REGISTERS)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, org):
    row = EventFactory(organization=org)
    for _name, url in _urls(org.code, row.pk, keys=["events"]):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_row_of_another_organization_is_not_found_under_ones_own_code(
    client, coordinator, org, other_org
):
    theirs = EventFactory(organization=other_org)
    client.force_login(coordinator)
    for name in ("registers:edit", "registers:delete"):
        url = reverse(name, args=[org.code, "events", theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert REGISTERS["events"].model.objects.filter(pk=theirs.pk).exists()


def test_a_row_id_of_another_register_is_not_found(client, coordinator, org):
    event = EventFactory(organization=org)
    client.force_login(coordinator)
    url = reverse("registers:edit", args=[org.code, "publications", event.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["reviewer", "leader", "auditor"])
def test_a_reader_may_read_but_not_change(client, request, org, persona):
    user = request.getfixturevalue(persona)
    row = EventFactory(organization=org)
    client.force_login(user)
    for name, url in _urls(org.code, row.pk, keys=["events"]):
        if name in READ_NAMES:
            assert client.get(url).status_code == 200, name
        else:
            assert client.get(url).status_code == 403, name
            assert client.post(url).status_code == 403, name
    assert REGISTERS["events"].model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("persona", ["coordinator", "officer"])
def test_an_editor_may_open_every_page(client, request, org, persona):
    user = request.getfixturevalue(persona)
    row = EventFactory(organization=org)
    client.force_login(user)
    for name, url in _urls(org.code, row.pk, keys=["events"]):
        assert client.get(url).status_code == 200, name


def test_the_list_hides_change_buttons_from_readers(client, reviewer, org):
    row = EventFactory(organization=org)
    client.force_login(reviewer)
    html = client.get(reverse("registers:list", args=[org.code, "events"])).content.decode()
    assert reverse("registers:edit", args=[org.code, "events", row.pk]) not in html
    assert reverse("registers:delete", args=[org.code, "events", row.pk]) not in html
