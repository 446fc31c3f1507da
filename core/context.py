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
