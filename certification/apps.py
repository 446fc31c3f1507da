from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from . import panels, reminders
        from .services import rounds_register

        panels.register()
        reminders.register()
        rounds_register()
