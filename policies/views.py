"""Pages of policy support: thin, calling selectors and services."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
import datetime as _cb_datetime  # noqa: E402

from django.contrib import messages as _cb_messages  # noqa: E402
from django.contrib.auth.decorators import login_required as _cb_login_required  # noqa: E402
from django.core.exceptions import PermissionDenied as _CbPermissionDenied  # noqa: E402
from django.shortcuts import redirect as _cb_redirect  # noqa: E402
from django.shortcuts import render as _cb_render  # noqa: E402
from django.urls import reverse as _cb_reverse  # noqa: E402
from django.utils.translation import gettext as _cb_  # noqa: E402
from django.utils.translation import ngettext as _cb_ngettext  # noqa: E402

from core.access.permissions import role_may as _cb_role_may  # noqa: E402


@_cb_login_required
def clawback_scan_view(request):
    """Check every holding award's obligations now (the daily run does the same each morning): a lease just
    ended early shows as a case at once."""
    from .forms import ClawbackScanForm
    from .models import ClawbackCase
    from .services import clawback_scan

    if not _cb_role_may(request.user, "add", ClawbackCase):
        raise _CbPermissionDenied
    form = ClawbackScanForm(request.POST or None, user=request.user, initial={"on": _cb_datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        outcome = clawback_scan(on=form.cleaned_data["on"], user=request.user)
        _cb_messages.success(request, _cb_ngettext(
            "%(awards)d awards checked, %(raised)d case raised.", "%(awards)d awards checked, %(raised)d cases raised.",
            outcome["raised"]) % outcome)
        return _cb_redirect(_cb_reverse("policies:clawbackcase_list") + "?status=raised")
    return _cb_render(request, "policies/clawback_scan.html", {"form": form, "title": _cb_("Check obligations")})

# (end of this part)


# ===== govspace ====

# (end of this part)
