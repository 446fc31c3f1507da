from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import counting, project
        from .auditlock import register_sqlite_function

        counting.connect()
        project.discover_declarations()

        connection_created.connect(register_sqlite_function, dispatch_uid="yuanqu_audit_locked")
