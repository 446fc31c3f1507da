from django.apps import AppConfig


class LeasingConfig(AppConfig):
    name = "leasing"

    def ready(self):
        from . import panels, reminders

        panels.register()
        reminders.register()
