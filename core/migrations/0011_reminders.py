"""Reminders (ADR 0016): the rules, the reminders, their deliveries, and the record of each day's run of the
daily tasks. The seed rules name kinds that the apps register (leasing, enterprises); a rule whose kind no app
has registered yet (the renewal follow-ups) waits, doing nothing, until one does.

Depends on 0009: when 0010 lands beside it, its dependency becomes 0010.
"""

import core.reminders.kinds
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


# (kind, applies to, days before, title, to operators, to the enterprise, to the bureau)
SEED_RULES = [
    ("leasing.lease_expiring", "", 90, "租约90天内到期", True, False, True),
    ("leasing.lease_expiring", "", 60, "租约60天内到期", True, False, True),
    ("leasing.lease_expiring", "", 30, "租约30天内到期", True, False, True),
    ("enterprises.qualification_lapsing", "high_tech", 90, "国家高新技术企业证书90天内到期", False, True, True),
    ("leasing.renewal_followup_overdue", "", 0, "续约跟进已过下次联系日期", True, False, True),
]


def seed_rules(ReminderRule) -> None:
    """Create the seed rules that are missing (``ReminderRule`` may be the migration's historical model)."""
    for kind, applies_to, days, title, operators, enterprise, bureau in SEED_RULES:
        ReminderRule.objects.get_or_create(kind=kind, applies_to=applies_to, days_before=days, defaults={
            "title": title, "to_operators": operators, "to_enterprise": enterprise, "to_bureau": bureau})


def forwards(apps, schema_editor):
    seed_rules(apps.get_model("core", "ReminderRule"))


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0010_attachments'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True, verbose_name='day')),
                ('run', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('started', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started')),
                ('finished', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('results', models.JSONField(blank=True, default=dict, verbose_name='results')),
            ],
            options={
                'verbose_name': 'daily run',
                'verbose_name_plural': 'daily runs',
                'ordering': ['-day'],
            },
        ),
        migrations.CreateModel(
            name='ReminderRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('last_updated', models.DateTimeField(auto_now=True, verbose_name='last updated')),
                ('kind', models.CharField(choices=core.reminders.kinds.kind_choices, max_length=80, verbose_name='kind')),
                ('title', models.CharField(max_length=100, verbose_name='rule name')),
                ('applies_to', models.CharField(blank=True, choices=core.reminders.kinds.applies_to_choices, help_text='Leave empty for every record of the kind.', max_length=40, verbose_name='applies to')),
                ('days_before', models.PositiveSmallIntegerField(help_text='Remind when the due date is this many days away or nearer (0: on the day).', verbose_name='days before')),
                ('to_operators', models.BooleanField(default=False, help_text="The operator accounts of the record's park.", verbose_name='park operators')),
                ('to_enterprise', models.BooleanField(default=False, help_text="The enterprise's own accounts.", verbose_name='the enterprise')),
                ('to_bureau', models.BooleanField(default=False, verbose_name='bureau officers and administrators')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'reminder rule',
                'verbose_name_plural': 'reminder rules',
                'ordering': ['kind', '-days_before', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('to_operators', True), ('to_enterprise', True), ('to_bureau', True), _connector='OR'), name='reminder_rule_has_audience')],
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(max_length=40)),
                ('due_date', models.DateField(verbose_name='due date')),
                ('text', models.CharField(max_length=300, verbose_name='text')),
                ('link', models.CharField(blank=True, max_length=200)),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='raised')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                ('resolution', models.CharField(blank=True, choices=[('ended', 'No longer due'), ('superseded', 'Replaced by a nearer reminder'), ('rule_off', 'Rule switched off')], max_length=12, verbose_name='resolution')),
                ('content_type', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                ('rule', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='core.reminderrule', verbose_name='rule')),
            ],
            options={
                'verbose_name': 'reminder',
                'verbose_name_plural': 'reminders',
                'ordering': ['-raised_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ReminderDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sender', models.CharField(max_length=200, verbose_name='sender')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('last_attempt', models.DateTimeField(blank=True, null=True, verbose_name='last attempt')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('reminder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='core.reminder')),
            ],
            options={
                'verbose_name': 'reminder delivery',
                'verbose_name_plural': 'reminder deliveries',
                'constraints': [models.UniqueConstraint(fields=('reminder', 'sender'), name='reminder_delivery_once')],
            },
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('read_at__isnull', True), ('resolved_at__isnull', True)), fields=['recipient'], name='reminder_unread'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['recipient', '-raised_at', '-id'], name='reminder_inbox'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['content_type', 'object_id'], name='reminder_record_open'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(fields=('rule', 'recipient', 'content_type', 'object_id', 'due_date'), name='reminder_once_per_occasion'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
