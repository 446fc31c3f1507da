"""The home page: the district (or the operator's parks) at a glance."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.choices import Role
from core.permissions import VIEW, role_may
from enterprises.models import Enterprise
from leasing import selectors as lease_selectors
from leasing.models import Lease
from spaces import selectors as space_selectors
from spaces.models import Building, Park, Unit


@login_required
def home(request):
    user = request.user
    context = {"today": datetime.date.today()}
    if role_may(user, VIEW, Unit):
        units = Unit.objects.for_user(user)
        context["occupancy"] = space_selectors.occupancy_of(units)
        context["counts"] = {
            "parks": Park.objects.for_user(user).count(),
            "buildings": Building.objects.for_user(user).count(),
            "units": context["occupancy"].unit_count,
            "enterprises": Enterprise.objects.for_user(user).count(),
            "leases": Lease.objects.for_user(user).filter(status="active").count(),
        }
        context["expiring"] = lease_selectors.lease_expiring(user=user, days=90).count()
        context["long_vacant"] = space_selectors.long_vacant_units(user=user, months=6).count()
        # The 片区 and other zones without sub-zones, where parks sit.
        by_zone = space_selectors.occupancy_by_zone(user=user)
        parents = {zone.parent_id for zone, _depth, _occ in by_zone}
        zones = [{"name": zone.name, "occupancy": occ} for zone, _depth, occ in by_zone
                 if zone.pk not in parents and occ.unit_count]
        context["zones_chart"] = {
            "legend": [str(_("Leased")), str(_("Reserved")), str(_("Vacant"))],
            "names": [z["name"] for z in zones],
            "leased": [float(z["occupancy"].occupancy_rate or 0) for z in zones],
            "reserved": [float(z["occupancy"].reserved_rate or 0) for z in zones],
            "vacant": [float(z["occupancy"].vacancy_rate or 0) for z in zones],
        }
        context["top_industries"] = lease_selectors.tenant_industries(units, limit=8)
    if user.role == Role.ENTERPRISE:
        context["my_enterprises"] = Enterprise.objects.for_user(user)
        context["my_leases"] = Lease.objects.for_user(user).select_related("enterprise").prefetch_related("units__building")
    return render(request, "home.html", context)
