from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_menu": menu_for(user, request.path) if user and user.is_authenticated else []}
