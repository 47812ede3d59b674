"""One publication row is one material with every channel it was published on.

Before, a poster put on Facebook and on the website was two rows, and counted twice. Each
row's channel becomes its list of channels; rows of one organization and year with the
same title, material type and producer are one material and are merged into the oldest
row: channels joined, copies and views added, the earliest date, the measures and the
evidence pointing at any of them kept. The old column goes in the next migration: on
PostgreSQL a table cannot be altered in the transaction that just changed its rows.
"""

from collections import defaultdict

from django.db import migrations

import shudarga.registers.fields


def _key(row):
    return (
        row.organization_id,
        row.date.year,
        " ".join(row.title.split()).casefold(),
        row.material,
        row.produced_by,
    )


def forwards(apps, schema_editor):
    Publication = apps.get_model("registers", "Publication")
    Evidence = apps.get_model("evidence", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")
    groups = defaultdict(list)
    for row in Publication.objects.order_by("id"):
        row.channels = [row.channel] if row.channel else []
        groups[_key(row)].append(row)
    content_type = ContentType.objects.filter(app_label="registers", model="publication").first()
    for rows in groups.values():
        kept, others = rows[0], rows[1:]
        for other in others:
            kept.channels = list(dict.fromkeys([*kept.channels, *other.channels]))
            for name in ("copies", "views"):
                values = [v for v in (getattr(kept, name), getattr(other, name)) if v is not None]
                setattr(kept, name, sum(values) if values else None)
            kept.date = min(kept.date, other.date)
            kept.link = kept.link or other.link
            kept.shows_hotline = kept.shows_hotline or other.shows_hotline
            kept.measures.add(*other.measures.all())
            if content_type is not None:
                Evidence.objects.filter(register_type=content_type, register_id=other.pk).update(
                    register_id=kept.pk
                )
            other.delete()
        kept.save()


def backwards(apps, schema_editor):
    Publication = apps.get_model("registers", "Publication")
    for row in Publication.objects.all():
        row.channel = row.channels[0] if row.channels else "other"
        row.save(update_fields=["channel"])


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0002_history"),
        ("evidence", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpublication",
            name="channels",
            field=shudarga.registers.fields.ChoiceListField(verbose_name="channels"),
        ),
        migrations.AddField(
            model_name="publication",
            name="channels",
            field=shudarga.registers.fields.ChoiceListField(verbose_name="channels"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
