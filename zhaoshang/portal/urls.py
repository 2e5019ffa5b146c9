"""The portal's pages. Each views module lists its own routes (the city's page and search, the public map and
pages, matching, inquiries, staff)."""

from .views import content, inquiries, landing, matching, privacy, public, staff

app_name = "portal"

urlpatterns = [
    *landing.urlpatterns,
    *public.urlpatterns,
    *matching.urlpatterns,
    *inquiries.urlpatterns,
    *staff.urlpatterns,
    *content.urlpatterns,
    *privacy.urlpatterns,
]
