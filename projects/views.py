from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from core.access.permissions import VIEW, role_may

from . import selectors
from .models import PppProject


@login_required
def affordability(request):
    """PPP fiscal affordability, year by year: committed spending and the pipeline against the caps in force."""
    if not role_may(request.user, VIEW, PppProject):
        raise PermissionDenied
    table = selectors.affordability_table(user=request.user, today=timezone.localdate())
    return render(request, "projects/affordability.html", table)
