from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.access.permissions import VIEW, role_may

from . import selectors
from .models import Fund


@login_required
def fund_park(request):
    """The fund park's counts, read from the fund records: funds working on site and registered virtually, their
    assets under management, by kind; the guidance commitments and the overdue checks."""
    if not role_may(request.user, VIEW, Fund):
        raise PermissionDenied
    counts = selectors.fund_park_counts(user=request.user)
    overdue = selectors.overdue_checks(user=request.user).select_related("fund").order_by("follow_up_due")[:20]
    return render(request, "finance/fund_park.html", {"counts": counts, "overdue": overdue})
