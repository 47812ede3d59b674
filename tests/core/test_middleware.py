from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_speaks_mongolian_whatever_the_browser_says(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "mn"
    assert "Нэвтрэх" in response.content.decode()


@pytest.mark.django_db
def test_it_switches_to_english_with_the_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()
