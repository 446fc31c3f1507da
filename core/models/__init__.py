import datetime
import hashlib
import os
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models.base import (  # noqa: F401  (the models' base: core.models is where the apps import it from)
    ALL,
    UNRESTRICTED_ROLES,
    BaseModel,
    DerivedState,
    ScopedQuerySet,
    SearchableModel,
    _signed_in,
    in_force,
    scope_ids,
)
from core.reference.choices import IMPORT_RUNNING, AccountState, ChangeAction, ImportStatus, Role, TokenState


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


class UserManager(AuthUserManager):
    def for_user(self, user):
        """The accounts ``user`` may see: all of them for the bureau's unrestricted roles, one's own for the
        others. Managing them stays the administrator's (``User.admin_only`` and the user pages)."""
        if not _signed_in(user):
            return self.none()
        return self.all() if user.role in UNRESTRICTED_ROLES else self.filter(pk=user.pk)


def _account_state(account) -> str:
    return AccountState.ACTIVE if account.is_active else AccountState.INACTIVE


# What else ends with an account's access (its sessions, its tokens, the audit record): core.accounts hands it
# down when it is imported (CoreConfig.ready imports it), so that the model needs nothing above it.
ACCESS_END: dict = {}


def end_access_with(end) -> None:
    ACCESS_END["end"] = end


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BUREAU_OFFICER)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    # Part of every session's authentication hash: moving it on ends all the account's sessions.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    audit_exclude = ("password", "last_login", "session_epoch")

    objects = UserManager()

    # Deactivated and reactivated by the administrator (core.accounts.views: user_deactivate, user_reactivate).
    state = DerivedState(AccountState, read=_account_state,
                         stored=lambda state: {"is_active": state == AccountState.ACTIVE})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("user_detail", args=[self.pk])

    # ----- a new password, another role or a deactivation ends the account's access -------------------------
    # Checked here, in save(), so that every path gets it: the user pages, the password page, the Django
    # commands (changepassword, createsuperuser), a shell. What follows is core.accounts.views.user_access_end.
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
            with transaction.atomic():
                self.session_epoch += 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "session_epoch"}
                super().save(*args, **kwargs)
                ACCESS_END["end"](user=self, changes=changes, actor=actor)
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


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """A token is its owner's; the administrator sees (and may revoke) every account's."""
        if not _signed_in(user):
            return self.none()
        return self if user.role == Role.BUREAU_ADMIN else self.filter(user=user)


def _token_state(token) -> str:
    if token.revoked_at is not None:
        return TokenState.REVOKED
    return TokenState.EXPIRED if token.expired else TokenState.ACTIVE


