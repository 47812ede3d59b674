"""The report policy (the four-eyes rule) moves to `organizations.WorkflowPolicy`, below
plans and reports, so plan approval applies the same rule. The table is renamed; its rows
stay. The organizations app's 0004 takes the model over in the migration state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0007_parent_evaluation_reopen'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(
                    name='reportpolicy', table='organizations_workflowpolicy'
                ),
            ],
            state_operations=[
                migrations.DeleteModel(name='ReportPolicy'),
            ],
        ),
    ]
