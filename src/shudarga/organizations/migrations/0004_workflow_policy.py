"""`WorkflowPolicy` (the four-eyes rule of plans and reports) takes over the table that
`reports.0008` renamed from `reports_reportpolicy`: no database change here."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_unit'),
        ('reports', '0008_move_report_policy'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WorkflowPolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('four_eyes', models.BooleanField(default=True, verbose_name='four-eyes rule')),
                        ('reason', models.TextField(blank=True, verbose_name='reason for the last change')),
                        ('changed_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
                        ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                        ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='workflow_policy', to='organizations.organization', verbose_name='organization')),
                    ],
                    options={
                        'verbose_name': 'report workflow policy',
                        'verbose_name_plural': 'report workflow policies',
                    },
                ),
            ],
        ),
    ]
