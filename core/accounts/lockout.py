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
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.models import LoginFailures

LOCKED = audit.register_event("core.account.lock", gettext_lazy("Account locked after failed logins"))
FAILED = audit.register_event("core.login.fail", gettext_lazy("Failed login"))


def account_locked_until(username: str):
    row = LoginFailures.objects.filter(username=username, locked_until__gt=timezone.now()).first()
    return row.locked_until if row else None


@transaction.atomic
def login_attempt_admit(username: str) -> int:
    """Count a login attempt before its password is checked: its number within the window, or 0 when the
    account is locked and the password must not be checked.

    Attempts are counted under the username's row lock, one after another, however many arrive at once: the
    attempt that reaches YUANQU_LOGIN_MAX_FAILURES locks the account at once (its own password is still
    checked, and a right one lifts the lock), so no more than that many passwords are ever checked in a
    window, and a right password sent after them is refused like a wrong one. An attempt whose password
    turns out right forgets the count (login_succeeded).
    """
    username = username[:150]
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.YUANQU_LOGIN_LOCK_MINUTES)
    row, _created = LoginFailures.objects.select_for_update().get_or_create(username=username)
    if row.locked_until and row.locked_until > now:
        return 0
    if row.locked_until or (row.last_failure and now - row.last_failure > window):
        row.count, row.locked_until = 0, None  # a lock that ran out, or failures long ago, are forgotten
    row.count += 1
    row.last_failure = now
    if row.count >= settings.YUANQU_LOGIN_MAX_FAILURES:
        row.locked_until = now + window
    row.save()
    return row.count


def login_failed(username: str, attempt: int) -> None:
    """The password of admitted attempt number ``attempt`` was wrong: audited; the attempt that set the lock
    records it (unless a right password lifted it meanwhile)."""
    username = username[:150]
    audit.record_event(FAILED, user=None, data={"username": username, "count": attempt})
    if attempt == settings.YUANQU_LOGIN_MAX_FAILURES:
        until = account_locked_until(username)
        if until:
            audit.record_event(LOCKED, user=None, data={"username": username, "until": until})


def login_succeeded(username: str) -> None:
    LoginFailures.objects.filter(username=username[:150]).delete()


class LockoutBackend(ModelBackend):
    """Django's own backend, but every attempt is counted before its password is checked, and a locked
    account cannot log in (pages and the API token alike)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        attempt = login_attempt_admit(username) if username else 0
        if not attempt:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failed(username, attempt)
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
        try:
            return super().clean()
        except ValidationError:
            until = account_locked_until(username) if username else None
            if until:  # locked by attempts made at the same moment as this one
                raise ValidationError(locked_message(until), code="locked") from None
            raise


def locked_message(until) -> str:
    return _("Too many failed logins: this account is locked until %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M")}
