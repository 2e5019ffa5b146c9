"""Base FilterSet: one per model, shared by the list page, the API and exports."""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import search
from .choices import Action
from .forms import ANY_CHOICE, label_empty_choices, make_searchable, widget_css
from .permissions import access_q, is_everything
from .personal import personal_fields
from .widgets import lighten


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several records chosen by a text key (``?tag=listed&tag=foreign``), any of them matching."""


@extend_schema_field(OpenApiTypes.INT)
class RestrictedChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its id, among those the caller may see (``Model.objects.restrict``): a record they may
    not see is refused exactly like one that does not exist, so a filter never tells that it exists."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = getattr(request, "user", None) or AnonymousUser()
        visible = queryset.model.objects.restrict(user, Action.VIEW)
        return queryset.filter(pk__in=visible.values("pk"))


class BaseFilterSet(django_filters.FilterSet):
    """A filter set whose empty choices read "Any" in the page's language, with Tabler's classes; its long selects
    and multiple choices can be searched by typing; its choice widgets render without a template per option."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self.form.fields.values(), ANY_CHOICE)
        make_searchable(self.form.fields.values())
        lighten(self.form.fields.values())
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", widget_css(f.widget))


class SearchFilterSet(BaseFilterSet):
    """Adds ``q``: Chinese full-text search on ``search_text`` when the model has it, else substring search.

    ``search`` is the same search under the name API clients expect (DRF's convention); the pages keep ``q`` and
    carry a ``search`` a link brought as a hidden field, so a link with either name filters the same way."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    search = django_filters.CharFilter(label=_("Search"), method="filter_search", widget=forms.HiddenInput)

    def filter_search(self, queryset, name, value):
        if any(f.name == "search_text" for f in queryset.model._meta.fields):
            q = search.query_q(value)
            return queryset.filter(q) if q is not None else queryset
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        terms = [q for f in self.search_fields if (q := self._term(queryset.model, f, value)) is not None]
        return queryset.filter(reduce(or_, terms)) if terms else queryset.none()

    def _term(self, model, field: str, value: str) -> Q | None:
        """A search term on ``field``; on a personal field (core.personal), only among the records whose personal
        data the caller may read — a search never tells whose phone or e-mail a record holds."""
        q = Q(**{f"{field}__icontains": value})
        if field not in personal_fields(model):
            return q
        user = getattr(self.request, "user", None) or AnonymousUser()
        allowed = access_q(model, user, Action.PERSONAL)
        if allowed is None:
            return None
        return q if is_everything(allowed) else q & allowed
