from django.contrib import admin

from .models import CityProfile, Guide, GuideStep, Inquiry, Policy, PolicyIndustry


class GuideStepInline(admin.TabularInline):
    model = GuideStep
    extra = 1


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ("project_type", "title", "title_en")
    inlines = [GuideStepInline]


class PolicyIndustryInline(admin.TabularInline):
    model = PolicyIndustry
    extra = 1


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("title", "issuer", "region", "park", "effective_from", "effective_to")
    list_filter = ("region",)
    search_fields = ("title", "title_en", "summary")
    inlines = [PolicyIndustryInline]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("company", "contact_name", "team", "status", "created", "due", "first_response_at")
    list_filter = ("status", "team")
    search_fields = ("company", "contact_name", "email")


@admin.register(CityProfile)
class CityProfileAdmin(admin.ModelAdmin):
    """The city's page: one profile per deployment (a second cannot be added)."""

    list_display = ("__str__", "slogan", "office", "phone", "email")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CityProfile.objects.exists()
