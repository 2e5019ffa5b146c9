from django.contrib import admin

from .models import Chain, Enterprise, EnterpriseTag, IndustryCode


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en")


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "task_force", "sort", "active")
    filter_horizontal = ("industry_codes",)


@admin.register(EnterpriseTag)
class EnterpriseTagAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "name_en", "sort")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "hq_region", "industry", "owner_team")
    search_fields = ("name", "uscc", "normalized_name")
    list_filter = ("tags", "owner_team")
    raw_id_fields = ("hq_region", "industry")
