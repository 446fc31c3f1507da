"""API tokens: created by their owner, revoked by their owner or the administrator; the key is shown once and
stored as a digest."""

import datetime

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import actions, audit
from core.models import ApiToken, User, token_expiry
from core.reference import control_characters
from core.reference.choices import Role, TokenState

TOKEN_CREATE = audit.register_event("core.token.create", gettext_lazy("API token created"))

# Revoked on the token page (/tokens/<pk>/revoke/) and through the API (/api/core/tokens/{pk}/revoke).
actions.place(ApiToken, slug="tokens", url_prefix="token", list_url_name="token_list")


class TokenExpired(Exception):
    """A bearer key whose token has expired: the API answers 401 with this message."""

    def __init__(self, token: ApiToken):
        super().__init__(_("This API token expired on %(date)s: make a new one on the API tokens page.")
                         % {"date": date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")})


@transaction.atomic
def token_create(*, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid for ``days`` (YUANQU_TOKEN_DAYS unless given).

    ``user`` is the account as the request found it. A new password, another role or a deactivation saved since
    (User.save moves the session epoch on and revokes the tokens it finds) refuses the token: read under the
    account's row lock, which that save holds until it commits, so a token is either made before it, and
    revoked with the others, or refused after it. Otherwise a stolen session that keeps asking for tokens would
    keep one through the administrator's password reset."""
    current = User.objects.select_for_update().filter(pk=user.pk).values("session_epoch", "is_active").first()
    if current is None or not current["is_active"] or current["session_epoch"] != user.session_epoch:
        raise PermissionDenied(_("This account's access changed meanwhile: sign in again to make a token."))
    key = ApiToken.new_key()
    name = control_characters.removed(name)  # a label: what could not be stored or shown is dropped
    token = ApiToken.objects.create(
        user=user, name=name[:60], prefix=key[:8], digest=ApiToken.digest_of(key),
        expires_at=token_expiry() if days is None else timezone.now() + datetime.timedelta(days=days),
    )
    audit.record_event(TOKEN_CREATE, user=user, instance=token, data={"name": token.name})
    return token, key


def token_summary(token: ApiToken) -> dict:
    return {"id": token.pk, "prefix": token.prefix, "name": token.name, "state": token.state,
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}


@actions.action(ApiToken, "revoke", label=gettext_lazy("Revoke"), roles=Role.values, state_field="state",
                sources=[TokenState.ACTIVE], target=TokenState.REVOKED, event="core.token.revoke",
                event_label=gettext_lazy("API token revoked"), style="outline-danger", button=False,
                help=gettext_lazy("A program that uses this token is refused from now on."),
                api_response=lambda request, token: token_summary(token), example=lambda token: {})
def token_revoke(*, user, instance: ApiToken) -> ApiToken:
    """End a token at once. Every account may revoke its own tokens (the scope, ApiToken.objects.for_user, holds
    only those), and the administrator any account's, for a key that has leaked."""
    instance.revoked_at = timezone.now()
    instance.save(update_fields=["revoked_at"])
    return instance


def token_user(key: str):
    """The active user a bearer key belongs to, or None; TokenExpired for a key that was valid until lately."""
    now = timezone.now()
    token = (ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    if token.expires_at <= now:
        raise TokenExpired(token)
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_for_password(*, username: str, password: str) -> str | None:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        return None
    _token, key = token_create(user=user, name="API")
    return key
