"""Counts of long lists, kept until the data change.

A list page counts its rows for the header and the pager; for an operator's 28,000 tenants or a search over
150,000 enterprises the count costs more than the page of rows itself. A count is cached under the exact
count query and a data version; any write to the district's data (a saved or deleted row, a changed link,
an import) moves the version on, so a cached count is never older than the last write. The cache is one
both the web server's processes and the worker see.
"""

import hashlib
import uuid

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import cached_property

VERSION_KEY = "data-version"
SECONDS = 600  # a backstop: writes that bypass the ORM (a database console) are seen within this
DATA_APPS = {"core", "spaces", "enterprises", "leasing"}
# Written on every request or every write: they do not change what a list contains.
NOT_DATA = {"objectchange", "domainevent", "loginfailures", "apitoken", "importbatch"}


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


def _on_write(sender, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "last_used_at"}:
        return  # a login changes no list
    opts = getattr(sender, "_meta", None)
    if opts is not None and opts.app_label in DATA_APPS and opts.model_name not in NOT_DATA:
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
