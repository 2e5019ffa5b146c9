"""The portal's API (also the mini-program's): public reads, matching, inquiries."""

from . import inquiries, matching, public

urlpatterns = [*public.urlpatterns, *matching.urlpatterns, *inquiries.urlpatterns]
