"""The portal's pages. Each views module lists its own routes (public map and pages, matching, inquiries, staff)."""

from .views import compare, content, inquiries, matching, media, privacy, public, staff

app_name = "portal"

urlpatterns = [
    *public.urlpatterns,
    *matching.urlpatterns,
    *compare.urlpatterns,
    *inquiries.urlpatterns,
    *staff.urlpatterns,
    *media.urlpatterns,
    *content.urlpatterns,
    *privacy.urlpatterns,
]
