"""The inbox: the user's open reminders, unread and read; mark one or all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.reminders import selectors, services

PAGE_SIZE = 50


@login_required
def reminder_inbox(request):
    read = request.GET.get("show") == "read"
    bell = selectors.Bell(request.user)
    page = Paginator(selectors.reminder_inbox(user=request.user, read=read), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/reminder_inbox.html", {
        "page": page, "reminders": page.object_list, "read": read, "reminder_bell": bell,
        "read_count": selectors.reminder_inbox(user=request.user, read=True).count(),
        "querystring": "show=read" if read else "",
    })


def _back(request):
    url = reverse("reminder_inbox")
    return HttpResponseRedirect(f"{url}?show=read" if request.POST.get("show") == "read" else url)


@login_required
@require_POST
def reminder_read(request, pk):
    try:
        services.reminder_read(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:  # another person's, or resolved meanwhile
        raise Http404 from exc
    return _back(request)


@login_required
@require_POST
def reminders_read_all(request):
    count = services.reminders_read_all(user=request.user)
    messages.success(request, _("%(count)d reminder(s) marked read.") % {"count": count})
    return _back(request)
