from django.contrib import admin

from .models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ("time", "user_name", "action", "content_type", "object_repr", "request_id")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "user_name", "request_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
