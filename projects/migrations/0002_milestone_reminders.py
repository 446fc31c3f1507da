"""The seed reminder rule of project milestones: from the planned day on, until reached, to the project's owning
department (the kind is projects.reminders.MILESTONE_DUE)."""

from django.db import migrations

SEED_RULES = [("projects.milestone_due", 0, "项目里程碑到期或逾期")]


def forwards(apps, schema_editor):
    ReminderRule = apps.get_model("core", "ReminderRule")
    for kind, days, title in SEED_RULES:
        ReminderRule.objects.get_or_create(kind=kind, applies_to="", days_before=days, defaults={
            "title": title, "to_operators": False, "to_enterprise": False, "to_bureau": True})


def backwards(apps, schema_editor):
    apps.get_model("core", "ReminderRule").objects.filter(kind=SEED_RULES[0][0]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0001_initial"),
        ("core", "0011_reminders"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
