"""`generate_data` makes consistent data, and every benchmarked page runs the same number of
queries whatever the number of organizations (the benchmark prints the counts at 3,000)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shudarga.api.services import token_create
from shudarga.criteria.models import CriterionRule
from shudarga.demo.bench import bench_targets
from shudarga.demo.bulk import BulkWriter
from shudarga.demo.generate import Generator, Scale
from shudarga.evidence.models import Evidence
from shudarga.organizations.models import Organization
from shudarga.organizations.selectors import organizations_for_user
from shudarga.petitions.models import Petition, PetitionCounter
from shudarga.plans.models import Measure, Plan
from shudarga.registers.models import Publication
from shudarga.reports.models import Report, ReportItem

pytestmark = pytest.mark.django_db(transaction=False)

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _generate(orgs: int, prefix: str) -> dict[str, int]:
    scale = Scale(
        orgs=orgs,
        register_rows=orgs * 30,
        petitions=orgs * 12,
        evidence=orgs * 25,
        prefix=prefix,
        today=TODAY,
    )
    return Generator(scale).run()


def _query_counts(prefix: str) -> dict[str, int]:
    targets = bench_targets(prefix)
    user_model = get_user_model()
    counts = {}
    for page in targets.pages:
        user = user_model.objects.get(username=page.user)
        client = Client()
        headers = {}
        if page.api:
            secret = token_create(user=user, name="bench", scope="read").secret
            headers["Authorization"] = f"Bearer {secret}"
        else:
            client.force_login(user)
        client.get(page.path, headers=headers)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path, headers=headers)
        assert response.status_code == 200, (page.name, response.status_code)
        counts[page.name] = len(queries)
    return counts


def test_generated_data_is_consistent(media_root):
    counts = _generate(4, "T-")

    plans = Plan.objects.filter(organization__code__startswith="T-")
    assert plans.count() == 4 * 2  # two years each
    assert {p.year for p in plans} == {2025, 2026}
    per_plan = [p.measures.count() for p in plans]
    assert all(58 <= n <= 60 for n in per_plan), per_plan
    assert counts["plans.Measure"] == sum(per_plan)
    # every criterion has its proposed rule; the seed's words give counted rules too
    assert (
        CriterionRule.objects.filter(criterion__measure__plan__in=plans).count()
        == (counts["plans.Criterion"])
    )
    assert CriterionRule.objects.exclude(kind="manual").exists()
    # totals asked are totals made
    assert Petition.objects.filter(organization__code__startswith="T-").count() == 48
    assert Evidence.objects.filter(organization__code__startswith="T-").count() == 100
    register_total = sum(
        v for k, v in counts.items() if k.startswith("registers.") and "_" not in k
    )
    assert register_total == 120
    # registration numbers are gap-free per organization and year, as the counters say
    for counter in PetitionCounter.objects.filter(organization__code__startswith="T-"):
        numbers = sorted(
            Petition.objects.filter(
                organization=counter.organization, year=counter.year
            ).values_list("number", flat=True)
        )
        assert numbers == list(range(1, counter.last_number + 1))
    # nothing happens after today; approved reports are scored
    assert not Petition.objects.filter(received_on__gt=TODAY).exists()
    assert not Publication.objects.filter(date__gt=TODAY).exists()
    assert not Report.objects.filter(due_date__gt=TODAY).exclude(status="draft").exists()
    assert ReportItem.objects.filter(report__status="approved", score__isnull=False).exists()
    # evidence files are real and their digests right
    evidence = Evidence.objects.filter(kind="file").first()

    with evidence.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == evidence.sha256
    # the hierarchy: a leader of the root sees every generated organization
    root = Organization.objects.get(code="T-MN")
    leader = get_user_model().objects.get(username="t-mn-leader")
    assert set(organizations_for_user(user=leader)) >= set(
        Organization.objects.filter(path__startswith=root.path)
    )
    # foreign keys hold (SQLite: PRAGMA foreign_key_check; PostgreSQL: deferred checks)
    connection.check_constraints()
    # new rows after generated ones get fresh ids
    measure = Measure.objects.filter(plan__in=plans).first()
    Measure.objects.create(
        plan=measure.plan, goal=measure.goal, code="9.99", text="x", position=999
    )

    with pytest.raises(ValueError, match="already exist"):
        _generate(4, "T-")


def test_query_counts_do_not_grow_with_organizations(media_root):
    _generate(3, "S-")
    small = _query_counts("S-")
    _generate(24, "L-")
    large = _query_counts("L-")
    assert small == large


def test_copy_text_escapes_what_copy_would_misread(db):
    """Tabs, newlines and backslashes in values survive the text COPY format."""
    org = Organization.objects.create(name="x", code="ESC", path="/")
    with connection.cursor():
        pass
    writer = BulkWriter()
    tricky = "таб\tмөр\nбуцах\\N\r end"
    writer.write(
        Organization,
        [{"id": org.pk + 1000, "name": tricky, "code": "ESC2", "path": "/", "parent_id": None}],
    )
    writer.finish()
    assert Organization.objects.get(code="ESC2").name == tricky
    Organization.objects.create(name="after", code="ESC3", path="/")


def test_the_command_refuses_bad_sizes():
    with pytest.raises(CommandError):
        call_command("generate_data", "--orgs", "1")
