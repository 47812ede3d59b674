"""The one rate-limit counter the portal and the API share."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from shudarga.core.ratelimit import limit_for, rate_count


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_allows_up_to_the_limit_in_a_window_then_refuses(settings):
    settings.PUBLIC_RATE_LIMITS = {"track": (3, 600)}
    verdicts = [rate_count(scope="track", who="10.0.0.1", now=6000.0) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 601  # the window 6000-6600 ends in 600 s
    assert rate_count(scope="track", who="10.0.0.2", now=6000.0).allowed  # another address
    assert rate_count(scope="track", who="10.0.0.1", now=6600.0).allowed  # the next window


def test_it_reads_the_api_limits_from_their_own_settings(settings):
    settings.API_RATE_LIMIT = (2, 30)
    settings.API_PUBLIC_RATE_LIMIT = (7, 60)
    assert limit_for("api-token") == (2, 30)
    assert limit_for("api-public") == (7, 60)


def test_an_unknown_scope_is_an_error_not_unlimited():
    with pytest.raises(KeyError):
        limit_for("petitoin")


@pytest.mark.django_db
def test_the_portal_and_the_api_count_tracking_lookups_together(client, settings):
    """One counter per address for tracking codes, whichever door is used."""
    settings.PUBLIC_RATE_LIMITS = {"track": (2, 600)}
    client.post("/public/track/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    client.post(
        "/api/v1/public/petitions/status",
        {"code": "AAAA-BBBB-CCCC-DDDD"},
        content_type="application/json",
    )
    response = client.post(
        "/api/v1/public/petitions/status",
        {"code": "AAAA-BBBB-CCCC-DDDD"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 601
