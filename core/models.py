import datetime
import hashlib
import os
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .choices import IMPORT_RUNNING, ChangeAction, ImportStatus, Role
from .context import memo
from .search import search_key


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to shrink itself to what a user may see.

    Each model names, per restricted role, the lookup from itself to the user
    (``scope_paths = {Role.PARK_OPERATOR: "park__operator__users"}``). A restricted role
    without a path sees nothing of that model. Unrestricted roles see everything.
    """

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        role = user.role
        if role in UNRESTRICTED_ROLES:
            return self
        via = getattr(self.model, "scope_via", None)
        if via:
            parent = self.model._meta.get_field(via).related_model
            return self.filter(**{f"{via}__in": parent._default_manager.for_user(user).values("pk")})
        path = getattr(self.model, "scope_paths", {}).get(role)
        if path is None:
            return self.none()
        if path == ALL:
            return self
        head, _, rest = path.partition("__")
        field = self.model._meta.get_field(head)
        if rest and field.many_to_one:
            # Through a foreign key first: test the key against the ids it may hold, read once per request.
            # Named in the query, they give the planner a true row estimate (a join from the user to an
            # operator's parks is estimated at the average operator's size, whatever the operator).
            return self.filter(**{f"{head}__in": scope_ids(field.related_model, rest, user)})
        inner = self.model._default_manager.filter(**{path: user}).values("pk")
        return self.filter(pk__in=inner)


def scope_ids(model, lookup: str, user) -> list:
    """The ids of ``model`` rows that reach ``user`` by ``lookup`` (e.g. Park, "operator__users")."""
    return memo((model._meta.label, lookup, user.pk),
                lambda: list(model._default_manager.filter(**{lookup: user}).values_list("pk", flat=True)))


ALL = "__all__"
UNRESTRICTED_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.LEADER}


class BaseModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    # Actions per restricted role: "v"iew, "a"dd, "c"hange, "d"elete. Officers and admins may do all,
    # leaders may only view; a model lists here what operators and enterprise users may do.
    role_actions: dict = {}
    scope_paths: dict = {}
    # Or: the name of a foreign key whose target's scope this model shares (a floor is seen with its building).
    scope_via: str | None = None
    # Fields left out of the change record (derived keys and timestamps).
    audit_exclude = ("created", "last_updated", "search_text")
    # A write may change what a list holds, so cached list counts start again (core.counting.is_data).
    changes_lists = True

    class Meta:
        abstract = True


class SearchableModel(BaseModel):
    """A model with a name that people search for in Chinese, full pinyin or initials."""

    search_text = models.TextField(editable=False, blank=True, default="")
    search_fields = ("name",)

    class Meta:
        abstract = True

    def refresh_search_text(self):
        self.search_text = search_key(*(str(getattr(self, f) or "") for f in self.search_fields))

    def save(self, *args, **kwargs):
        # A derived index column, kept in step with the name; no business rule lives here.
        self.refresh_search_text()
        super().save(*args, **kwargs)


class Department(SearchableModel):
    admin_only = True

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:department_detail", args=[self.pk])


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BUREAU_OFFICER)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # Part of every session's authentication hash: moving it on ends all the account's sessions.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = ("password", "last_login", "session_epoch")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    # ----- a new password, another role or a deactivation ends the account's access -------------------------
    # Checked here, in save(), so that every path gets it: the user pages, the password page, the Django
    # commands (changepassword, createsuperuser), a shell. What follows is core.accounts.user_access_end.
    _access_fields = ("password", "role", "is_active")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_access = {name: instance.__dict__[name] for name in cls._access_fields
                                   if name in instance.__dict__}
        return instance

    def access_changes(self, update_fields=None) -> list[str]:
        """What this save changes of the account's access: "password" (set, reset or made unusable), "role",
        "deactivated". A hash upgrade on login (Django's check_password) is not a new password."""
        if self._state.adding or self.pk is None:
            return []
        names = [n for n in self._access_fields if update_fields is None or n in update_fields]
        stored = getattr(self, "_stored_access", {})
        if any(n not in stored for n in names):
            stored = type(self)._base_manager.filter(pk=self.pk).values(*self._access_fields).first() or {}
            if not stored:
                return []
        changes = []
        if "password" in names and (self._password is not None or (
                self.password != stored["password"] and not self.has_usable_password())):
            changes.append("password")
        if "role" in names and self.role != stored["role"]:
            changes.append("role")
        if "is_active" in names and stored["is_active"] and not self.is_active:
            changes.append("deactivated")
        return changes

    def save(self, *args, actor=None, **kwargs):
        """``actor``: who made the change (for the audit of an ended access); None from a command."""
        changes = self.access_changes(kwargs.get("update_fields"))
        if not changes:
            super().save(*args, **kwargs)
        else:
            from .accounts import user_access_end

            with transaction.atomic():
                self.session_epoch += 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "session_epoch"}
                super().save(*args, **kwargs)
                user_access_end(user=self, changes=changes, actor=actor)
        self._stored_access = {name: getattr(self, name) for name in self._access_fields}

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password, with the epoch: a session logged in before the epoch moved on is ended
        # (flushed) by the authentication middleware at its next request.
        key_salt = "core.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.session_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()

    @property
    def role_color(self):
        return Role.color(self.role)


