# Notifications moved to their own app (`shudarga.notifications`), below reports and
# petitions, so the services that make an event can notify in their own transaction.
# Rows written before keep their text as it was ("legacy" event).

from django.db import migrations


def copy_rows(apps, schema_editor):
    Old = apps.get_model("dashboards", "Notification")
    New = apps.get_model("notifications", "Notification")
    batch = []
    for row in Old.objects.order_by("pk").iterator():
        batch.append(
            New(
                user_id=row.user_id,
                event="legacy",
                params={"text": row.text},
                url=row.url,
                day=row.day,
                read_at=row.read_at,
                emailed_at=row.created_at,  # the digest it came with was e-mailed then
            )
        )
        if len(batch) >= 1000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    # auto_now_add stamped them now: give them back their own times
    for old, new in zip(
        Old.objects.order_by("pk").values_list("created_at", flat=True),
        New.objects.filter(event="legacy").order_by("pk").values_list("pk", flat=True),
        strict=False,
    ):
        New.objects.filter(pk=new).update(created_at=old)


def copy_back(apps, schema_editor):
    Old = apps.get_model("dashboards", "Notification")
    New = apps.get_model("notifications", "Notification")
    for row in New.objects.order_by("pk").iterator():
        Old.objects.create(
            user_id=row.user_id,
            day=row.day,
            text=str(row.params.get("text") or row.event)[:500],
            url=row.url,
            read_at=row.read_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
