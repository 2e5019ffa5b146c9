"""The city's chains at a glance and one chain's map (chains.services.figures)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from zhaoshang.core.choices import Action
from zhaoshang.industry.models import Chain

from ..choices import NodeStrength
from ..services import figures as chain_services


def _projects_url(chain, **params) -> str:
    return reverse("projects:project-list") + "?" + urlencode({"chain": chain.pk, **params}, doseq=True)


@login_required
def overview(request):
    today = timezone.localdate()
    rows = chain_services.overview(request.user, today)
    pipeline = [str(stage) for stage in chain_services.PIPELINE_STAGES]
    for row in rows:
        row.map_url = reverse("chains:chain-map", args=[row.chain.pk])
        row.projects_url = _projects_url(row.chain, stage=pipeline)
        row.signed_url = _projects_url(
            row.chain, date_stage="signed", date_from=date(today.year, 1, 1).isoformat(), date_to=today.isoformat()
        )
        if row.value_added is not None:
            row.value_added_url = row.value_added.get_absolute_url()
    context = {"rows": rows, "year": today.year, "rule": chain_services.rule_sentence()}
    return render(request, "chains/overview.html", context)


@login_required
def chain_map(request, pk):
    chain = get_object_or_404(Chain.objects.restrict(request.user, Action.VIEW), pk=pk)
    result = chain_services.chain_figures(chain, request.user)
    segments = result.segments()
    positions = [str(position) for position in chain_services.POSITIONS]
    for figures in result.nodes:
        figures.url = reverse("chains:node-detail", args=[figures.node.pk])
    graph = {
        "positions": [{"key": key, "label": str(label)} for key, label in chain_services.SegmentPosition.choices],
        "strengths": [{"key": key, "label": str(label)} for key, label in NodeStrength.choices],
        "segments": [
            {
                "id": entry["segment"].pk,
                "name": entry["segment"].display_name,
                "position": positions.index(entry["segment"].position),
                "nodes": [
                    {
                        "id": f.node.pk,
                        "name": f.node.display_name,
                        "strength": f.strength,
                        "strength_label": str(f.strength_label),
                        "enterprises": f.enterprises,
                        "output": f.output,
                        "projects": f.projects,
                        "url": f.url,
                    }
                    for f in entry["nodes"]
                ],
            }
            for entry in segments
        ],
    }
    context = {
        "chain": chain,
        "result": result,
        "segments": segments,
        "graph": graph,
        "rule": chain_services.rule_sentence(),
        "projects_url": _projects_url(chain, stage=[str(s) for s in chain_services.PIPELINE_STAGES]),
    }
    return render(request, "chains/chain_map.html", context)
