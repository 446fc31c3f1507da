import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import actions
from core.access.permissions import VIEW, role_may
from core.surfaces import counting
from core.surfaces.reports import export, filtered, page_of, querystring

from . import selectors
from .choices import OPEN_FOLLOW_UPS
from .filters import LeaseExpiryFilterSet
from .models import Lease

WINDOWS = selectors.EXPIRY_WINDOWS
# The actions offered in each row of the expiry queue (each page returns to the queue afterwards).
ROW_ACTIONS = ("follow_up", "renew")


def _expiring(request, today):
    """(filterset, window in days, the filtered leases ending within it) for the expiry page and export."""
    if not role_may(request.user, VIEW, Lease):
        raise PermissionDenied
    within = int(request.GET["within"]) if request.GET.get("within") in {str(w) for w in WINDOWS} else WINDOWS[-1]
    leases = selectors.lease_expiring(user=request.user, days=WINDOWS[-1], today=today)
    filterset, leases = filtered(LeaseExpiryFilterSet, request, leases)
    return filterset, within, leases


@login_required
def lease_expiry_queue(request):
    """Leases ending within 30, 60 and 90 days, in the user's scope, by park, operator and follow-up; each row
    shows its follow-up and offers 记录跟进 and 续约, which return here."""
    today = datetime.date.today()
    filterset, within, leases = _expiring(request, today)
    cards = selectors.expiry_bands(leases, today=today, within=within)
    shown = selectors.leases_ending_within(leases, today=today, days=within)
    follow_ups = selectors.follow_up_visible(request.user)
    page = page_of(request, selectors.with_follow_up_note(shown) if follow_ups else shown,
                   count=next(card["count"] for card in cards if card["active"]))
    back = urlencode({"next": request.get_full_path()})
    for lease in page.object_list:
        lease.days_left = (lease.end_date - today).days
        lease.overdue = bool(lease.follow_up in OPEN_FOLLOW_UPS and lease.next_contact_on
                             and lease.next_contact_on < today)
        lease.row_actions = sorted(({**button, "url": f"{button['url']}?{back}"}
                                    for button in actions.buttons(request.user, lease, scoped=True)
                                    if button["verb"] in ROW_ACTIONS), key=lambda b: ROW_ACTIONS.index(b["verb"]))
    return render(request, "leasing/expiry_queue.html", {
        "filterset": filterset, "cards": cards, "within": within, "page": page, "today": today,
        "follow_ups": follow_ups, "querystring": querystring(request, "page"),
        "filters": querystring(request, "page", "within"),
    })


EXPIRY_COLUMNS = (_lazy("end date"), _lazy("days left"), _lazy("enterprise"), _lazy("units"), _lazy("park"),
                  _lazy("leased area (m²)"), _lazy("rent (yuan/m²/month)"), _lazy("contract number"))
FOLLOW_UP_COLUMNS = (_lazy("follow-up"), _lazy("follow-up note"), _lazy("next contact on"))


@login_required
def lease_expiry_export(request):
    """Every lease the expiry page lists with its filters and window, as .xlsx or .csv."""
    today = datetime.date.today()
    _filterset, within, leases = _expiring(request, today)
    leases = selectors.leases_ending_within(leases, today=today, days=within)
    follow_ups = selectors.follow_up_visible(request.user)
    headers = [str(h) for h in EXPIRY_COLUMNS + (FOLLOW_UP_COLUMNS if follow_ups else ())]

    def row(lease):
        values = [lease.end_date, (lease.end_date - today).days, lease.enterprise.name,
                  "、".join(f"{u.building.name} {u.code}" for u in lease.units.all()),
                  lease.park.name if lease.park else "", lease.leased_area, lease.monthly_rent, lease.contract_number]
        if follow_ups:
            values += [lease.get_follow_up_display(), lease.follow_up_note or "", lease.next_contact_on]
        return values

    rows = (row(lease) for lease in
            (selectors.with_follow_up_note(leases) if follow_ups else leases).iterator(chunk_size=2000))
    return export(request, title=_("Expiring leases"), model=Lease, headers=headers, rows=rows,
                  count=counting.count(leases))


@login_required
def unit_options(request):
    """Checkboxes of a building's units, for the lease form (htmx)."""
    from .forms import LeaseForm

    form = LeaseForm(data={"building": request.GET.get("building", "")}, user=request.user)
    return render(request, "leasing/unit_options.html", {"field": form["units"]})


@login_required
def lease_options(request):
    """The options of a money record's lease field: the leases of the enterprise typed in the form (htmx)."""
    from .forms import RentPaymentForm

    form = RentPaymentForm(initial={"enterprise": request.GET.get("enterprise", "")}, user=request.user)
    return render(request, "leasing/lease_options.html", {"field": form["lease"]})
