"""Portal views: photos and documents of parks and sites, and the location facts staff keep.

Files are kept in private storage and served here only: a photo, thumbnail or document is found among the
records the caller may read (``restrict``), which follow their listing's — the public reads the files of the
listings the public reads, anything else is 404. Staff who may change a listing add and delete its files (403 for
those who only read it); facts are kept on their own staff pages (the centre for districts, a park's keepers for
the park).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from zhaoshang.core import conflicts
from zhaoshang.core.choices import Action
from zhaoshang.core.conflicts import ConflictError, atomic_write
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectCreateView, ObjectDeleteView, ObjectListView, ObjectUpdateView
from zhaoshang.geo import services
from zhaoshang.geo.filtersets import LocationFactFilterSet
from zhaoshang.geo.forms import ListingDocumentForm, LocationFactForm, PhotoEditForm, PhotoForm
from zhaoshang.geo.models import Carrier, ListingDocument, ListingPhoto, LocationFact, Park
from zhaoshang.geo.tables import FACT_TABLE

# ---------------------------------------------------------------- serving the files


def _served(record, field: str, attachment: bool = False):
    file = getattr(record, field)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=attachment, filename=file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, max-age=600"  # a listing taken off the public map stops being served
    return response


def photo(request, pk: int):
    return _served(get_object_or_404(ListingPhoto.objects.restrict(request.user, Action.VIEW), pk=pk), "image")


def photo_thumbnail(request, pk: int):
    return _served(get_object_or_404(ListingPhoto.objects.restrict(request.user, Action.VIEW), pk=pk), "thumbnail")


def listing_document(request, pk: int):
    return _served(get_object_or_404(ListingDocument.objects.restrict(request.user, Action.VIEW), pk=pk), "file")


# ---------------------------------------------------------------- staff: upload and delete

LISTINGS = {"carrier": Carrier, "park": Park}


def _changeable_listing(request, model, pk):
    """The listing among those the user reads (404 otherwise), if they may change it (403 otherwise)."""
    listing = get_object_or_404(
        model.objects.restrict(request.user, Action.VIEW).defer("boundary", "search_text"), pk=pk
    )
    if not can(request.user, listing, Action.CHANGE):
        raise PermissionDenied
    return listing


def _staff_url(listing) -> str:
    prefix = "carrier" if isinstance(listing, Carrier) else "park"
    return reverse(f"portal:staff-{prefix}-detail", args=[listing.pk])


def _upload(request, pk, model, form_class, what):
    listing = _changeable_listing(request, model, pk)
    field = "carrier" if model is Carrier else "park"
    form = form_class(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        instance=form_class._meta.model(**{field: listing}),
    )
    if request.method == "POST" and form.is_valid():
        record = form.instance
        services.add_media(record)
        messages.success(request, _("Added %(object)s.") % {"object": record})
        return redirect(_staff_url(listing))
    return render(
        request,
        "portal/staff_media_form.html",
        {"form": form, "listing": listing, "what": what, "back_url": _staff_url(listing)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def carrier_photo_add(request, pk):
    return _upload(request, pk, Carrier, PhotoForm, _("Add a photo"))


@login_required
def park_photo_add(request, pk):
    return _upload(request, pk, Park, PhotoForm, _("Add a photo"))


@login_required
def carrier_document_add(request, pk):
    return _upload(request, pk, Carrier, ListingDocumentForm, _("Add a document"))


@login_required
def park_document_add(request, pk):
    return _upload(request, pk, Park, ListingDocumentForm, _("Add a document"))


class PhotoUpdateView(ObjectUpdateView):
    """Change a photo's descriptions, order or cover, for those who may change its listing (403 for readers)."""

    model = ListingPhoto
    form_class = PhotoEditForm

    def form_valid(self, form):
        try:
            with atomic_write(form.instance):
                services.save_photo(form.instance)
        except ConflictError:
            form.add_error(None, conflicts.PAGE_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(object)s.") % {"object": form.instance})
        return redirect(_staff_url(form.instance.listing))


class MediaDeleteView(ObjectDeleteView):
    """Delete a photo or document (and its files) of a listing the user may change."""

    def get_success_url(self):
        return _staff_url(self.object.listing)

    def form_valid(self, form):
        listing = self.object.listing
        name = str(self.object)
        services.delete_media(self.object)
        messages.success(self.request, _("Deleted %(object)s.") % {"object": name})
        return redirect(_staff_url(listing))


# ---------------------------------------------------------------- staff: location facts


class FactListView(ObjectListView):
    model = LocationFact
    filterset_class = LocationFactFilterSet
    table = FACT_TABLE
    add_url_name = "portal:staff-fact-add"


class FactCreateView(ObjectCreateView):
    model = LocationFact
    form_class = LocationFactForm

    def get_initial(self):
        initial = super().get_initial()
        for name in ("park", "region"):
            if self.request.GET.get(name, "").isdigit():
                initial[name] = self.request.GET[name]
        return initial

    def get_success_url(self):
        return reverse("portal:staff-fact-list")


class FactUpdateView(ObjectUpdateView):
    model = LocationFact
    form_class = LocationFactForm

    def get_success_url(self):
        return reverse("portal:staff-fact-list")


class FactDeleteView(ObjectDeleteView):
    model = LocationFact

    def get_success_url(self):
        return reverse("portal:staff-fact-list")


urlpatterns = [
    path("files/photos/<int:pk>/", photo, name="photo"),
    path("files/photos/<int:pk>/thumbnail/", photo_thumbnail, name="photo-thumbnail"),
    path("files/documents/<int:pk>/", listing_document, name="listing-document"),
    path("work/sites/<int:pk>/photos/add/", carrier_photo_add, name="staff-carrier-photo-add"),
    path("work/parks/<int:pk>/photos/add/", park_photo_add, name="staff-park-photo-add"),
    path("work/sites/<int:pk>/documents/add/", carrier_document_add, name="staff-carrier-document-add"),
    path("work/parks/<int:pk>/documents/add/", park_document_add, name="staff-park-document-add"),
    path("work/photos/<int:pk>/edit/", PhotoUpdateView.as_view(), name="staff-photo-edit"),
    path(
        "work/photos/<int:pk>/delete/",
        MediaDeleteView.as_view(model=ListingPhoto),
        name="staff-photo-delete",
    ),
    path(
        "work/listing-documents/<int:pk>/delete/",
        MediaDeleteView.as_view(model=ListingDocument),
        name="staff-listing-document-delete",
    ),
    path("work/facts/", FactListView.as_view(), name="staff-fact-list"),
    path("work/facts/add/", FactCreateView.as_view(), name="staff-fact-add"),
    path("work/facts/<int:pk>/edit/", FactUpdateView.as_view(), name="staff-fact-edit"),
    path("work/facts/<int:pk>/delete/", FactDeleteView.as_view(), name="staff-fact-delete"),
]
