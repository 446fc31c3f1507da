"""Audit tables refuse UPDATE and DELETE in the database itself; the district's departments."""

from django.db import migrations

TABLES = ("core_objectchange", "core_domainevent")

DEPARTMENTS = [
    ("kcj", "福田区科技创新局", "区科技创新局"),
    ("zjj", "福田区住房和建设局", "区住房和建设局"),
    ("jtj", "福田区交通运输局", "区交通运输局"),
    ("tcfw", "福田区投资推广和企业服务中心", "区投资推广和企业服务中心"),
    ("fgj", "福田区发展和改革局", "区发展和改革局"),
    ("gxj", "福田区工业和信息化局", "区工业和信息化局"),
    ("czj", "福田区财政局", "区财政局"),
    ("jrj", "福田区地方金融监督管理局", "区金融工作局"),
    ("wtlj", "福田区文化广电旅游体育局", "区文化广电旅游体育局"),
    ("gzj", "深圳市规划和自然资源局福田管理局", "规自局福田管理局"),
    ("gxb", "福田区城市更新和土地整备局", "区城市更新和土地整备局"),
    ("scjg", "深圳市市场监督管理局福田监管局", "市场监管福田局"),
]


def sqlite_or_postgres(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            if vendor == "sqlite":
                for op in ("UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END"
                    )
            elif vendor == "postgresql":
                cursor.execute(
                    "CREATE OR REPLACE FUNCTION yuanqu_audit_append_only() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql"
                )
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION yuanqu_audit_append_only()"
                )


def departments(apps, schema_editor):
    from core.search import search_key

    Department = apps.get_model("core", "Department")
    for code, name, short in DEPARTMENTS:
        Department.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "search_text": search_key(name, short)}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(sqlite_or_postgres, migrations.RunPython.noop),
        migrations.RunPython(departments, migrations.RunPython.noop),
    ]
