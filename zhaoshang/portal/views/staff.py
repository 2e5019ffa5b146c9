"""Portal views: staff maintenance of parks and sites under /work/ — lists, forms, verification, Excel in and out.

Every staff member reads every listing (Listing.scope_q); changing one needs a writing
role in its team, in its district's bureau, or in the centre (403 otherwise).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import ConflictError, atomic_write
from zhaoshang.core.permissions import can
from zhaoshang.core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    is_fragment,
)
from zhaoshang.geo import services as geo_services
from zhaoshang.geo.models import Carrier, Park

from ..filtersets import CarrierFilterSet, ParkFilterSet
from ..forms.listings import (
    CARRIER_COLUMNS,
    CARRIER_EXAMPLE,
    PARK_COLUMNS,
    CarrierForm,
    CarrierImporter,
    ParkForm,
    ParkImporter,
)
from ..tables import CARRIER_TABLE, PARK_TABLE, status_badges

# Columns never needed on staff pages (large GeoJSON, the search index).
LIGHT = ("boundary", "search_text", "region__boundary")


class Kind:
    """What differs between the park pages and the site pages."""

    def __init__(self, model, prefix, filterset, table, form, importer, columns, example=None, related=()):
        self.model, self.prefix, self.filterset, self.table = model, prefix, filterset, table
        self.form, self.importer, self.columns, self.example = form, importer, columns, example
        self.related = related

    def url(self, action: str) -> str:
        return f"portal:staff-{self.prefix}-{action}"

    def queryset(self, user, action=Action.VIEW):
        qs = self.model.objects.restrict(user, action).select_related("region", "team", *self.related)
        return qs.defer(*LIGHT, *(f"{name}__boundary" for name in self.related))


CARRIERS = Kind(
    Carrier,
    "carrier",
    CarrierFilterSet,
    CARRIER_TABLE,
    CarrierForm,
    CarrierImporter,
    CARRIER_COLUMNS,
    CARRIER_EXAMPLE,
    related=("park",),
)
PARKS = Kind(Park, "park", ParkFilterSet, PARK_TABLE, ParkForm, ParkImporter, PARK_COLUMNS)


class KindMixin:
    kind: Kind = CARRIERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind.prefix
        context["urls"] = {
            action: reverse(self.kind.url(action)) for action in ("list", "add", "export", "template", "import")
        }
        return context


class ListingListView(KindMixin, ObjectListView):
    template_name = "portal/staff_listing_list.html"

    def get_queryset(self):
        return super().get_queryset().defer(*LIGHT)

    def get_template_names(self):
        if is_fragment(self.request):
            return ["portal/staff_listing_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = self.model.can_add(self.request.user)
        return context


class ListingDetailView(KindMixin, ObjectDetailView):
    def get_queryset(self):
        return self.kind.queryset(self.request.user).prefetch_related("industries")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["public_url"] = self.object.get_absolute_url()
        except NoReverseMatch:  # the public pages are not there yet
            context["public_url"] = None
        model = type(self.object)
        context["public"] = model.objects.filter(model.public_q(), pk=self.object.pk).exists()
        context["status"] = status_badges(self.object)
        context["stale_days"] = settings.ZHAOSHANG_LISTING_STALE_DAYS
        if model is Park:
            context["site_count"] = Carrier.objects.restrict(self.request.user).filter(park=self.object).count()
        prefix = self.kind.prefix
        context["photos"] = geo_services.photos_of(self.object, self.request.user)
        context["documents"] = geo_services.documents_of(self.object, self.request.user)
        context["photo_add_url"] = reverse(f"portal:staff-{prefix}-photo-add", args=[self.object.pk])
        context["document_add_url"] = reverse(f"portal:staff-{prefix}-document-add", args=[self.object.pk])
        context["facts"] = geo_services.location_facts([self.object], self.request.user)[self.object.pk]
        return context


class ListingEditMixin(KindMixin):
    template_name = "portal/staff_listing_form.html"

    def get_success_url(self):
        return reverse(self.kind.url("detail"), args=[self.object.pk])


class ListingCreateView(ListingEditMixin, ObjectCreateView):
    pass


class ListingUpdateView(ListingEditMixin, ObjectUpdateView):
    pass


class ListingDeleteView(KindMixin, ObjectDeleteView):
    template_name = "portal/staff_listing_confirm_delete.html"

    def get_success_url(self):
        return reverse(self.kind.url("list"))


class VerifyView(LoginRequiredMixin, View):
    """The team confirms the facts are current: last_verified becomes today (an audited change)."""

    kind: Kind = CARRIERS
    http_method_names = ["post"]

    def post(self, request, pk):
        obj = get_object_or_404(self.kind.queryset(request.user), pk=pk)
        if not can(request.user, obj, Action.CHANGE):
            raise PermissionDenied
        obj.last_verified = timezone.localdate()
        try:
            with atomic_write(obj):
                obj.save(update_fields=["last_verified"])
        except ConflictError:
            messages.error(request, _("Someone else changed this record just now; reload the page and try again."))
        else:
            messages.success(request, _("Marked %(object)s as verified today.") % {"object": obj})
        target = request.POST.get("next")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect(self.kind.url("detail"), pk=obj.pk)


class ExportView(LoginRequiredMixin, View):
    """Exactly the records the list shows for the same filters and sort order, as a workbook."""

    kind: Kind = CARRIERS

    def get(self, request):
        queryset = self.kind.model.objects.restrict(request.user, Action.VIEW).defer(*LIGHT)
        filterset = self.kind.filterset(request.GET or None, queryset=queryset, request=request)
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        table = self.kind.table
        queryset = table.prepare(queryset, table.sort_key(request.GET.get("sort")))
        queryset = queryset.defer(*(f"{name}__boundary" for name in self.kind.related))
        wb = excel.export_workbook(
            queryset.iterator(chunk_size=2000), self.kind.columns, self.kind.model._meta.verbose_name_plural
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return excel.workbook_response(wb, f"{self.kind.model._meta.verbose_name_plural}-{stamp}.xlsx")


class TemplateDownloadView(LoginRequiredMixin, View):
    kind: Kind = CARRIERS

    def get(self, request):
        examples = [self.kind.example] if self.kind.example else []
        name = self.kind.model._meta.verbose_name_plural
        wb = excel.template_workbook(self.kind.columns, examples, title=name)
        return excel.workbook_response(wb, excel.template_filename(name))


class ListingImportView(excel.ImportView):
    kind: Kind = CARRIERS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.importer_class = self.kind.importer
        self.list_url_name = self.kind.url("list")
        self.template_url_name = self.kind.url("template")


def routes(kind: Kind, segment: str) -> list:
    common = {"model": kind.model, "kind": kind}
    return [
        path(
            f"work/{segment}/",
            ListingListView.as_view(
                **common, filterset_class=kind.filterset, table=kind.table, add_url_name=kind.url("add")
            ),
            name=f"staff-{kind.prefix}-list",
        ),
        path(
            f"work/{segment}/add/",
            ListingCreateView.as_view(**common, form_class=kind.form),
            name=f"staff-{kind.prefix}-add",
        ),
        path(
            f"work/{segment}/export.xlsx",
            ExportView.as_view(kind=kind),
            name=f"staff-{kind.prefix}-export",
        ),
        path(
            f"work/{segment}/template.xlsx",
            TemplateDownloadView.as_view(kind=kind),
            name=f"staff-{kind.prefix}-template",
        ),
        path(f"work/{segment}/import/", ListingImportView.as_view(kind=kind), name=f"staff-{kind.prefix}-import"),
        path(
            f"work/{segment}/<int:pk>/",
            ListingDetailView.as_view(**common, template_name=f"portal/staff_{kind.prefix}_detail.html"),
            name=f"staff-{kind.prefix}-detail",
        ),
        path(
            f"work/{segment}/<int:pk>/edit/",
            ListingUpdateView.as_view(**common, form_class=kind.form),
            name=f"staff-{kind.prefix}-edit",
        ),
        path(
            f"work/{segment}/<int:pk>/delete/",
            ListingDeleteView.as_view(**common),
            name=f"staff-{kind.prefix}-delete",
        ),
        path(f"work/{segment}/<int:pk>/verify/", VerifyView.as_view(kind=kind), name=f"staff-{kind.prefix}-verify"),
    ]


urlpatterns: list = [*routes(CARRIERS, "sites"), *routes(PARKS, "parks")]
