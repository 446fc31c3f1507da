"""Reference data: GB/T 4754-2017 (shipped in enterprises/data) and the validity rules of qualifications."""

import datetime
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gbt4754-2017.json"

QUALIFICATION_RULES = [
    ("high_tech", datetime.date(2016, 1, 29), 3, "国科发火〔2016〕32号 高新技术企业认定管理办法"),
    ("specialised", datetime.date(2022, 6, 1), 3, "工信部企业〔2022〕63号 优质中小企业梯度培育管理暂行办法"),
]


def ensure_industries(Category) -> None:
    """Load the 1,970 categories unless they are there (``Category`` may be a historical model)."""
    if Category.objects.filter(level="class").count() == 1380:
        return
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = [Category(code=s["code"], name=s["name"], level="section", section=s["code"], note=s.get("note", ""))
            for s in data["sections"]]
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
    Category.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def ensure_qualification_rules(Rule) -> None:
    for kind, effective, years, source in QUALIFICATION_RULES:
        Rule.objects.get_or_create(kind=kind, effective_from=effective,
                                   defaults={"validity_years": years, "source": source})
