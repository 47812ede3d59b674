# Written by hand: reports approved before record locks existed lock their records now.

import datetime as dt

from django.db import migrations

# The reporting periods as they are today (criteria.selectors.PERIODS), copied so this
# migration keeps meaning what it meant.
PERIODS = {
    "year": ((1, 1), (12, 31)),
    "h1": ((1, 1), (6, 30)),
    "h2": ((7, 1), (12, 31)),
    "q1": ((1, 1), (3, 31)),
    "q2": ((4, 1), (6, 30)),
    "q3": ((7, 1), (9, 30)),
    "q4": ((10, 1), (12, 31)),
    "9m": ((1, 1), (9, 30)),
}


def lock_approved(apps, schema_editor):
    """A lock for every approved report. Which registers its criteria count across the
    organization is not worked out here (that needs today's rule code): every register of
    the period is locked ("*"), the safe side; reopening and approving again narrows it."""
    Report = apps.get_model("reports", "Report")
    RecordLock = apps.get_model("core", "RecordLock")
    db = schema_editor.connection.alias
    locks = []
    for report in Report.objects.using(db).filter(status="approved").select_related("plan"):
        (m1, d1), (m2, d2) = PERIODS.get(report.period, PERIODS["year"])
        locks.append(
            RecordLock(
                kind="report",
                object_id=report.pk,
                object_repr=f"{report.plan.year} · {report.period}",
                organization_id=report.plan.organization_id,
                plan_id=report.plan_id,
                start=dt.date(report.plan.year, m1, d1),
                end=dt.date(report.plan.year, m2, d2),
                registers=["*"],
            )
        )
    RecordLock.objects.using(db).bulk_create(locks, ignore_conflicts=True)


def unlock(apps, schema_editor):
    apps.get_model("core", "RecordLock").objects.using(schema_editor.connection.alias).filter(
        kind="report"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_report_policy"),
        ("core", "0005_record_locks"),
    ]

    operations = [migrations.RunPython(lock_approved, unlock)]
