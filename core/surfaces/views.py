from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core import audit
from core.access.permissions import ADD, CHANGE, DELETE, VIEW, record_refusal, role_may
from core.importing.jobs import may_import
from core.surfaces import extensions, selectors
from core.surfaces import home as home_page
from core.surfaces.bulk import may_bulk
from core.surfaces.counting import CountingPaginator

PAGE_SIZES = (25, 50, 100)


@login_required
def home(request):
    """The district (or the operator's parks, or the enterprise) at a glance, as the apps contribute it."""
    return render(request, "home.html", home_page.page_context(request))


class SurfaceView(LoginRequiredMixin, View):
    surface = None

    @property
    def model(self):
        return self.surface.model

    def require(self, action: str) -> None:
        if not role_may(self.request.user, action, self.model):
            raise PermissionDenied(_("You do not have permission to do this."))

    def get_object(self, pk):
        """An object outside the user's scope does not exist for them (404)."""
        if not role_may(self.request.user, VIEW, self.model):
            raise Http404
        return get_object_or_404(self.surface.queryset(self.request.user), pk=pk)

    def base_context(self, **extra):
        user = self.request.user
        context = {
            "surface": self.surface,
            "opts": self.model._meta,
            "can_add": role_may(user, ADD, self.model),
            "can_change": role_may(user, CHANGE, self.model),
            "can_delete": role_may(user, DELETE, self.model),
            "can_import": may_import(user, self.surface),
            "list_url": reverse(self.surface.url_name("list")),
        }
        context.update(extra)
        return context


def sort_queryset(surface, queryset, sort: str):
    sortable = surface.sortable()
    key = (sort or "").lstrip("-")
    # Ties are broken by id in the same direction, so one index on (column, id) serves both directions.
    if key in sortable:
        field = sortable[key]
        descending = sort.startswith("-")
        return queryset.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk"), sort
    if surface.default_sort:
        descending = surface.default_sort.startswith("-")
        return queryset.order_by(surface.default_sort, "-pk" if descending else "pk"), ""
    return queryset, ""


def filtered_list(surface, request, params=None):
    """(filterset, sorted queryset, sort key) for a list request: shared by the page, the API, and a bulk
    operation on a whole filter (``params``: the list's query, posted with the operation)."""
    params = request.GET if params is None else params
    queryset = surface.queryset(request.user)
    filterset = surface.filterset(params or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    qs, sort = sort_queryset(surface, qs, params.get("sort", ""))
    return filterset, qs, sort


class ObjectListView(SurfaceView):
    template_name = "core/object_list.html"

    def get(self, request):
        self.require(VIEW)
        filterset, qs, sort = filtered_list(self.surface, request)
        try:
            per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
        except ValueError:
            per_page = PAGE_SIZES[0]
        per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
        page = CountingPaginator(qs, per_page).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        # The export links carry exactly the filters and sort of the rows shown (not the page).
        export_params = params.copy()
        for key in ("per_page", "format"):
            export_params.pop(key, None)
        context = self.base_context(
            filterset=filterset,
            page=page,
            rows=page.object_list,
            columns=self.surface.columns,
            sortable=self.surface.sortable(),
            sort=sort,
            querystring=params.urlencode(),
            sort_querystring=sort_params.urlencode(),
            page_sizes=PAGE_SIZES,
            per_page=per_page,
            export_query=export_params.urlencode(),
            bulk_edit=bool(self.surface.bulk_fields) and may_bulk(request.user, CHANGE, self.model),
            bulk_delete=may_bulk(request.user, DELETE, self.model),
        )
        # A live filter request (htmx) gets the table with the count and export links; restoring a page from
        # the browser's history asks for the whole page.
        partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
        template = "core/object_list_fragment.html" if partial else self.template_name
        return render(request, template, context)


class ObjectDetailView(SurfaceView):
    def get(self, request, pk):
        obj = self.get_object(pk)
        context = self.base_context(
            object=obj,
            # What the record's own state refuses is not offered (a renewed lease keeps its terms).
            can_change=role_may(request.user, CHANGE, self.model) and not record_refusal(obj, CHANGE),
            can_delete=role_may(request.user, DELETE, self.model) and not record_refusal(obj, DELETE),
            attributes=selectors.object_attributes(user=request.user, obj=obj, surface=self.surface),
            changes=audit.changes_for(obj)[:10],
            events=audit.events_for(obj)[:10],
        )
        if self.surface.extra_context:
            context.update(self.surface.extra_context(request, obj))
        context.update(extensions.detail_context(request, obj, context))
        template = self.surface.detail_template or f"{self.surface.app_label}/{self.surface.name}_detail.html"
        return render(request, [template, "core/object_detail.html"], context)


class ObjectChangesView(SurfaceView):
    def get(self, request, pk):
        obj = self.get_object(pk)
        page = Paginator(audit.changes_for(obj), 50).get_page(request.GET.get("page"))
        context = self.base_context(object=obj, page=page, changes=page.object_list)
        return render(request, "core/object_changes.html", context)


class ObjectEditView(SurfaceView):
    template_name = "core/object_edit.html"

    def form_for(self, instance, data=None):
        initial = {k: v for k, v in self.request.GET.items() if k in self.surface.form.base_fields}
        return self.surface.form(data, instance=instance, initial=initial, user=self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        pk = kwargs.get("pk")
        self.object = self.get_object(pk) if pk else None
        self.require(CHANGE if self.object else ADD)
        refused = record_refusal(self.object, CHANGE) if self.object else None
        if refused:  # the service would refuse whatever is entered: say so before the form is filled in
            messages.error(request, refused)
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk=None):
        return self.render_form(self.form_for(self.object))

    def post(self, request, pk=None):
        form = self.form_for(self.object, request.POST)
        if form.is_valid():
            try:
                if self.object:
                    obj = self.surface.update(user=request.user, instance=self.object, data=form.cleaned_data)
                else:
                    obj = self.surface.create(user=request.user, model=self.model, data=form.cleaned_data)
            except ValidationError as error:
                form.apply_service_error(error)
            else:
                messages.success(request, _("Saved: %(object)s") % {"object": obj})
                return HttpResponseRedirect(obj.get_absolute_url())
        return self.render_form(form, status=400 if request.method == "POST" else 200)

    def render_form(self, form, status=200):
        return render(request=self.request, template_name=self.template_name, status=status,
                      context=self.base_context(form=form, object=self.object))


class ObjectDeleteView(SurfaceView):
    template_name = "core/object_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object(kwargs["pk"])
        self.require(DELETE)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(request, self.template_name, self.base_context(object=self.object))

    def post(self, request, pk):
        try:
            self.surface.delete(user=request.user, instance=self.object)
        except ValidationError as error:
            return render(request, self.template_name, self.base_context(object=self.object, errors=error.messages),
                          status=400)
        messages.success(request, _("Deleted: %(object)s") % {"object": self.object})
        return HttpResponseRedirect(reverse(self.surface.url_name("list")))
