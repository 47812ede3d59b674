"""The demo petitions give the register overdue and due-soon rows and a running survey."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from shudarga.demo.petitions import load_demo_petitions
from shudarga.petitions.models import Petition, Survey
from shudarga.petitions.selectors import petition_due_counts

pytestmark = pytest.mark.django_db


def test_the_demo_register_has_overdue_and_due_soon_petitions(client, org, officer):
    today = timezone.localdate()
    counts = load_demo_petitions(organization=org, officer=officer, today=today)
    assert counts == {"answered": 2, "transferred": 1, "open": 5, "closed": 1, "extended": 1}
    assert Petition.objects.filter(organization=org).count() == 10
    assert petition_due_counts(organization=org, today=today) == {"overdue": 1, "soon": 2}
    survey = Survey.objects.get(organization=org)
    assert survey.status == "open"
    assert survey.responses.count() == 4
    client.force_login(officer)
    html = client.get(reverse("petitions:list", args=[org.code]), {"due": "overdue"}).content
    assert "Хог тээврийн хуваарь" in html.decode()
