from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fk_name = "user"
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Contact"), {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    inlines = [MembershipInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "stationed_city", "adcode", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "name_en", "stationed_city")
