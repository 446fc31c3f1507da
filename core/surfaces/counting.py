"""Counts of long lists, kept until the data change.

A list page counts its rows for the header and the pager; for an operator's 28,000 tenants or a search over
150,000 enterprises the count costs more than the page of rows itself. A count is cached under the exact
count query and a data version; any write to the district's data (a saved or deleted row, a changed link,
an import) moves the version on, so a cached count is never older than the last write. The cache is one
both the web server's processes and the worker see.
"""

import functools
import hashlib
import uuid

from django.apps import apps
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import cached_property

VERSION_KEY = "data-version"
SECONDS = 600  # a backstop: writes that bypass the ORM (a database console) are seen within this


def _cache():
    return caches["counts"]


def data_version() -> str:
    version = _cache().get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        _cache().set(VERSION_KEY, version, None)
    return version


def data_changed(**kwargs) -> None:
    """Every cached count is stale from now on."""
    _cache().set(VERSION_KEY, uuid.uuid4().hex, None)


def is_data(model) -> bool:
    """Whether a write to ``model`` may change what a list holds or counts.

    Every model of the project's own apps is (``core.runtime.project``), and every ``BaseModel`` wherever it is
    declared, unless it says otherwise with ``changes_lists = False``: a model written on every request or
    beside every write (audit rows, login failures, tokens, import batches) changes no list. The links of a
    many-to-many field are data when the model that declares the field is. Django's own tables (sessions) and
    the libraries' (the task queue) are not."""
    try:  # a migration's historical model stands for the installed one
        model = apps.get_model(model._meta.label)
    except LookupError:
        pass
    return _is_data(model)


@functools.cache
def _is_data(model) -> bool:
    from core.models import BaseModel
    from core.runtime.project import is_project_app

    opts = model._meta
    if opts.auto_created:  # the table of a many-to-many field
        return is_data(opts.auto_created)
    declared = getattr(model, "changes_lists", None)
    if declared is not None:
        return bool(declared)
    return issubclass(model, BaseModel) or (opts.app_config is not None and is_project_app(opts.app_config))


def _on_write(sender, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "last_used_at"}:
        return  # a login changes no list
    if getattr(sender, "_meta", None) is not None and is_data(sender):
        data_changed()


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="yuanqu_counts_save")
    post_delete.connect(_on_write, dispatch_uid="yuanqu_counts_delete")
    m2m_changed.connect(_on_write, dispatch_uid="yuanqu_counts_m2m")


def count(queryset) -> int:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. "park in []": an operator without parks
        return 0
    digest = hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()
    key = f"count:{data_version()}:{digest}"
    found = _cache().get(key)
    if found is None:
        found = queryset.count()
        _cache().set(key, found, SECONDS)
    return found


class CountingPaginator(Paginator):
    @cached_property
    def count(self):
        return count(self.object_list)
