from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core import checks

        from . import accounts, counting, project, tokens  # noqa: F401 (accounts and tokens declare their actions)
        from .auditlock import register_sqlite_function
        from .importing import jobs  # noqa: F401 (an import batch's actions: whatever process runs, they exist)
        from .reminders.senders import check_senders

        counting.connect()
        reminders_daily()
        checks.register(check_senders)
        project.discover_declarations()

        connection_created.connect(register_sqlite_function, dispatch_uid="yuanqu_audit_locked")


def reminders_daily():
    """Raising reminders is a daily task, after the tasks that change records (order 90)."""
    from . import daily
    from .reminders.services import reminders_raise

    daily.register("core.reminders", lambda today: reminders_raise(today=today), order=90)
