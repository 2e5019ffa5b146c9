"""Key enterprises (200强): the list for the service team, one firm's page, its visits, and the yearly import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import can

from ..choices import VisitState
from ..forms.key_firms import ServiceVisitForm
from ..models import KeyEnterprise, ServiceVisit
from ..services import key_firms as services

PER_PAGE = 100


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@login_required
def key_list(request):
    """The year's key enterprises the user reads, in rank order."""
    years = services.key_years(request.user)
    year = _int(request.GET.get("year"), 2000, 2100)
    if year is None and years:
        year = years[0]
    records = services.key_list(request.user, year)
    query = (request.GET.get("q") or "").strip()
    if query:
        records = records.filter(Q(enterprise__name__icontains=query) | Q(enterprise__name_en__icontains=query))
    mine = request.GET.get("mine") == "1"
    if mine:
        records = records.filter(officer=request.user)
    page = Paginator(records.order_by("rank", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "years": years,
        "year": year,
        "query": query,
        "mine": mine,
        "page_obj": page,
        "can_import": services.can_import(request.user),
        "query_string": urlencode({"year": year or "", "q": query, "mine": "1" if mine else ""}),
    }
    return render(request, "services/key_list.html", context)


@login_required
def key_detail(request, pk):
    """One key enterprise: who serves it, its visits, open requests and approvals, projects and per-mu class."""
    key = get_object_or_404(
        KeyEnterprise.objects.restrict(request.user, Action.VIEW).select_related(
            "enterprise", "enterprise__hq_region", "officer", "team"
        ),
        pk=pk,
    )
    context = {
        "key": key,
        "can_change": can(request.user, key, Action.CHANGE),
        "visit_states": VisitState,
        **services.firm_page(request.user, key),
    }
    return render(request, "services/key_detail.html", context)


def _visit_form(request, key, visit, status=200):
    form_class = ServiceVisitForm
    if request.method == "POST":
        form = form_class(request.POST, instance=visit, user=request.user)
        if form.is_valid():
            services.save_visit(key, form.save(commit=False), request.user)
            messages.success(request, _("Visit saved."))
            return redirect(key.get_absolute_url() + "#visits")
        status = 200
    else:
        form = form_class(instance=visit, user=request.user)
    context = {"form": form, "key": key, "object": visit, "verbose_name": ServiceVisit._meta.verbose_name}
    return render(request, "services/visit_form.html", context, status=status)


@login_required
def visit_add(request, pk):
    key = get_object_or_404(
        KeyEnterprise.objects.restrict(request.user, Action.VIEW).select_related("enterprise"), pk=pk
    )
    if not can(request.user, key, Action.CHANGE):
        raise PermissionDenied
    return _visit_form(request, key, ServiceVisit(key_enterprise=key))


@login_required
def visit_edit(request, pk):
    visit = get_object_or_404(
        ServiceVisit.objects.restrict(request.user, Action.VIEW).select_related("key_enterprise__enterprise"), pk=pk
    )
    if not can(request.user, visit, Action.CHANGE):
        raise PermissionDenied
    return _visit_form(request, visit.key_enterprise, visit)


class KeyTemplateView(excel.TemplateView):
    model, columns, examples = KeyEnterprise, services.KEY_COLUMNS, [services.KEY_EXAMPLE]

    def has_permission(self, request) -> bool:
        return services.can_import(request.user)


class KeyImportView(excel.ImportView):
    importer_class = services.KeyEnterpriseImporter
    list_url_name = "services:key-list"
    template_url_name = "services:key-template"

    def has_permission(self) -> bool:
        return services.can_import(self.request.user)
