"""The share caps and the required reinvestment ratio in force since 2016-01-01 (DOMAIN §5, finance/reference.py):
the guidance fund's share of a sub-fund at most 30% for an innovation sub-fund and 25% for an emerging-industry
one, all public money at most 70%. The required reinvestment ratio, 1.5× (15000 bp), is an assumption [assume]:
the sources give no figure for the district; it is data, changed by adding a row from a later date."""

from django.db import migrations

from finance.reference import SINCE, ensure_share_limits


def seed(apps, schema_editor):
    ensure_share_limits(apps.get_model("finance", "ShareLimit"))


def unseed(apps, schema_editor):
    apps.get_model("finance", "ShareLimit").objects.filter(effective_from=SINCE).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
