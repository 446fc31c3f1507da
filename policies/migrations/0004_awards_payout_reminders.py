"""The seed reminder rule of awards' payments coming due: 10 days ahead (or overdue), to the bureau (the kind is
policies.reminders.PAYOUT_DUE)."""

from django.db import migrations

SEED_RULES = [("policies.payout_due", 10, "兑付拨付期限10天内到期")]


def forwards(apps, schema_editor):
    ReminderRule = apps.get_model("core", "ReminderRule")
    for kind, days, title in SEED_RULES:
        ReminderRule.objects.get_or_create(kind=kind, applies_to="", days_before=days, defaults={
            "title": title, "to_operators": False, "to_enterprise": False, "to_bureau": True})


def backwards(apps, schema_editor):
    apps.get_model("core", "ReminderRule").objects.filter(kind=SEED_RULES[0][0]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0001_initial"),
        ("core", "0011_reminders"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
