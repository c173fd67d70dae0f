from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="result", old_name="focus_role", new_name="focus"),
        migrations.AlterField(
            model_name="result",
            name="focus",
            field=models.CharField(
                help_text="The role target the person worked towards ('role:seniority'; a role slug before seniorities).",
                max_length=80,
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="target",
            field=models.JSONField(
                default=dict, help_text="The target assessed: role, seniority, chosen, set_aside, added."
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="scope",
            field=models.JSONField(default=list, help_text="Slugs of the skills this assessment covers."),
        ),
    ]
