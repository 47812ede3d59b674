"""The single channel of a publication row, now in its list of channels (see 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registers", "0003_publication_channels")]

    operations = [
        migrations.RemoveField(model_name="historicalpublication", name="channel"),
        migrations.RemoveField(model_name="publication", name="channel"),
    ]
