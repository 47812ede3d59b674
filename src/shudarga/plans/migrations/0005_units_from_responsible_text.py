"""Give measures assigned before units existed the unit their `responsible_unit` names."""

from __future__ import annotations

import re

from django.db import migrations


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()[:255]


def forwards(apps, schema_editor):
    Measure = apps.get_model("plans", "Measure")
    Unit = apps.get_model("organizations", "Unit")
    units: dict[tuple[int, str], object] = {}
    for measure in Measure.objects.exclude(responsible_unit="").select_related("plan").iterator():
        name = re.sub(r"\s+", " ", measure.responsible_unit).strip()
        key = (measure.plan.organization_id, _key(name))
        if key not in units:
            units[key], _created = Unit.objects.get_or_create(
                organization_id=key[0], key=key[1], defaults={"name": name}
            )
        measure.units.add(units[key])


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_import_reading_schedule_units")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
