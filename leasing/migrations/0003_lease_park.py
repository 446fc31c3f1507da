import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_park(apps, schema_editor):
    """Each lease's park is the park of its units' building (every lease so far lies in one park)."""
    Lease = apps.get_model("leasing", "Lease")
    links = Lease.units.through.objects.filter(lease_id=OuterRef("pk")).order_by("unit_id")
    Lease.objects.update(park_id=Subquery(links.values("unit__building__park_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("leasing", "0002_list_order_indexes"),
        ("spaces", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lease",
            name="park",
            field=models.ForeignKey(
                db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="leases", to="spaces.park", verbose_name="park",
            ),
        ),
        migrations.RunPython(fill_park, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="lease",
            index=models.Index(fields=["park", "enterprise"], name="lease_park_enterprise"),
        ),
    ]
