# Accounts get a scope (User.objects.for_user), as every record an action (core.actions) is taken on; no SQL.

import core.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0011_reminders'),
    ]

    operations = [
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', core.models.UserManager()),
            ],
        ),
    ]
