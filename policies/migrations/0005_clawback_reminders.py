"""The seed reminder rule of clawback cases raised and not yet decided: to the bureau, from the day the
obligation broke (the kind is policies.reminders.CLAWBACK_RAISED)."""

from django.db import migrations

KIND = "policies.clawback_raised"


def forwards(apps, schema_editor):
    apps.get_model("core", "ReminderRule").objects.get_or_create(kind=KIND, applies_to="", days_before=0, defaults={
        "title": "义务违反待认定追回", "to_operators": False, "to_enterprise": False, "to_bureau": True})


def backwards(apps, schema_editor):
    apps.get_model("core", "ReminderRule").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0004_awards_payout_reminders"),
        ("core", "0011_reminders"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
