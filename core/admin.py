"""Django's admin, for looking only: every change goes through the platform's pages and services,
which check scopes and write the audit trail (the admin would do neither). The one exception, reminder rules,
saves through those services too."""

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from core.access.personal import masked_data
from core.models import (
    ApiToken,
    DailyRun,
    Department,
    DomainEvent,
    ObjectChange,
    Reminder,
    ReminderDelivery,
    ReminderRule,
    User,
)
from core.reference.choices import Role
from core.services import object_create, object_delete, object_update


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
    """A record's stored data with the personal fields of its object's model masked (core.access.personal)."""
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


# ----- reminders ----------------------------------------------------------------------------------------------
@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    """The one model the Django admin edits: the rules are data the administrator changes here or on the
    platform's 提醒规则 page. Either way the change goes through the generic services, audited."""

    list_display = ("title", "kind", "applies_to", "days_before", "to_operators", "to_enterprise", "to_bureau",
                    "active")
    list_filter = ("kind", "active")
    fields = ("kind", "title", "applies_to", "days_before", "to_operators", "to_enterprise", "to_bureau", "active")

    def _administrator(self, request):
        return request.user.is_active and request.user.role == Role.BUREAU_ADMIN

    def has_view_permission(self, request, obj=None):
        return self._administrator(request)

    def has_add_permission(self, request):
        return self._administrator(request)

    def has_change_permission(self, request, obj=None):
        return self._administrator(request)

    def has_delete_permission(self, request, obj=None):
        return self._administrator(request)

    def has_module_permission(self, request):
        return self._administrator(request)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        if change:
            saved = object_update(user=request.user, instance=obj, data=data)
        else:
            saved = object_create(user=request.user, model=ReminderRule, data=data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        object_delete(user=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            object_delete(user=request.user, instance=rule)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("raised_at", "recipient", "text", "due_date", "read_at", "resolved_at", "resolution")
    list_filter = ("rule", "resolution")


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("reminder", "sender", "attempts", "sent_at", "last_attempt", "error")


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "started", "finished")
