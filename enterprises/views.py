from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from .choices import IndustryLevel
from .models import Enterprise, IndustryCategory


@login_required
def industry_browser(request):
    """Browse GB/T 4754-2017 by section and division, or find a class by code or name."""
    q = (request.GET.get("q") or "").strip()
    code = (request.GET.get("code") or "").strip().upper()
    current = IndustryCategory.objects.filter(pk=code).first() if code else None
    if q:
        results = IndustryCategory.objects.filter(Q(code__startswith=q) | Q(name__icontains=q)).order_by("code")[:200]
        children = None
    else:
        results = None
        children = IndustryCategory.objects.filter(parent=current) if current else \
            IndustryCategory.objects.filter(level=IndustryLevel.SECTION)
        children = children.annotate(n_children=Count("children")).order_by("code")
    trail = []
    node = current
    while node is not None:
        trail.insert(0, node)
        node = node.parent
    return render(request, "enterprises/industry_browser.html", {
        "q": q, "current": current, "children": children, "results": results, "trail": trail,
    })


@login_required
def enterprise_options(request):
    """Up to 20 enterprises the user may see, matching what they typed (for the enterprise fields)."""
    q = (request.GET.get("q") or "").strip().lower()
    enterprises = Enterprise.objects.for_user(request.user).only("name", "credit_code")
    enterprises = enterprises.filter(search_text__contains=q) if q else enterprises.none()
    return render(request, "enterprises/enterprise_options.html", {"enterprises": enterprises.order_by("name")[:20]})
