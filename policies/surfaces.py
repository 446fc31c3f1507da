"""One surface per policy-support model: list, detail, edit, API, export and import."""


# ===== versions ====

# (end of this part)


# ===== screening ====
from decimal import Decimal as _Decimal  # noqa: E402

from django.db.models import DecimalField as _DecimalField  # noqa: E402
from django.db.models import F as _F  # noqa: E402
from django.db.models import Value as _Value  # noqa: E402
from django.db.models.functions import Cast as _Cast  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces import Column, Surface, register  # noqa: E402

from . import filters as _filters  # noqa: E402
from . import forms as _forms  # noqa: E402
from . import screening_pages as _pages  # noqa: E402
from . import services as _services  # noqa: E402
from .models import Offer, ScreeningRun  # noqa: E402

_YUAN = _DecimalField(max_digits=18, decimal_places=2)


class _YuanSurface(Surface):
    """A surface whose rows carry their fen amounts also in yuan, ``<field>_yuan``, for the export."""

    fen_fields: tuple = ()

    def queryset(self, user):
        return super().queryset(user).annotate(**{
            f"{name}_yuan": _Cast(_F(name), _YUAN) / _Value(_Decimal("100"), output_field=_YUAN)
            for name in self.fen_fields})


class _RunSurface(_YuanSurface):
    fen_fields = ("total_amount",)


class _OfferSurface(_YuanSurface):
    fen_fields = ("amount",)


screeningrun = register(_RunSurface(
    model=ScreeningRun, filterset=_filters.ScreeningRunFilterSet, form=_forms.ScreeningRunForm, slug="screenings",
    columns=[Column("__str__", label=_("screening"), link=True, order_by="period_start"),
             Column("decided_on"), Column("status", template="core/cells/choice.html"),
             Column("enterprises"), Column("eligible"), Column("offers"),
             Column("total_amount", template="policies/cells/yuan.html", export="total_amount_yuan"),
             Column("seconds"), Column("created")],
    default_sort="-created",
    create=_services.screeningrun_create, update=_services.screeningrun_update,
    delete=_services.screeningrun_delete,
    detail_template="policies/screeningrun_detail.html", extra_context=_pages.screeningrun_context,
))

offer = register(_OfferSurface(
    model=Offer, filterset=_filters.OfferFilterSet, form=_forms.OfferForm, slug="offers",
    columns=[Column("enterprise", link=False, order_by="enterprise__name"),
             Column("__str__", label=_("proactive offer"), link=True, order_by=None),
             Column("policy", template="policies/cells/name.html", order_by="policy__code", export="policy.name"),
             Column("period_start"), Column("period_end"),
             Column("amount", template="policies/cells/yuan.html", export="amount_yuan"),
             Column("status", template="core/cells/choice.html"), Column("run", order_by="run_id")],
    select_related=("enterprise", "policy", "run"), default_sort="-created",
    create=_services.offer_create, update=_services.offer_update, delete=_services.offer_delete,
    detail_template="policies/offer_detail.html", extra_context=_pages.offer_context,
))

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
