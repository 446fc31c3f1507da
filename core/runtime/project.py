"""The project's own apps, as opposed to Django's and the libraries': the apps core reads declarations from.

An app is the project's when its package sits directly in the project directory (``settings.BASE_DIR``);
nothing lists them by name but ``INSTALLED_APPS``.
"""

from importlib import import_module
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

DECLARATIONS = ("navigation", "home")


def is_project_app(app_config: AppConfig) -> bool:
    return Path(app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()


def project_apps() -> list[AppConfig]:
    """The project's apps in the order of INSTALLED_APPS."""
    return [config for config in apps.get_app_configs() if is_project_app(config)]


def discover_declarations() -> None:
    """Import every project app's menu (``navigation.py``) and home-page (``home.py``) declarations (a library's
    module of the same name is not one)."""
    for config in project_apps():
        for name in DECLARATIONS:
            if module_has_submodule(config.module, name):
                import_module(f"{config.name}.{name}")
