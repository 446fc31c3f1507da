import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import VIEW, role_may

from . import selectors, services
from .models import Lease

WINDOWS = (30, 60, 90)


@login_required
def lease_expiry_queue(request):
    """Active leases ending within 30, 60 and 90 days, in the user's scope."""
    if not role_may(request.user, VIEW, Lease):
        raise PermissionDenied
    today = datetime.date.today()
    leases = list(selectors.lease_expiring(user=request.user, days=WINDOWS[-1], today=today))
    for lease in leases:
        lease.days_left = (lease.end_date - today).days
    buckets = []
    lower = -1
    for window in WINDOWS:
        within = [lease for lease in leases if lease.days_left <= window]  # the cards: 30, 60, 90 days
        band = [lease for lease in within if lease.days_left > lower]  # the tables: 0–30, 31–60, 61–90
        buckets.append({"days": window, "from": lower + 1, "count": len(within),
                        "area": sum((lease.leased_area for lease in within), 0), "leases": band})
        lower = window
    return render(request, "leasing/expiry_queue.html", {"buckets": buckets, "today": today})


@login_required
@require_POST
def lease_terminate(request, pk):
    if not role_may(request.user, VIEW, Lease):
        raise Http404
    lease = get_object_or_404(Lease.objects.for_user(request.user), pk=pk)
    try:
        on = datetime.date.fromisoformat(request.POST.get("terminated_on", ""))
    except ValueError:
        messages.error(request, _("Termination date: give a date such as 2026-06-30."))
        return HttpResponseRedirect(lease.get_absolute_url())
    try:
        services.lease_terminate(user=request.user, lease=lease, on=on)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("Lease terminated."))
    return HttpResponseRedirect(lease.get_absolute_url())


@login_required
def unit_options(request):
    """Checkboxes of a building's units, for the lease form (htmx)."""
    from .forms import LeaseForm

    form = LeaseForm(data={"building": request.GET.get("building", "")}, user=request.user)
    return render(request, "leasing/unit_options.html", {"field": form["units"]})
