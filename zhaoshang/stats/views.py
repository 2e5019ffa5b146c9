"""Staff pages of statistics under /work/stats/: figures with their drill-down, consistency checks, actual FDI and
comparison figures. Thin views: the figures come from ``stats.services``.

Every member of staff sees the figures of their own scope (the city for the centre and leaders, a district
bureau's district, a team's own projects); the FDI pages are for the centre, district bureaus, leaders and
administrators (403 for anyone else), and a record outside the user's scope is 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import excel
from zhaoshang.core.ids import parse_id
from zhaoshang.core.views import ObjectCreateView, ObjectDetailView, ObjectListView, ObjectUpdateView

from . import services
from .filtersets import ComparisonFigureFilterSet, FDIRecordFilterSet
from .forms import ComparisonFigureForm, FDIRecordForm, FiguresForm
from .imports import FDI_COLUMNS, FDI_EXAMPLE, FDIImporter
from .metrics import METRICS
from .models import ComparisonFigure, FDIRecord, fdi_readable
from .periods import Period, format_percent
from .tables import COMPARISON_TABLE, FDI_TABLE

DRILL_PAGE_SIZE = 50


@login_required
def figures(request):
    """One metric for a period against the previous year, optionally broken down and ranked; each figure links to
    the records behind it."""
    today = timezone.localdate()
    form = FiguresForm(request.GET or None, today=today)
    figure = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        figure = services.figure(data["metric"], data["period"], request.user, data["group"])
    elif not form.is_bound:
        figure = services.figure("large_signed", Period.default(today), request.user)
    context = {"form": form, "figure": figure}
    if figure is not None:
        context["value"] = services.format_value(figure.metric, figure.value)
        context["previous"] = services.format_value(figure.metric, figure.previous)
        context["yoy"] = format_percent(figure.yoy)
        context["share"] = format_percent(figure.share) if figure.metric.share_of else None
        context["groups"] = [
            {
                "entry": g,
                "value": services.format_value(figure.metric, g.value),
                "previous": services.format_value(figure.metric, g.previous),
                "yoy": format_percent(g.yoy),
                "share": format_percent(g.share),
            }
            for g in figure.groups
        ]
        context["scope_name"] = services.scope_name(request.user)
        if figure.group is not None:
            context["group_label"] = figure.metric.source_def.groups[figure.group].label
    return render(request, "stats/figures.html", context)


@login_required
def records(request):
    """The records behind one figure (``?metric=…&period=…[&group=…&key=…]``), of the user's scope: their count
    or sum is the figure."""
    metric = METRICS.get(request.GET.get("metric", ""))
    if metric is None:
        raise Http404(_("There is no such metric."))
    try:
        period = Period.parse(request.GET.get("period", ""))
    except ValueError as error:
        raise Http404(str(error)) from None
    group = request.GET.get("group") or None
    if group is not None and group not in metric.source_def.groups:
        raise Http404(_("This metric cannot be broken down that way."))
    if metric.source == "fdi" and not fdi_readable(request.user):
        raise PermissionDenied
    key = request.GET.get("key") or None
    if group is not None and group not in ("source", "type") and key not in (None, "", services.NOT_SET):
        if parse_id(key) is None:
            raise Http404
    queryset = services.drill_records(metric, period, request.user, group, key)
    total = services.drill_total(metric, queryset)
    table = metric.source_def.drill_table
    queryset = table.prepare(queryset, table.default_sort)
    page = Paginator(queryset, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = table.rows(page.object_list)
    headers = [{"label": c.label} for c in table.columns]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stats/records.html",
        {
            "metric": metric,
            "period": period,
            "group": metric.source_def.groups[group] if group else None,
            "total": services.format_value(metric, total),
            "raw_total": total,
            "headers": headers,
            "rows": rows,
            "page_obj": page,
            "query_string": query.urlencode(),
        },
    )


@login_required
def checks(request):
    """What would make the user's figures wrong, each finding linked to its record."""
    return render(request, "stats/checks.html", {"checks": services.consistency_checks(request.user)})


# ---------------------------------------------------------------- actual FDI


class FDIAccessMixin:
    """The FDI pages are for the centre, district bureaus, leaders and administrators."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not fdi_readable(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FDIListView(FDIAccessMixin, ObjectListView):
    model = FDIRecord
    filterset_class = FDIRecordFilterSet
    table = FDI_TABLE
    add_url_name = "stats:fdi-add"
    template_name = "stats/fdi_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = FDIRecord.can_add(self.request.user)
        return context


class FDIDetailView(FDIAccessMixin, ObjectDetailView):
    model = FDIRecord
    template_name = "stats/fdi_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "project", "district", "team")


class FDICreateView(FDIAccessMixin, ObjectCreateView):
    model = FDIRecord
    form_class = FDIRecordForm


class FDIUpdateView(FDIAccessMixin, ObjectUpdateView):
    model = FDIRecord
    form_class = FDIRecordForm


class FDITemplateView(FDIAccessMixin, excel.TemplateView):
    model, columns, examples = FDIRecord, FDI_COLUMNS, [FDI_EXAMPLE]


class FDIImportView(excel.ImportView):
    importer_class = FDIImporter
    list_url_name = "stats:fdi-list"
    template_url_name = "stats:fdi-template"


# ---------------------------------------------------------------- comparison figures


class ComparisonListView(ObjectListView):
    model = ComparisonFigure
    filterset_class = ComparisonFigureFilterSet
    table = COMPARISON_TABLE
    add_url_name = "stats:comparison-add"


class ComparisonCreateView(ObjectCreateView):
    model = ComparisonFigure
    form_class = ComparisonFigureForm
    success_url = reverse_lazy("stats:comparison-list")


class ComparisonUpdateView(ObjectUpdateView):
    model = ComparisonFigure
    form_class = ComparisonFigureForm

    def get_success_url(self):
        return reverse("stats:comparison-list")
