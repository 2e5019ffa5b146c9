"""The portal's API (also the mini-program's): public reads, search suggestions, matching, inquiries."""

from . import inquiries, matching, public, search

urlpatterns = [*public.urlpatterns, *search.urlpatterns, *matching.urlpatterns, *inquiries.urlpatterns]
