"""The project's own apps, as opposed to Django's and the libraries': the apps core reads declarations from.

An app is the project's when its package sits directly in the project directory (``settings.BASE_DIR``);
nothing lists them by name but ``INSTALLED_APPS``.
"""

from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import autodiscover_modules


def is_project_app(app_config: AppConfig) -> bool:
    return Path(app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()


def project_apps() -> list[AppConfig]:
    """The project's apps in the order of INSTALLED_APPS."""
    return [config for config in apps.get_app_configs() if is_project_app(config)]


def discover_declarations() -> None:
    """Import every app's menu (``navigation.py``) and home-page (``home.py``) declarations."""
    autodiscover_modules("navigation", "home")
