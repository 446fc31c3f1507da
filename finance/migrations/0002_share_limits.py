"""The share caps and the required reinvestment ratio in force since 2016-01-01 (DOMAIN §5): the guidance fund's
share of a sub-fund at most 30% for an innovation sub-fund and 25% for an emerging-industry one, all public money
at most 70%. The required reinvestment ratio, 1.5× (15000 bp), is an assumption [assume]: the sources give no
figure for the district; it is data, changed by adding a row from a later date."""

import datetime

from django.db import migrations

SOURCE = "深圳市政府投资引导基金管理办法；返投比例1.5倍为假设值〔assume〕"
LIMITS = [("innovation", 3000, 7000, 15000), ("emerging", 2500, 7000, 15000)]


def seed(apps, schema_editor):
    ShareLimit = apps.get_model("finance", "ShareLimit")
    for focus, guidance_cap, public_cap, required in LIMITS:
        ShareLimit.objects.update_or_create(
            focus=focus, effective_from=datetime.date(2016, 1, 1),
            defaults={"guidance_cap_bp": guidance_cap, "public_cap_bp": public_cap,
                      "required_reinvestment_bp": required, "source": SOURCE})


def unseed(apps, schema_editor):
    apps.get_model("finance", "ShareLimit").objects.filter(effective_from=datetime.date(2016, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
