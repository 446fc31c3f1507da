from core.surfaces.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_menu": menu_for(user, request.path) if user and user.is_authenticated else []}


def reminders(request):
    """The bell in the top bar (templates/base.html); its count is read only if the page shows it."""
    from core.reminders.selectors import Bell

    user = getattr(request, "user", None)
    return {"reminder_bell": Bell(user) if user is not None and user.is_authenticated else None}
