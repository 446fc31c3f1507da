"""Reads of enterprises that matter, always within the user's scope."""

from .models import Enterprise


def enterprise_count(*, user) -> int:
    return Enterprise.objects.for_user(user).count()


def enterprise_list(*, user):
    return Enterprise.objects.for_user(user)


def accounts_by_enterprise(enterprise_ids) -> dict[int, list[int]]:
    """{enterprise id: ids of its own accounts} (who is told about an enterprise's records)."""
    found: dict[int, list[int]] = {}
    for enterprise_id, user_id in Enterprise.users.through.objects.filter(
            enterprise_id__in=list(enterprise_ids)).values_list("enterprise_id", "user_id"):
        found.setdefault(enterprise_id, []).append(user_id)
    return found
