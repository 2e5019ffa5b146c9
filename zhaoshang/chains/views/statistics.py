"""The chains' monthly figures from the statistics bureau (being built)."""

from django.http import Http404


def value_added_list(request):
    raise Http404
