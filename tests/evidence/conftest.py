"""Evidence tests keep uploaded files in a temporary MEDIA_ROOT."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "bigupload: streams a 50 MB upload through the app (a few seconds)"
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def measure(seed_plan):
    return seed_plan.measures.get(code="1.2")


@pytest.fixture
def other_measure(other_plan):
    return other_plan.measures.get(code="1.2")
