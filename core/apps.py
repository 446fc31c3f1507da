from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import accounts, counting, tokens  # noqa: F401 (accounts and tokens declare their actions)
        from .auditlock import register_sqlite_function
        from .importing import jobs  # noqa: F401 (an import batch's actions: whatever process runs, they exist)

        counting.connect()

        connection_created.connect(register_sqlite_function, dispatch_uid="yuanqu_audit_locked")
