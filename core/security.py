"""Account lockout after repeated failed logins, and logout after a period of inactivity (MLPS 2.0
level 3, GB/T 22239-2019). The thresholds are settings (YUANQU_LOGIN_MAX_FAILURES,
YUANQU_LOGIN_LOCK_MINUTES, YUANQU_IDLE_MINUTES), not constants."""

import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import LoginFailures

LOCKED = audit.register_event("core.account.lock", gettext_lazy("Account locked after failed logins"))
FAILED = audit.register_event("core.login.fail", gettext_lazy("Failed login"))


def account_locked_until(username: str):
    row = LoginFailures.objects.filter(username=username, locked_until__gt=timezone.now()).first()
    return row.locked_until if row else None


@transaction.atomic
def login_failed(username: str) -> None:
    """Count a failure; the last one allowed locks the account for a while."""
    now = timezone.now()
    row, _created = LoginFailures.objects.select_for_update().get_or_create(username=username[:150])
    window = datetime.timedelta(minutes=settings.YUANQU_LOGIN_LOCK_MINUTES)
    if row.last_failure and now - row.last_failure > window:
        row.count = 0  # failures long ago are forgotten
    row.count = F("count") + 1
    row.last_failure = now
    row.save()
    row.refresh_from_db()
    audit.record_event(FAILED, user=None, data={"username": username[:150], "count": row.count})
    if row.count >= settings.YUANQU_LOGIN_MAX_FAILURES:
        row.locked_until = now + window
        row.count = 0
        row.save(update_fields=["locked_until", "count"])
        audit.record_event(LOCKED, user=None, data={"username": username[:150], "until": row.locked_until})


def login_succeeded(username: str) -> None:
    LoginFailures.objects.filter(username=username).delete()


class LockoutBackend(ModelBackend):
    """Django's own backend, but a locked account cannot log in (pages and the API token alike)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and account_locked_until(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username:
            if user is None:
                login_failed(username)
            else:
                login_succeeded(username)
        return user


class IdleTimeoutMiddleware:
    """Log a signed-in user out after YUANQU_IDLE_MINUTES without a request. The session is written at
    most once a minute for this, not on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(timezone.now().timestamp())
            last = request.session.get("yq_seen", now)
            if now - last > settings.YUANQU_IDLE_MINUTES * 60:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            elif now - last >= 60 or "yq_seen" not in request.session:
                request.session["yq_seen"] = now
        return self.get_response(request)


class LoginForm(AuthenticationForm):
    """Says when an account is locked instead of repeating "wrong password"."""

    def clean(self):
        username = self.cleaned_data.get("username")
        until = account_locked_until(username) if username else None
        if until:
            raise ValidationError(locked_message(until), code="locked")
        return super().clean()


def locked_message(until) -> str:
    return _("Too many failed logins: this account is locked until %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M")}
