"""Pages of a bulk edit and a bulk delete (NetBox-style): the list posts the ticked rows, or its whole filter, here.

Bulk edit: choose fields and values → preview (every record is tried and nothing kept: "将修改 37 条记录", or the
records that refuse) → confirm. Bulk delete: the count and the first records, or what stops the deletion →
confirm. The work and the permission checks are core.surfaces.bulk's; these views only read the request and show results.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access.permissions import CHANGE, DELETE, VIEW, role_may
from core.reference import control_characters
from core.reference.choices import yes_no
from core.surfaces import bulk
from core.surfaces.views import SurfaceView, filtered_list

SAMPLE = 10  # records named on the page
FAILURES_SHOWN = 200


class BulkView(SurfaceView):
    verb = CHANGE
    template_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not role_may(request.user, VIEW, self.model):
            raise Http404
        if not bulk.may_bulk(request.user, self.verb, self.model):
            raise PermissionDenied(_("You do not have permission to do this."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        # The selection arrives by POST from the list; a bookmarked or reloaded address goes back to the list.
        return HttpResponseRedirect(self.list_url())

    def list_url(self) -> str:
        query = getattr(self, "query", "")
        return reverse(self.surface.url_name("list")) + (f"?{query}" if query else "")

    def read_selection(self):
        """The ticked ids, or the list's whole filter run again here, on the server, within the user's scope."""
        post = self.request.POST
        params = QueryDict(post.get("query", ""))
        for name, items in params.lists():
            try:
                control_characters.refuse([name, *items])
            except ValidationError as error:
                raise bulk.BulkRefused(_("Query parameter “%(name)s”: %(message)s") % {
                    "name": control_characters.removed(name), "message": error.messages[0]}) from error
        self.query = params.urlencode()
        self.select_all = post.get("select_all") == "1"
        if self.select_all:
            filterset, qs, _sort = filtered_list(self.surface, self.request, params)
            if filterset.is_bound and not filterset.is_valid():
                raise bulk.BulkRefused(_("The list's filters are not valid; correct them on the list page first."))
            return qs
        self.pks = post.getlist("pk")
        return self.pks

    def context(self, **extra):
        return self.base_context(
            query=getattr(self, "query", ""), select_all=getattr(self, "select_all", False),
            pks=getattr(self, "pks", []), back_url=self.list_url(), deleting=self.verb == DELETE, **extra)

    def sample(self, ids):
        return list(self.surface.queryset(self.request.user).filter(pk__in=ids[:SAMPLE]).order_by("pk"))

    def refused(self, error, **extra):
        return render(self.request, self.template_name, self.context(errors=error.messages, **extra), status=400)

    def failed(self, error: bulk.BulkFailed, **extra):
        return render(self.request, self.template_name, self.context(
            failures=error.failures[:FAILURES_SHOWN], failures_count=len(error.failures),
            failures_more=max(0, len(error.failures) - FAILURES_SHOWN), total=error.total, **extra), status=400)


def shown_value(form_field, value) -> str:
    """A posted value as the person chose it: a choice's label, a related record's name, 是/否, or 空."""
    try:
        cleaned = form_field.clean(value)
    except ValidationError:
        return str(value)
    if cleaned in (None, "", []):
        return _("(empty)")
    if isinstance(cleaned, bool):
        return yes_no(cleaned)
    choices = getattr(form_field, "choices", None)
    if choices is not None and not hasattr(cleaned, "pk"):
        return str(dict((str(k), v) for k, v in choices).get(str(cleaned), cleaned))
    return str(cleaned)


class BulkEditView(BulkView):
    """choose (from the list) → preview (tried, nothing kept) → confirm (the values carried unchanged) → apply."""

    verb = CHANGE
    template_name = "core/bulk_edit.html"

    def post(self, request):
        offered = bulk.bulk_edit_fields(self.surface, request.user)
        if not offered:
            raise Http404
        post = request.POST
        step = next((s for s in ("apply", "preview", "edit") if f"_{s}" in post), "choose")
        bound = step != "choose"
        blank = self.surface.form(prefix="bulk", user=request.user)
        raw = {name: blank.fields[name].widget.value_from_datadict(post, request.FILES, blank.add_prefix(name))
               for name in offered} if bound else {}
        # The values are shown again as given (initial), never validated as a whole form: a new record's form
        # would complain of every required field left out, and a model's clean() of the parents it lacks.
        form = self.surface.form(initial=raw, prefix="bulk", user=request.user)
        chosen = list(dict.fromkeys(post.getlist("fields"))) if bound else []
        page = {"form": form, "step": "choose", "rows": self.rows(form, offered, chosen, {})}
        try:
            selection = self.read_selection()
            ids = bulk.bulk_selection(user=request.user, surface=self.surface, selection=selection)
        except bulk.BulkRefused as error:
            return self.refused(error, **page)
        page.update(count=len(ids), sample=self.sample(ids))
        if step in ("choose", "edit"):
            return render(request, self.template_name, self.context(**page))
        values = {name: raw[name] if name in raw else post.get(form.add_prefix(name)) for name in chosen}
        if not values:
            return self.refused(ValidationError(_("Choose at least one field to change.")), **page)
        field_errors = bulk.bulk_values_check(user=request.user, surface=self.surface, values=values)
        if field_errors:
            page["rows"] = self.rows(form, offered, chosen, field_errors)
            others = [f"{name}：{m}" for name, found in field_errors.items() if name not in offered for m in found]
            return render(request, self.template_name, self.context(field_errors=True, errors=others, **page),
                          status=400)
        page["changes"] = [(form[n].label, shown_value(form.fields[n], values[n])) for n in chosen]
        try:
            result = bulk.objects_bulk_update(user=request.user, surface=self.surface, selection=selection,
                                              values=values, dry_run=step == "preview")
        except bulk.BulkFailed as error:
            return self.failed(error, **page)
        except bulk.BulkRefused as error:
            return self.refused(error, **page)
        if step == "preview":
            # What the confirmation sends is exactly what was previewed: the values ride along hidden.
            carry = [(form.add_prefix(n), v) for n in chosen for v in post.getlist(form.add_prefix(n))]
            page.update(step="confirm", count=result.count, changed=result.changed, chosen=chosen, carry=carry)
            return render(request, self.template_name, self.context(**page))
        messages.success(request, _("%(count)d %(kind)s changed (%(changed)d of them differ from before).") % {
            "count": result.count, "kind": self.model._meta.verbose_name_plural, "changed": result.changed})
        return HttpResponseRedirect(self.list_url())

    @staticmethod
    def rows(form, offered, chosen, errors):
        return [{"field": form[n], "chosen": n in chosen, "errors": errors.get(n, [])} for n in offered]


class BulkDeleteView(BulkView):
    verb = DELETE
    template_name = "core/bulk_delete.html"

    def post(self, request):
        apply = "_apply" in request.POST
        try:
            selection = self.read_selection()
            ids = bulk.bulk_selection(user=request.user, surface=self.surface, selection=selection)
        except bulk.BulkRefused as error:
            return self.refused(error)
        page = {"count": len(ids), "sample": self.sample(ids)}
        try:
            result = bulk.objects_bulk_delete(user=request.user, surface=self.surface, selection=selection,
                                              dry_run=not apply)
        except bulk.BulkFailed as error:
            return self.failed(error, **page)
        except bulk.BulkRefused as error:
            return self.refused(error, **page)
        if not apply:
            return render(request, self.template_name, self.context(confirm=True, **{**page, "count": result.count}))
        messages.success(request, _("%(count)d %(kind)s deleted.") % {
            "count": result.count, "kind": self.model._meta.verbose_name_plural})
        return HttpResponseRedirect(self.list_url())
