"""The admin lists register rows and saves them through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shudarga.core.models import AuditEntry
from shudarga.registers.registry import REGISTERS
from tests.factories import EventFactory, UserFactory
from tests.registers.helpers import KEYS

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize("key", KEYS)
def test_every_register_has_an_admin_list_filtered_by_organization(client, admin_user, org, key):
    model = REGISTERS[key].model
    client.force_login(admin_user)
    url = reverse(f"admin:registers_{model._meta.model_name}_changelist")
    response = client.get(url, {"organization__id__exact": org.pk})
    assert response.status_code == 200


def test_an_admin_edit_goes_through_the_service(client, admin_user, org):
    row = EventFactory(organization=org, title="Old")
    client.force_login(admin_user)
    url = reverse("admin:registers_event_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "date": "2024-05-01",
        "kind": row.kind,
        "title": "Шинэ гарчиг",
        "participants": "",
        "outcome": "",
        "follow_up": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert row.title == "Шинэ гарчиг"
    assert "шинэ гарчиг" in row.search_text
    assert AuditEntry.objects.filter(action="register.events.changed", actor=admin_user).exists()
