"""The migration that gives a material its channels merges the rows one material was
recorded as (one per channel) and keeps every other row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("registers", "0002_history")]
AFTER = [("registers", "0004_remove_publication_channel")]


@pytest.mark.django_db(transaction=True)
def test_rows_of_one_material_become_one_row_with_its_channels():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        org = old.get_model("organizations", "Organization").objects.create(
            name="Газар", code="MIGR"
        )
        Publication = old.get_model("registers", "Publication")
        common = {"organization": org, "material": "poster", "produced_by": "own"}
        Publication.objects.create(date=dt.date(2023, 3, 2), title="Зурагт  хуудас",
                                   channel="facebook", views=100, **common)  # fmt: skip
        Publication.objects.create(date=dt.date(2023, 3, 1), title="зурагт хуудас",
                                   channel="website", views=50, shows_hotline=True,
                                   **common)  # fmt: skip
        Publication.objects.create(
            date=dt.date(2024, 3, 1), title="Зурагт хуудас", channel="led", **common
        )  # another year: another row
        forward = MigrationExecutor(connection)
        forward.loader.build_graph()
        forward.migrate(AFTER)
        new = forward.loader.project_state(AFTER).apps.get_model("registers", "Publication")
        rows = list(new.objects.order_by("date").values("date", "channels", "views",
                                                       "shows_hotline"))  # fmt: skip
        assert rows == [
            {"date": dt.date(2023, 3, 1), "channels": ["facebook", "website"], "views": 150,
             "shows_hotline": True},
            {"date": dt.date(2024, 3, 1), "channels": ["led"], "views": None,
             "shows_hotline": False},
        ]  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
