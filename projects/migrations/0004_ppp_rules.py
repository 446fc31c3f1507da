"""The PPP fiscal affordability caps, as in force from their documents (DOMAIN.md §6): from 2015, all PPP spending
from the general public budget at most 10% of that level's general public budget expenditure a year (财金〔2015〕21
号); from 2019, above 5% no new government-pay project (财金〔2019〕10号)."""

import datetime

from django.db import migrations

RULES = [
    (datetime.date(2015, 4, 7), 1000, 1000, "财金〔2015〕21号 政府和社会资本合作项目财政承受能力论证指引"),
    (datetime.date(2019, 3, 7), 1000, 500, "财金〔2019〕10号 关于推进政府和社会资本合作规范发展的实施意见"),
]


def forwards(apps, schema_editor):
    PppRule = apps.get_model("projects", "PppRule")
    for day, cap, new_cap, source in RULES:
        PppRule.objects.get_or_create(effective_from=day, defaults={
            "cap_bp": cap, "new_government_pay_cap_bp": new_cap, "source": source})


def backwards(apps, schema_editor):
    apps.get_model("projects", "PppRule").objects.filter(effective_from__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):

    dependencies = [("projects", "0003_ppp")]

    operations = [migrations.RunPython(forwards, backwards)]