def _token_stored(state) -> dict:
    now = timezone.now()
    if state == TokenState.REVOKED:
        return {"revoked_at": now}
    if state == TokenState.EXPIRED:
        return {"revoked_at": None, "expires_at": now - datetime.timedelta(days=1)}
    return {"revoked_at": None, "expires_at": token_expiry()}


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the key is shown once."""

    changes_lists = False  # its last use is written on every API call; no list counts tokens (core.surfaces.counting)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=token_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "v"}  # each account sees its own (for_user)

    # Revoked by its owner or the administrator (core.accounts.tokens.token_revoke); expired by the passing of time.
    state = DerivedState(TokenState, read=_token_state, stored=_token_stored)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}…"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("token_list")

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

    changes_lists = False  # written beside every write; no list counts them (core.surfaces.counting)

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


# A domain event's human name, given by core.audit.register_event (declared actions do it for their events).
EVENT_LABELS: dict[str, str] = {}


def event_label(name: str) -> str:
    return str(EVENT_LABELS.get(name, name))


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
        return event_label(self.name)


class LoginFailures(models.Model):
    """Failed logins per username (MLPS 2.0 level 3: lock an account after repeated failures)."""

    changes_lists = False  # written on every failed login (core.surfaces.counting)

    username = models.CharField(_("username"), max_length=150, unique=True)
    count = models.PositiveSmallIntegerField(default=0)
    last_failure = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login failures")
        verbose_name_plural = _("login failures")

    def __str__(self):
        return self.username


class DailyRun(models.Model):
    """The day's run of the daily tasks (core.reminders.daily). One row per day: the worker that inserts it runs them, so
    two workers never both do; one whose process died is taken over later (core.reminders.daily.daily_claim)."""

    day = models.DateField(_("day"), unique=True)
    run = models.UUIDField(default=uuid.uuid4, editable=False)
    started = models.DateTimeField(_("started"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")

    def __str__(self):
        return str(self.day)


def import_upload_to(batch, filename):
    return f"imports/{timezone.now():%Y/%m}/{batch.uuid}{os.path.splitext(filename)[1].lower()}"


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user):
        """Officers, leaders and the administrator see every batch; others their own."""
        if not _signed_in(user):
            return self.none()
        return self if user.role in UNRESTRICTED_ROLES else self.filter(user=user)


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

    objects = ImportBatchQuerySet.as_manager()
    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "v"}  # their own batches (for_user)

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


# ----- attachments: documents uploaded once, kept in versions, linked to any record (core/attachments/) --------

class DocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """A document is seen by whoever sees a record it is attached to, or the owner it belongs to."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in UNRESTRICTED_ROLES:
            return self
        from core.attachments import registry

        return self.filter(registry.document_scope(user))


class AttachmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """An attachment is seen by whoever sees the record it is attached to."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in UNRESTRICTED_ROLES:
            return self
        from core.attachments import registry

        return self.filter(registry.attachment_scope(user))


def attachment_storage():
    from core.attachments.storage import storage

    return storage


def attachment_path(version, filename):
    """A random name under the month it was uploaded; the uploader's file name is kept only as data."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Document(models.Model):
    """A file someone uploaded once (a signed lease contract, a business licence), with its versions.

    ``kind`` is a code an app registered (core.attachments.registry.register_kind). A document of a reusable
    kind belongs to an owner (the enterprise whose licence it is) and may be attached to more of the owner's
    records; the others belong to the record they were uploaded to."""

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    owner_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = DocumentQuerySet.as_manager()
    audit_exclude = ("created", "last_updated")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["owner_type", "owner_id", "kind"], name="document_owner_kind")]
        constraints = [models.CheckConstraint(
            condition=Q(owner_type__isnull=True, owner_id__isnull=True)
            | Q(owner_type__isnull=False, owner_id__isnull=False), name="document_owner_whole")]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        from core.attachments.registry import kind_label

        return kind_label(self.kind)

    def clean(self):
        from django.core.exceptions import ValidationError

        from core.attachments.registry import KINDS

        if self.kind not in KINDS:
            raise ValidationError({"kind": _("Choose one of the kinds offered.")})


class DocumentVersion(models.Model):
    """One upload of a document's file. A new version never replaces an earlier one."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField(_("file type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_number")]

    def __str__(self):
        return f"{self.document} v{self.number}"

    @property
    def download_name(self) -> str:
        """The uploader's file name with the extension of what the file really is."""
        from core.attachments.files import download_name

        return download_name(self.original_name, self.content_type)


class Attachment(models.Model):
    """A document linked to a record of any registered model (a lease, a qualification, an enterprise)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="attachments")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("attached by"),
                                    on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("attached"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()
    audit_exclude = ("created",)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record")]
        constraints = [models.UniqueConstraint(fields=["document", "content_type", "object_id"],
                                               name="attachment_once_per_record")]

    def __str__(self):
        return str(self.document)

    def clash_errors(self, user) -> dict:
        """Used by core.services.save_or_explain when the database refused a second link of the same pair."""
        return {"document": [_("This document is already attached to this record.")]}

    @property
    def record(self):
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None


from core.calendar.models import CalendarDay, WorkingCalendarYear  # noqa: E402,F401  (core's models)
from core.reminders.models import Reminder, ReminderDelivery, ReminderRule  # noqa: E402,F401  (core's models)
