"""Django's admin, for looking only: every change goes through the platform's pages and services,
which check scopes and write the audit trail (the admin would do neither)."""

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Department, DomainEvent, ObjectChange, User
from .personal import masked_data


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "display_name", "role", "department", "is_active", "last_login")
    list_filter = ("role", "department", "is_active")
    exclude = ("password",)


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "short_name")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used_at", "revoked_at")
    exclude = ("digest",)


def masked_json(record, data) -> str:
    """A record's stored data with the personal fields of its object's model masked (core.personal)."""
    model = ContentType.objects.get_for_id(record.content_type_id).model_class() if record.content_type_id else None
    shown = masked_data(model, data)
    return "—" if shown is None else json.dumps(shown, ensure_ascii=False, indent=1, sort_keys=True)


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "action", "content_type", "object_repr", "request_id")
    fields = ("time", "user", "user_name", "request_id", "action", "content_type", "object_id", "object_repr",
              "before", "after")
    readonly_fields = fields

    @admin.display(description=_("before"))
    def before(self, record):
        return masked_json(record, record.data_before)

    @admin.display(description=_("after"))
    def after(self, record):
        return masked_json(record, record.data_after)


@admin.register(DomainEvent)
class DomainEventAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "name", "object_repr")
    fields = ("time", "user", "user_name", "request_id", "name", "content_type", "object_id", "object_repr",
              "shown_data")
    readonly_fields = fields

    @admin.display(description=_("data"))
    def shown_data(self, event):
        return masked_json(event, event.data)
