"""Reads of enterprises that matter, always within the user's scope."""

from .models import Enterprise


def enterprise_count(*, user) -> int:
    return Enterprise.objects.for_user(user).count()


def enterprise_list(*, user):
    return Enterprise.objects.for_user(user)