def token_expiry():
    """When a token made now expires (YUANQU_TOKEN_DAYS)."""
    return timezone.now() + datetime.timedelta(days=settings.YUANQU_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the key is shown once."""

    changes_lists = False  # its last use is written on every API call; no list counts tokens (core.counting)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=token_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}…"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "yq_" + secrets.token_urlsafe(30)


class AppendOnlyModel(models.Model):
    """Audit rows are written once. The database refuses UPDATE and DELETE too (see migration 0002)."""

    changes_lists = False  # written beside every write; no list counts them (core.counting)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied(_("Audit records cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Audit records cannot be deleted."))


class ObjectChange(AppendOnlyModel):
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        # DO_NOTHING: the rows keep the id and name of a deleted user (they cannot be updated anyway).
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.DO_NOTHING, null=True, blank=True,
        related_name="+", db_constraint=False,
    )
    user_name = models.CharField(_("user"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True, db_index=True)
    # The import batch that made the change (core/importing/jobs.py): its rollback selects its changes by this.
    batch = models.ForeignKey(
        "ImportBatch", verbose_name=_("import batch"), on_delete=models.DO_NOTHING, null=True, blank=True,
        related_name="+", db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    data_before = models.JSONField(_("before"), null=True, blank=True)
    data_after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def action_color(self):
        return ChangeAction.color(self.action)

    def diff(self):
        """[(field, before, after)] for the fields that changed."""
        before = self.data_before or {}
        after = self.data_after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class DomainEvent(AppendOnlyModel):
    """A named step in a workflow (``<app>.<entity>.<verb>``: a contact revealed), beside the automatic change
    log."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        # DO_NOTHING: the rows keep the id and name of a deleted user (they cannot be updated anyway).
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.DO_NOTHING, null=True, blank=True,
        related_name="+", db_constraint=False,
    )
    user_name = models.CharField(_("user"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    name = models.CharField(_("event"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        from .audit import event_label

        return event_label(self.name)


class LoginFailures(models.Model):
    """Failed logins per username (MLPS 2.0 level 3: lock an account after repeated failures)."""

    changes_lists = False  # written on every failed login (core.counting)

    username = models.CharField(_("username"), max_length=150, unique=True)
    count = models.PositiveSmallIntegerField(default=0)
    last_failure = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login failures")
        verbose_name_plural = _("login failures")

    def __str__(self):
        return self.username


def import_upload_to(batch, filename):
    return f"imports/{timezone.now():%Y/%m}/{batch.uuid}{os.path.splitext(filename)[1].lower()}"


class ImportBatch(models.Model):
    """One uploaded file: checked (preview), then committed or not. Every change it makes carries its uuid
    as the change records' request id (how a batch is shown) and a reference to the batch (how it is rolled
    back)."""

    changes_lists = False  # its progress is written all through an import; the rows it writes move the counts on

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="import_batches")
    content_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("data"), on_delete=models.PROTECT,
                                     related_name="+")
    filename = models.CharField(_("file"), max_length=200)
    file = models.FileField(upload_to=import_upload_to, max_length=300)
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    message = models.TextField(_("message"), blank=True)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    rolled_back_at = models.DateTimeField(_("rolled back"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rolled back by"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # the first rows' problems, for the page
    samples = models.JSONField(default=list, blank=True)  # the first rows to create or change
    ignored_columns = models.JSONField(default=list, blank=True)
    error_file = models.FileField(upload_to="imports/errors/%Y/%m", max_length=300, blank=True)
    # Rows whose values are allowed but implausible (an area above the ceiling): the uploader confirms them.
    warnings = models.JSONField(default=list, blank=True)
    warnings_confirmed = models.BooleanField(_("warnings confirmed"), default=False)
    # The check or commit under way (or queued): a new id for each, which its task carries; a task or process of
    # an earlier run finds the batch no longer its own and leaves it alone (core/importing/jobs.py).
    run = models.UUIDField(null=True, blank=True, editable=False)
    started = models.DateTimeField(_("started"), null=True, blank=True)  # when that run was queued or begun

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.filename} ({self.created:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("import_detail", args=[self.pk])

    @property
    def status_color(self):
        return ImportStatus.color(self.status)

    @property
    def running(self) -> bool:
        return self.status in IMPORT_RUNNING

    @property
    def kind(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name_plural) if model else ""

    def count(self, name) -> int:
        return int(self.counts.get(name, 0))
