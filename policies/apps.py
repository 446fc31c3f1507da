from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policy support")

    def ready(self):
        from . import panels, reminders

        # Each part of the app registers its panels and reminder rules by a function named register_<part>.
        for module in (panels, reminders):
            for name in sorted(dir(module)):
                if name.startswith("register_"):
                    getattr(module, name)()
