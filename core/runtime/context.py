"""The current request's user and id, for audit records written deep inside services."""

import contextvars
import uuid

# (request id, import batch id). The request id is always made here (a client's X-Request-ID is not taken:
# core/runtime/middleware.py); the batch id marks the change records an import writes, which its rollback selects.
_request: contextvars.ContextVar[tuple[str, int | None]] = contextvars.ContextVar(
    "yuanqu_request", default=("", None))


def current_request_id() -> str:
    return _request.get()[0]


def current_batch_id() -> int | None:
    return _request.get()[1]


def start_request(request_id: str | None = None, *, batch_id: int | None = None) -> contextvars.Token:
    return _request.set((request_id or str(uuid.uuid4()), batch_id))


def end_request(token: contextvars.Token) -> None:
    _request.reset(token)


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
