"""GB/T 4754-2017 (shipped in enterprises/data) and the validity rules of qualifications."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754-2017.json"

RULES = [
    ("high_tech", datetime.date(2016, 1, 29), 3, "国科发火〔2016〕32号 高新技术企业认定管理办法"),
    ("specialised", datetime.date(2022, 6, 1), 3, "工信部企业〔2022〕63号 优质中小企业梯度培育管理暂行办法"),
]


def load(apps, schema_editor):
    Category = apps.get_model("enterprises", "IndustryCategory")
    Rule = apps.get_model("enterprises", "QualificationRule")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = []
    for s in data["sections"]:
        rows.append(Category(code=s["code"], name=s["name"], level="section", section=s["code"], note=s.get("note", "")))
    division_section = {}
    for d in data["divisions"]:
        division_section[d["code"]] = d["section"]
        rows.append(Category(code=d["code"], name=d["name"], level="division", parent_id=d["section"],
                             section=d["section"], note=d.get("note", "")))
    for g in data["groups"]:
        rows.append(Category(code=g["code"], name=g["name"], level="group", parent_id=g["division"],
                             section=division_section[g["division"]], note=g.get("note", "")))
    for c in data["classes"]:
        rows.append(Category(code=c["code"], name=c["name"], level="class", parent_id=c["group"],
                             section=c["section"], note=c.get("note", "")))
    Category.objects.bulk_create(rows, batch_size=500)
    for kind, effective, years, source in RULES:
        Rule.objects.create(kind=kind, effective_from=effective, validity_years=years, source=source)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
