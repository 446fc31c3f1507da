"""The left-hand menu, filtered by what the user's role may see.

Core declares its groups and entries here; every app declares its own in ``<app>/navigation.py``, which
core imports when the apps are ready (``CoreConfig.ready``). Groups are shown in the order of their weight,
entries within a group in the order of theirs, and an entry only to the users its ``visible`` admits:

- ``None``: everyone signed in;
- ``"app_label.Model"``: those whose role may view that model (``core.access.permissions.role_may``);
- a function ``visible(user) -> bool``, e.g. ``bureau_roles`` or ``administrator`` below.

A group without an entry the user may see is left out; an entry whose URL is not installed is skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.access.permissions import VIEW, role_may
from core.reference.choices import Role


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    weight: int


@dataclass(frozen=True)
class Entry:
    group: str
    label: str
    url_name: str
    weight: int
    visible: str | Callable | None = None


GROUPS: dict[str, Group] = {}
ENTRIES: list[Entry] = []


def add_group(key: str, title, *, weight: int) -> Group:
    """A heading of the menu (``key`` is how entries name it, e.g. "data")."""
    GROUPS[key] = Group(key=key, title=title, weight=weight)
    return GROUPS[key]


def add_entry(group: str, label, url_name: str, *, weight: int, visible: str | Callable | None = None) -> Entry:
    """A link under the group ``group`` (declared by this app or an earlier one) to the URL named ``url_name``."""
    entry = Entry(group=group, label=label, url_name=url_name, weight=weight, visible=visible)
    ENTRIES.append(entry)
    return entry


def bureau_roles(user) -> bool:
    """The district's own people: administrators, officers and leaders (an operator reaches its parks' pages
    from the park)."""
    return user.role in (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.LEADER)


def administrator(user) -> bool:
    return user.role == Role.BUREAU_ADMIN


def may_see(user, visible) -> bool:
    if visible is None:
        return True
    if callable(visible):
        return bool(visible(user))
    from django.apps import apps

    return role_may(user, VIEW, apps.get_model(visible))


# Core's own groups and entries; the apps' groups fall between "overview" and "data".
add_group("overview", _("Overview"), weight=100)
add_group("data", _("Data"), weight=900)
add_group("administration", _("Administration"), weight=1000)
add_entry("overview", _("Home"), "home", weight=10)
add_entry("administration", _("Users"), "user_list", weight=10, visible=administrator)
add_entry("administration", _("Departments"), "core:department_list", weight=20, visible=administrator)
add_entry("administration", _("Reminder rules"), "core:reminderrule_list", weight=25, visible=administrator)
add_entry("administration", _("Working calendar"), "calendar_years", weight=27, visible=administrator)
add_entry("administration", _("Change records"), "change_list", weight=30, visible=administrator)


def menu_for(user, current_path: str = ""):
    groups = []
    for group in sorted(GROUPS.values(), key=lambda g: g.weight):
        entries = []
        for entry in sorted((e for e in ENTRIES if e.group == group.key), key=lambda e: e.weight):
            if not may_see(user, entry.visible):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            active = url != "/" and current_path.startswith(url) or current_path == url
            entries.append({"label": entry.label, "url": url, "active": active})
        if entries:
            groups.append({"title": group.title, "items": entries})
    return groups
