from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Department, DomainEvent, ObjectChange, User


@admin.register(User)
class YuanquUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "department", "is_active")
    list_filter = ("role", "department", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Yuanqu", {"fields": ("display_name", "role", "department")}),)


admin.site.register(Department)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created", "revoked_at")
    readonly_fields = ("prefix", "digest")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "action", "content_type", "object_repr", "request_id")


@admin.register(DomainEvent)
class DomainEventAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "name", "object_repr")
