"""manage.py grant_app_role ROLE [--print]: give the application's database role what it needs, and no more.

PostgreSQL only. Run it as the role that owns the tables — the one that runs ``migrate`` — after every
``migrate`` (it is idempotent):

    DATABASE_URL=postgres://yuanqu_owner@db/yuanqu python manage.py migrate
    DATABASE_URL=postgres://yuanqu_owner@db/yuanqu python manage.py grant_app_role yuanqu_app

The application role may read and write the platform's tables, read ``django_migrations``, and only SELECT
and INSERT the audit tables (every append-only model: ObjectChange, DomainEvent). Not being their owner, it
can neither drop them, nor alter them, nor disable their triggers; without the privileges it cannot UPDATE,
DELETE or TRUNCATE them, and the triggers refuse those as well. Tables created by later migrations are
granted by default privileges; the audit tables stay narrowed. See docs/architecture.md, "The audit tables
and personal data".
"""

import re

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from core.models import AppendOnlyModel

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
NOT_ON_AUDIT = "UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


def audit_tables() -> list[str]:
    return sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel))


def statements(role: str, schema: str) -> list[str]:
    """The grants, in order: everything a web process or worker does, then the audit tables narrowed."""
    quote = connection.ops.quote_name
    role, schema = quote(role), quote(schema)
    audit = ", ".join(quote(t) for t in audit_tables())
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {TABLE_PRIVILEGES} ON TABLES TO {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON {quote('django_migrations')} FROM {role}",
        f"REVOKE {NOT_ON_AUDIT} ON {audit} FROM {role}, PUBLIC",
    ]


class Command(BaseCommand):
    help = "PostgreSQL: grant the application's role what it needs; the audit tables only SELECT and INSERT."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web server and the worker connect as, e.g. yuanqu_app")
        parser.add_argument("--print", action="store_true", dest="print_only",
                            help="print the statements instead of running them")

    def handle(self, *args, role, print_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only: SQLite has no roles (whoever can write the file can change it).")
        if not ROLE_NAME.match(role):
            raise CommandError(f"{role!r} is not a plain role name (lower-case letters, digits, _).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema()")
            current, schema = cursor.fetchone()
            sql = statements(role, schema)
            if print_only:
                self.stdout.write(";\n".join(sql) + ";")
                return
            self._check_roles(cursor, role, current)
            try:
                for statement in sql:
                    cursor.execute(statement)
            except DatabaseError as error:
                raise CommandError(f"{error}".strip()) from error
            self._verify(cursor, role)
        if options["verbosity"]:
            self.stdout.write(f"{role}: tables granted; audit tables ({', '.join(audit_tables())}) "
                              f"SELECT and INSERT only.")

    def _check_roles(self, cursor, role, current):
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise CommandError(f"No role {role!r}: create it first (CREATE ROLE {role} LOGIN PASSWORD '…').")
        if role == current:
            raise CommandError("Run this as the owner of the tables, for another role: the application must not "
                               "connect as the owner (the owner can drop the audit triggers).")
        for table in audit_tables():
            cursor.execute("SELECT pg_has_role(current_user, relowner, 'USAGE'), pg_has_role(%s, relowner, 'MEMBER'), "
                           "(SELECT rolsuper FROM pg_roles WHERE rolname = %s) FROM pg_class WHERE oid = %s::regclass",
                           [role, role, table])
            owner, member, superuser = cursor.fetchone()
            if not owner:
                raise CommandError(f"{current} does not own {table}: run this as the role that runs migrate.")
            if member or superuser:
                raise CommandError(f"{role} is a superuser or a member of the role that owns {table}: it could "
                                   f"disable the audit triggers. Revoke that membership first.")

    def _verify(self, cursor, role):
        for table in audit_tables():
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                if cursor.fetchone()[0]:
                    raise CommandError(f"{role} still holds {privilege} on {table} (granted to a role it belongs "
                                       f"to?): revoke it.")
