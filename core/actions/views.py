"""The page of an action (core.actions): its form, or a confirmation when it has no inputs; the POST takes it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from core import actions
from core.access.permissions import VIEW, role_may


class ActionView(LoginRequiredMixin, View):
    """GET shows the form (or why the action is not possible now: 409); POST takes the action."""

    action: actions.Action = None
    queryset = None  # (user) -> the records the user may see; default: the model's scope
    template_name = "core/action_form.html"
    list_url = None

    def get_object(self, pk):
        model = self.action.model
        if not role_may(self.request.user, VIEW, model):
            raise Http404
        if self.queryset is not None:
            qs = self.queryset(self.request.user)
        else:
            qs = model._default_manager.for_user(self.request.user)
        return get_object_or_404(qs, pk=pk)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object(kwargs["pk"])
        if request.user.role not in self.action.roles:
            raise PermissionDenied(_("You do not have permission to do this."))
        return super().dispatch(request, *args, **kwargs)

    def next_url(self) -> str | None:
        """Where to return after the action (``next``, e.g. the expiry queue with its filters): a path of this
        site only, never another host or scheme (an open redirect)."""
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if candidate.startswith("/") and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
            return candidate
        return None

    def form_for(self, data=None):
        if self.action.form is None:
            return None
        initial = self.action.initial(self.object) if self.action.initial else None
        return self.action.form(data, obj=self.object, user=self.request.user, initial=initial)

    def refused(self):
        """The message when the state does not allow the action now, or None."""
        try:
            actions.check(self.request.user, self.action, self.object)
        except actions.Refused as refusal:
            return refusal.message
        return None

    def get(self, request, pk):
        refusal = self.refused()
        return self.render_page(None if refusal else self.form_for(), refusal=refusal, status=409 if refusal else 200)

    def post(self, request, pk):
        refusal = self.refused()
        if refusal:
            return self.render_page(None, refusal=refusal, status=409)
        form = self.form_for(request.POST)
        inputs = {}
        if form is not None:
            if not form.is_valid():
                return self.render_page(form, status=400)
            inputs = form.cleaned_data
        try:
            result = self.action(user=request.user, instance=self.object, **inputs)
        except actions.Refused as refusal:
            return self.render_page(form, refusal=refusal.message, status=409)
        except ValidationError as error:
            if form is None:
                return self.render_page(None, errors=error.messages, status=400)
            form.apply_service_error(error)
            return self.render_page(form, status=400)
        if self.action.result_template:
            # What the action shows (a revealed contact): in place for htmx, else on a page of its own.
            partial = bool(request.headers.get("HX-Request"))
            return render(request, self.action.result_template if partial else "core/action_result.html", {
                "object": self.object, "result": result, "action": self.action, "opts": self.action.model._meta,
                "partial": partial, "layout": request.POST.get("layout", "row"), "list_url": self.list_url,
            })
        done = self.action.message(result) if self.action.message else _("%(action)s: done.") % {"action": self.action.label_text}
        messages.success(request, done)
        return HttpResponseRedirect(self.next_url() or actions.landing(self.action, self.object, result).get_absolute_url())

    def render_page(self, form, *, refusal=None, errors=None, status=200):
        opts = self.action.model._meta
        return render(self.request, [f"{opts.app_label}/{opts.model_name}_{self.action.verb}.html", self.template_name], {
            "object": self.object, "opts": opts, "action": self.action, "form": form, "refusal": refusal,
            "errors": errors or [], "list_url": self.list_url, "next": self.next_url(),
        }, status=status)


def place_urlpatterns(model) -> list:
    """The form page and POST route of each action declared on ``model`` at its place (core.actions.place)."""
    found = actions.PLACES[model]
    list_url = reverse_lazy(found.list_url_name) if found.list_url_name else None
    return [path(f"{found.slug}/<int:pk>/{declared.verb}/",
                 ActionView.as_view(action=declared, list_url=list_url),
                 name=f"{found.url_prefix}_{declared.verb}")
            for declared in actions.actions_for(model)]
