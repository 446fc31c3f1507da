"""The API of a person's own reminders: list them, mark one or all read (the inbox's selectors and services)."""

import datetime
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import Query, Router, Schema

from core.reminders import selectors, services
from core.surfaces.api import api

router = Router(tags=["reminders"])

MAX_PAGE = 1_000_000


class ReminderOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    due_date: datetime.date
    raised_at: datetime.datetime
    read: bool
    link: str

    @staticmethod
    def resolve_kind(reminder):
        return reminder.rule.kind

    @staticmethod
    def resolve_title(reminder):
        return reminder.rule.title

    @staticmethod
    def resolve_read(reminder):
        return reminder.read_at is not None


class ReminderPage(Schema):
    count: int
    unread: int
    page: int
    page_size: int
    results: list[ReminderOut]


class ReadAllOut(Schema):
    marked_read: int


@router.get("", response=ReminderPage, summary="List my open reminders", operation_id="reminders_list")
def reminders_list(request, state: Literal["unread", "read", "all"] = "unread",
                   page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=500)):
    """The caller's open reminders, newest first: unread (default), read, or all. Resolved ones are gone."""
    if state == "all":
        rows = selectors.reminder_open(user=request.user)
    else:
        rows = selectors.reminder_inbox(user=request.user, read=state == "read")
    start = (page - 1) * page_size
    return {"count": rows.count(), "unread": selectors.reminder_unread_count(user=request.user), "page": page,
            "page_size": page_size, "results": list(rows[start:start + page_size])}


@router.post("/{int:pk}/read", response=ReminderOut, summary="Mark one of my reminders read",
             operation_id="reminders_read")
def reminders_read(request, pk: int):
    try:
        return services.reminder_read(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@router.post("/read-all", response=ReadAllOut, summary="Mark all my reminders read",
             operation_id="reminders_read_all")
def reminders_read_all(request):
    return {"marked_read": services.reminders_read_all(user=request.user)}


def mount() -> None:
    """Serve these endpoints under /api/reminders/ (yuanqu/urls.py, after the surfaces)."""
    api.add_router("/reminders", router)
