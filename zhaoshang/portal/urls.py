"""The portal's pages. Each views module lists its own routes (the city's page and search, the public map and
pages, matching, inquiries, staff)."""

from .views import compare, content, inquiries, landing, matching, media, privacy, public, staff

app_name = "portal"

urlpatterns = [
    *landing.urlpatterns,
    *public.urlpatterns,
    *matching.urlpatterns,
    *compare.urlpatterns,
    *inquiries.urlpatterns,
    *staff.urlpatterns,
    *media.urlpatterns,
    *content.urlpatterns,
    *privacy.urlpatterns,
]
