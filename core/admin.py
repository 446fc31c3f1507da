"""Django's admin, for looking only: every change goes through the platform's pages and services,
which check scopes and write the audit trail (the admin would do neither)."""

from django.contrib import admin

from .models import ApiToken, Department, DomainEvent, ObjectChange, User


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


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "action", "content_type", "object_repr", "request_id")


@admin.register(DomainEvent)
class DomainEventAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "name", "object_repr")
