"""The chains' monthly figures from the statistics bureau: the list of a month with its total and the report's
sentence, the template and the import (the centre)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhaoshang.core import excel
from zhaoshang.core.choices import Action

from ..models import ChainValueAdded
from ..services import statistics


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@login_required
def value_added_list(request):
    records = ChainValueAdded.objects.restrict(request.user, Action.VIEW)
    months = list(records.order_by("-year", "-month").values_list("year", "month").distinct())
    year = _int(request.GET.get("year"), 2000, 2100)
    month = _int(request.GET.get("month"), 1, 12)
    if year is None or month is None:
        year, month = months[0] if months else (None, None)
    figures = statistics.month_figures(year, month) if year else None
    context = {
        "months": months,
        "year": year,
        "month": month,
        "figures": figures,
        "sentence": statistics.value_added_sentence(year, month) if year else "",
        "can_import": ChainValueAdded.can_add(request.user),
    }
    return render(request, "chains/value_added_list.html", context)


class ValueAddedTemplateView(excel.TemplateView):
    model, columns, examples = ChainValueAdded, statistics.VALUE_ADDED_COLUMNS, [statistics.VALUE_ADDED_EXAMPLE]

    def has_permission(self, request) -> bool:
        return ChainValueAdded.can_add(request.user)


class ValueAddedImportView(excel.ImportView):
    importer_class = statistics.ValueAddedImporter
    list_url_name = "chains:value-added-list"
    template_url_name = "chains:value-added-template"
