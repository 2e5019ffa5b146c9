"""The city's chains at a glance and one chain's map (being built)."""

from django.http import Http404


def overview(request):
    raise Http404


def chain_map(request, pk):
    raise Http404
