from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core import checks

        from core.accounts import tokens, views  # noqa: F401 (accounts and tokens declare their actions)
        from core.attachments import panels  # noqa: F401 (the attachments panel on every record that takes them)
        from core.audit.lock import register_sqlite_function
        from core.importing import jobs, tasks  # noqa: F401 (an import batch's actions: whatever process runs, they exist)
        from core.reminders.senders import check_senders
        from core.runtime import project
        from core.surfaces import counting

        counting.connect()
        reminders_daily()
        checks.register(check_senders)
        project.discover_declarations()

        connection_created.connect(register_sqlite_function, dispatch_uid="yuanqu_audit_locked")


def reminders_daily():
    """Raising reminders is a daily task, after the tasks that change records (order 90)."""
    from core.reminders import daily
    from core.reminders.services import reminders_raise

    daily.register("core.reminders", lambda today: reminders_raise(today=today), order=90)
