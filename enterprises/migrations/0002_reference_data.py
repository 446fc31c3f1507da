from django.db import migrations


def load(apps, schema_editor):
    from enterprises.reference import ensure_industries, ensure_qualification_rules

    ensure_industries(apps.get_model("enterprises", "IndustryCategory"))
    ensure_qualification_rules(apps.get_model("enterprises", "QualificationRule"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
