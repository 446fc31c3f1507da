"""The left-hand menu, filtered by what the user's role may see."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .permissions import VIEW, role_may


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


MENU = [
    (_("Overview"), [
        (_("Home"), "home", None),
        (_("Map"), "spaces:map", "spaces.Park"),
    ]),
    (_("Space"), [
        (_("Zones"), "spaces:zone_tree", "spaces.Zone"),
        (_("Parks"), "spaces:park_list", "spaces.Park"),
        (_("Buildings"), "spaces:building_list", "spaces.Building"),
        (_("Floors"), "spaces:floor_list", "spaces.Floor"),
        (_("Units"), "spaces:unit_list", "spaces.Unit"),
        (_("Long vacancy"), "spaces:long_vacancy", "spaces.Unit"),
        (_("Park operators"), "spaces:operator_list", "spaces.Operator"),
    ]),
    (_("Enterprises"), [
        (_("Enterprises"), "enterprises:enterprise_list", "enterprises.Enterprise"),
        (_("Qualifications"), "enterprises:qualification_list", "enterprises.Qualification"),
        (_("Contacts"), "enterprises:contact_list", "enterprises.Contact"),
        (_("Industry classification"), "enterprises:industry_browser", None),
    ]),
    (_("Leasing"), [
        (_("Leases"), "leasing:lease_list", "leasing.Lease"),
        (_("Expiring leases"), "leasing:expiry_queue", "leasing.Lease"),
    ]),
    (_("Data"), [
        (_("Import history"), "import_list", "imports"),
        (_("Data quality"), "spaces:quality", "bureau"),
    ]),
    (_("Administration"), [
        (_("Users"), "user_list", "admin"),
        (_("Departments"), "core:department_list", "admin"),
        (_("Reminder rules"), "core:reminderrule_list", "admin"),
        (_("Change records"), "change_list", "admin"),
    ]),
]


def menu_for(user, current_path: str = ""):
    groups = []
    for title, items in MENU:
        entries = []
        for label, url_name, model_label in items:
            if model_label == "admin":
                if user.role != Role.BUREAU_ADMIN:
                    continue
            elif model_label == "bureau":  # the district's pages; an operator reaches its parks' from the park
                if user.role not in (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.LEADER):
                    continue
            elif model_label == "imports":
                from .importing.jobs import may_see_imports

                if not may_see_imports(user):
                    continue
            elif model_label and not role_may(user, VIEW, _model(model_label)):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            active = url != "/" and current_path.startswith(url) or current_path == url
            entries.append({"label": label, "url": url, "active": active})
        if entries:
            groups.append({"title": title, "items": entries})
    return groups
