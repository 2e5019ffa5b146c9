"""A node's enterprises, targets and projects; a chain's work record (being built)."""

from django.http import Http404


def node_detail(request, pk):
    raise Http404


def chain_work(request, pk):
    raise Http404
