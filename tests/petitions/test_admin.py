"""The admin shows petitions and surveys read-only; personal data only to superusers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PetitionFactory, SurveyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_and_shows_but_never_changes(client, org):
    petition = PetitionFactory(organization=org, petitioner_name="Админ Харах")
    survey = SurveyFactory(organization=org)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:petitions_petition_changelist")).status_code == 200
    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk]))
    assert page.status_code == 200
    assert "Админ Харах" in page.content.decode()
    assert client.get(reverse("admin:petitions_petition_add")).status_code == 403
    assert client.get(reverse("admin:petitions_survey_change", args=[survey.pk])).status_code == 200
    response = client.post(reverse("admin:petitions_petition_delete", args=[petition.pk]))
    assert response.status_code == 403
