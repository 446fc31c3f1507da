from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"

    def ready(self):
        from . import attachments

        attachments.register()

        from . import reminders

        reminders.register()

        from . import panels

        panels.register()
