"""The current request's user and id, for audit records written deep inside services."""

import contextvars
import uuid

_request_id = contextvars.ContextVar("yuanqu_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def start_request(request_id: str | None = None) -> contextvars.Token:
    return _request_id.set(request_id or str(uuid.uuid4()))


def end_request(token: contextvars.Token) -> None:
    _request_id.reset(token)


# Within one request, what a scope resolves (e.g. the ids of an operator's parks) is read once. Outside a
# request (services called from commands, tests, the worker) nothing is kept: every call reads again.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("yuanqu_request_memo", default=None)


def start_memo() -> contextvars.Token:
    return _memo.set({})


def end_memo(token: contextvars.Token) -> None:
    _memo.reset(token)


def memo(key, compute):
    kept = _memo.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]
