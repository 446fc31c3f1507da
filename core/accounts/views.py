"""Users, departments, tokens and the global change log: the administrator's pages."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import actions, audit
from core.accounts import tokens
from core.actions import Refused
from core.models import ApiToken, ObjectChange, User, end_access_with
from core.reference.choices import AccountState, ChangeAction, Role
from core.services import save_or_explain
from core.surfaces.forms import BaseModelForm


def require_admin(user):
    if not user.is_authenticated or user.role != Role.BUREAU_ADMIN:
        raise PermissionDenied(_("Only the bureau administrator may manage users."))


class UserForm(BaseModelForm):
    password = forms.CharField(
        label=gettext_lazy("new password"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        # Not is_active: an account is deactivated and reactivated by its actions (user_deactivate, user_reactivate).
        fields = ["username", "display_name", "email", "role", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["class"] = "form-control"
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


SET_PASSWORD = audit.register_event("core.user.set_password", gettext_lazy("Password set by the administrator"))
CHANGE_PASSWORD = audit.register_event("core.user.change_password", gettext_lazy("Password changed by the user"))
ACCESS_ENDED = audit.register_event("core.user.access_end", gettext_lazy("Sessions ended and API tokens revoked"))


def user_access_end(*, user: User, changes: list[str], actor=None) -> int:
    """A new password (set by the administrator, changed by the user or by `manage.py changepassword`), another
    role or a deactivation ends what the account had been granted: every API token is revoked, and every session
    ends (User.save has moved its session epoch on; the one that changed its own password is kept by its view,
    update_session_auth_hash). Called by User.save for every path; audited. Returns the tokens revoked."""
    now = timezone.now()
    revoked = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("prefix", flat=True))
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    audit.record_event(ACCESS_ENDED, user=actor, instance=user, data={"changes": changes, "tokens_revoked": revoked})
    return len(revoked)


# Deactivated and reactivated on the account's page (/users/<pk>/deactivate/) and through the API
# (/api/core/users/{pk}/deactivate).
actions.place(User, slug="users", url_prefix="user", list_url_name="user_list")


def _account_snapshot(account: User) -> dict:
    data = audit.snapshot(account)
    data.pop("password", None)
    data.pop("last_login", None)
    return data


def _account_summary(account: User) -> dict:
    return {"id": account.pk, "username": account.username, "state": account.state, "is_active": account.is_active}


def _not_ones_own(user, account) -> None:
    if account.pk == user.pk:
        raise Refused(_("You cannot deactivate your own account; another administrator can."))


def _set_active(*, actor, account: User, active: bool) -> User:
    before = _account_snapshot(account)
    account.is_active = active
    # A deactivation ends the account's access at once: User.save moves its session epoch on and revokes its
    # tokens (user_access_end), in this transaction.
    account.save(actor=actor, update_fields=["is_active"])
    audit.record_change(instance=account, action=ChangeAction.UPDATE, user=actor, before=before,
                        after=_account_snapshot(account))
    return account


@actions.action(User, "deactivate", label=gettext_lazy("Deactivate"), roles=[Role.BUREAU_ADMIN],
                state_field="state", sources=[AccountState.ACTIVE], target=AccountState.INACTIVE,
                event="core.user.deactivate", event_label=gettext_lazy("Account deactivated"),
                style="outline-danger", condition=_not_ones_own,
                help=gettext_lazy("The account's sessions end and its API tokens are revoked at once; its records "
                                  "and change history stay."),
                api_response=lambda request, account: _account_summary(account), example=lambda account: {})
def user_deactivate(*, user, instance: User) -> User:
    """The administrator closes an account (someone left the bureau, the operator or the enterprise): it can no
    longer sign in, and whatever it was signed in with ends at once."""
    return _set_active(actor=user, account=instance, active=False)


@actions.action(User, "reactivate", label=gettext_lazy("Reactivate"), roles=[Role.BUREAU_ADMIN],
                state_field="state", sources=[AccountState.INACTIVE], target=AccountState.ACTIVE,
                event="core.user.reactivate", event_label=gettext_lazy("Account reactivated"),
                help=gettext_lazy("The user signs in again with their password; the API tokens revoked at the "
                                  "deactivation stay revoked."),
                api_response=lambda request, account: _account_summary(account), example=lambda account: {})
def user_reactivate(*, user, instance: User) -> User:
    """The administrator opens a deactivated account again."""
    return _set_active(actor=user, account=instance, active=True)


def account_links() -> list:
    """The kinds of record accounts are linked to, in the order of the apps: each model that declares
    ``user_links = {"users": Role.…}`` (accounts linked through its many-to-many field ``users`` must have that
    role). Each is the relation from User, with ``get_accessor_name()`` and ``related_model``."""
    return [relation for relation in User._meta.related_objects
            if relation.many_to_many and relation.field.name in getattr(relation.related_model, "user_links", {})]


def linked_records(account: User) -> list[tuple[str, list]]:
    """(the kind's plural name, the records) for every kind of record the account may be linked to."""
    return [(relation.related_model._meta.verbose_name_plural, list(getattr(account, relation.get_accessor_name()).all()))
            for relation in account_links()]


def _refuse_role_that_breaks_links(account: User) -> None:
    """An account linked to a record (an operator, an enterprise) keeps the role those links need (the models'
    ``user_links``); the links are removed first, on the record's page."""
    linked = []
    for relation in account_links():
        needs = relation.related_model.user_links[relation.field.name]
        if needs != account.role:
            linked += [str(o) for o in relation.related_model._default_manager.filter(**{relation.field.name: account})]
    if linked:
        raise ValidationError({"role": _("This account is linked to %(objects)s, which needs another role; remove "
                                         "the link before changing the role.") % {"objects": "、".join(linked)}})


@transaction.atomic
def user_save(*, actor, form: UserForm) -> User:
    """Create or change a user account (administrator only), audited without the password."""
    require_admin(actor)
    is_new = form.instance.pk is None
    # The account's row stays locked until the end: a link to an operator or enterprise being made at the same
    # moment (core.services.users_link_check locks it too) is either seen here or sees the new role.
    stored = None if is_new else User.objects.select_for_update().get(pk=form.instance.pk)
    before = None if is_new else audit.snapshot(stored)
    user = form.save(commit=False)
    if stored is not None and user.role != stored.role:
        _refuse_role_that_breaks_links(user)
    if form.cleaned_data.get("password"):
        user.set_password(form.cleaned_data["password"])
    save_or_explain(user, user=actor, actor=actor)
    after = audit.snapshot(user)
    for data in (before, after):
        if data:
            data.pop("password", None)
            data.pop("last_login", None)
    changed_password = bool(form.cleaned_data.get("password"))
    if is_new or before != after:
        audit.record_change(instance=user, action=ChangeAction.CREATE if is_new else ChangeAction.UPDATE,
                            user=actor, before=before, after=after)
    if changed_password and not is_new:
        audit.record_event(SET_PASSWORD, user=actor, instance=user)
    return user


@login_required
def user_list(request):
    require_admin(request.user)
    q = (request.GET.get("q") or "").strip()
    links = [relation.get_accessor_name() for relation in account_links()]
    users = User.objects.select_related("department").prefetch_related(*links).order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    role = request.GET.get("role")
    if role:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    for account in page:
        account.linked = [record for name in links for record in getattr(account, name).all()]
    return render(request, "core/user_list.html", {"page": page, "q": q, "roles": Role.choices, "role": role})


@login_required
def user_edit(request, pk=None):
    require_admin(request.user)
    instance = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_save(actor=request.user, form=form)
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            if user.pk == request.user.pk:
                update_session_auth_hash(request, user)  # the administrator's own session stays
            messages.success(request, _("Saved: %(object)s") % {"object": user})
            return HttpResponseRedirect(reverse("user_detail", args=[user.pk]))
    return render(request, "core/user_edit.html", {"form": form, "object": instance},
                  status=400 if request.method == "POST" else 200)


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """A user changes their own password (the form has checked the old one and the password rules)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(actor=user)
    audit.record_event(CHANGE_PASSWORD, user=user, instance=user)
    return user


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        user = user_password_change(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays; every other one ends
        messages.success(request, _("Password changed. Your other sessions and your API tokens have ended."))
        return HttpResponseRedirect(reverse("home"))
    return render(request, "core/password_change.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def user_detail(request, pk):
    require_admin(request.user)
    account = get_object_or_404(User.objects.select_related("department"), pk=pk)
    return render(request, "core/user_detail.html", {"account": account, "links": linked_records(account),
                                                     "changes": audit.changes_for(account)[:20],
                                                     "events": audit.events_for(account)[:20]})


@login_required
def change_list(request):
    require_admin(request.user)
    changes = ObjectChange.objects.select_related("content_type").order_by("-time", "-id")
    if request.GET.get("user"):
        changes = changes.filter(user_name=request.GET["user"])
    if request.GET.get("request_id"):
        changes = changes.filter(request_id=request.GET["request_id"])
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(request, "core/change_list.html", {"page": page})


@login_required
def token_list(request):
    """One's own tokens; the administrator sees every account's, to revoke one that has leaked."""
    new_key = None
    if request.method == "POST":
        _token, new_key = tokens.token_create(user=request.user, name=request.POST.get("name", ""))
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    listed = ApiToken.objects.for_user(request.user).select_related("user")
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    revoke = actions.action_for(ApiToken, "revoke")
    for token in page.object_list:  # read from the scope: only the role and the state are left to ask
        token.revoke_url = actions.url_for(revoke, token) if actions.allowed(request.user, revoke, token,
                                                                             scoped=True) else None
    return render(request, "core/token_list.html", {
        "page": page, "tokens": page.object_list, "new_key": new_key, "token_days": settings.YUANQU_TOKEN_DAYS,
        "every_account": request.user.role == Role.BUREAU_ADMIN,
    })


end_access_with(user_access_end)
