"""The seed reminder rules of certifications about to expire: 90, 60 and 30 days ahead, to the park's operators
and the bureau (the kind is certification.reminders.CERTIFICATION_EXPIRING)."""

from django.db import migrations

SEED_RULES = [
    ("certification.certification_expiring", 90, "认定证书90天内到期"),
    ("certification.certification_expiring", 60, "认定证书60天内到期"),
    ("certification.certification_expiring", 30, "认定证书30天内到期"),
]


def seed_rules(ReminderRule) -> None:
    for kind, days, title in SEED_RULES:
        ReminderRule.objects.get_or_create(kind=kind, applies_to="", days_before=days, defaults={
            "title": title, "to_operators": True, "to_enterprise": False, "to_bureau": True})


def forwards(apps, schema_editor):
    seed_rules(apps.get_model("core", "ReminderRule"))


def backwards(apps, schema_editor):
    apps.get_model("core", "ReminderRule").objects.filter(kind=SEED_RULES[0][0]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("certification", "0001_initial"),
        ("core", "0011_reminders"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
