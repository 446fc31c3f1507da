import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads “all”, not Django's “unknown”."""

    def __init__(self, *args, **kwargs):
        from django import forms

        kwargs.setdefault("widget", forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]))
        super().__init__(*args, **kwargs)


def scoped(model):
    """A queryset callable for filters: only the choices the requesting user may see."""

    def queryset(request):
        if request is None:
            return model._default_manager.none()
        return model._default_manager.for_user(request.user)

    return queryset


class BaseFilterSet(django_filters.FilterSet):
    """Every list page, its export and its API endpoint filter through one of these."""

    def __init__(self, data=None, *args, **kwargs):
        from core.surfaces.forms import without_oversized_ids

        id_filters = [name for name, f in self.base_filters.items()
                      if isinstance(f, (django_filters.ModelChoiceFilter, django_filters.NumberFilter))]
        super().__init__(without_oversized_ids(data, id_filters), *args, **kwargs)

    q = django_filters.CharFilter(label=_("Search"), method="search")
    # search_text is lower case (core.reference.search) and so is each word: a plain contains, no UPPER() per row.
    search_lookups: tuple[str, ...] = ("search_text__contains",)

    def search(self, queryset, name, value):
        """Every word must match one of the lookups: "A座 2701" finds unit 2701 of any 某某A座."""
        for word in (value or "").lower().split():
            condition = Q()
            for lookup in self.search_lookups:
                condition |= Q(**{lookup: word})
            queryset = queryset.filter(condition)
        return queryset
