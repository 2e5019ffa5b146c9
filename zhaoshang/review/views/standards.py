"""Standards kept as data: the versions (sets) with their thresholds, criteria and rejection items, the source
documents, the zones and the 2002 → 2017 code mapping. All staff read them; the centre's writing members and
administrators change them (CentreKeptMixin). A set a review has used is frozen: changing it answers 403 with the
offer of a new version."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.choices import Action
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectCreateView, ObjectDeleteView, ObjectUpdateView

from ..choices import Indicator, RejectionList
from ..forms.standards import (
    CodeMappingForm,
    CriterionForm,
    NewVersionForm,
    RejectionEntryForm,
    SourceDocumentForm,
    StandardSetForm,
    ThresholdForm,
    ZoneForm,
)
from ..models import CodeMapping, Criterion, RejectionEntry, SourceDocument, StandardSet, Threshold, Zone
from ..services.standards import is_frozen, new_version, review_count


class Frozen(Exception):
    def __init__(self, standard_set):
        self.standard_set = standard_set


def frozen_response(request, standard_set):
    """403: the set is used by reviews; the page offers a new version instead."""
    return render(
        request,
        "review/standard_frozen.html",
        {"standard_set": standard_set, "count": review_count(standard_set)},
        status=403,
    )


class FrozenRefusedMixin:
    """Refuse (403, with the offer of a new version) changes to a set a review has used, or to its records."""

    def standard_set_of(self, obj):
        return obj if isinstance(obj, StandardSet) else obj.standard_set

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        standard_set = self.standard_set_of(obj)
        if is_frozen(standard_set):
            raise Frozen(standard_set)
        return obj

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Frozen as frozen:
            return frozen_response(request, frozen.standard_set)


def _changeable_set(request, pk: int) -> StandardSet:
    """The set, 404 when unseen, 403 when the user may not change it."""
    standard_set = get_object_or_404(StandardSet.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not can(request.user, standard_set, Action.CHANGE):
        raise PermissionDenied
    return standard_set


# ---------------------------------------------------------------- sets


@login_required
def standard_list(request):
    sets = list(StandardSet.objects.restrict(request.user, Action.VIEW).annotate(uses=Count("reviews")))
    current = StandardSet.in_force(timezone.localdate())
    return render(
        request,
        "review/standard_list.html",
        {
            "sets": sets,
            "current": current,
            "can_add": StandardSet.can_add(request.user),
        },
    )


@login_required
def standard_detail(request, pk: int):
    standard_set = get_object_or_404(StandardSet.objects.restrict(request.user, Action.VIEW), pk=pk)
    thresholds = standard_set.thresholds.select_related("zone", "source")
    order = {value: index for index, value in enumerate(Indicator.values)}
    grouped = defaultdict(list)
    for threshold in thresholds:
        grouped[threshold.indicator].append(threshold)
    groups = [
        (Indicator(indicator).label, rows) for indicator, rows in sorted(grouped.items(), key=lambda i: order[i[0]])
    ]
    rejections = defaultdict(list)
    for entry in standard_set.rejections.select_related("source"):
        rejections[entry.list_kind].append(entry)
    criteria = list(standard_set.criteria.all())
    frozen = is_frozen(standard_set)
    return render(
        request,
        "review/standard_detail.html",
        {
            "object": standard_set,
            "groups": groups,
            "criteria": criteria,
            "criteria_total": sum(c.max_points for c in criteria),
            "rejection_groups": [(label, rejections.get(value, [])) for value, label in RejectionList.choices],
            "uses": review_count(standard_set),
            "frozen": frozen,
            "in_force": StandardSet.in_force(timezone.localdate()) == standard_set,
            "can_change": not frozen and can(request.user, standard_set, Action.CHANGE),
            "can_add": StandardSet.can_add(request.user),
        },
    )


class StandardSetCreateView(ObjectCreateView):
    model = StandardSet
    form_class = StandardSetForm


class StandardSetUpdateView(FrozenRefusedMixin, ObjectUpdateView):
    model = StandardSet
    form_class = StandardSetForm


@login_required
def standard_new_version(request, pk: int):
    """A new version from this one: the effective date asked, everything copied."""
    source = get_object_or_404(StandardSet.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not StandardSet.can_add(request.user):
        raise PermissionDenied
    form = NewVersionForm(request.POST or None, initial={"name": source.name, "name_en": source.name_en})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = new_version(source, data["effective_from"], data["name"], data["name_en"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("New version %(name)s created from %(source)s; it takes effect on %(date)s.")
                % {"name": created.display_name, "source": source, "date": created.effective_from.isoformat()},
            )
            return redirect(created.get_absolute_url())
    return render(request, "review/standard_new_version.html", {"form": form, "source": source})


# ---------------------------------------------------------------- a set's thresholds, criteria, rejection items


class SetItemCreateView(ObjectCreateView):
    """Add a record to a set (404 unseen set, 403 without the right to change it, 403 when frozen)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.standard_set = _changeable_set(request, kwargs["pk"])
        if is_frozen(self.standard_set):
            return frozen_response(request, self.standard_set)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["standard_set"] = self.standard_set
        return kwargs


class SetItemUpdateView(FrozenRefusedMixin, ObjectUpdateView):
    pass


class SetItemDeleteView(FrozenRefusedMixin, ObjectDeleteView):
    def get_success_url(self):
        return self.object.standard_set.get_absolute_url()


class ThresholdCreateView(SetItemCreateView):
    model = Threshold
    form_class = ThresholdForm


class ThresholdUpdateView(SetItemUpdateView):
    model = Threshold
    form_class = ThresholdForm


class ThresholdDeleteView(SetItemDeleteView):
    model = Threshold


class CriterionCreateView(SetItemCreateView):
    model = Criterion
    form_class = CriterionForm


class CriterionUpdateView(SetItemUpdateView):
    model = Criterion
    form_class = CriterionForm


class CriterionDeleteView(SetItemDeleteView):
    model = Criterion


class RejectionCreateView(SetItemCreateView):
    model = RejectionEntry
    form_class = RejectionEntryForm


class RejectionUpdateView(SetItemUpdateView):
    model = RejectionEntry
    form_class = RejectionEntryForm


class RejectionDeleteView(SetItemDeleteView):
    model = RejectionEntry


# ---------------------------------------------------------------- documents, zones, code mapping


@login_required
def source_list(request):
    documents = SourceDocument.objects.restrict(request.user, Action.VIEW)
    return render(
        request,
        "review/source_list.html",
        {"documents": documents, "can_add": SourceDocument.can_add(request.user)},
    )


@login_required
def source_detail(request, pk: int):
    document = get_object_or_404(SourceDocument.objects.restrict(request.user, Action.VIEW), pk=pk)
    thresholds = (
        Threshold.objects.restrict(request.user, Action.VIEW)
        .filter(source=document)
        .values("standard_set__pk", "standard_set__name", "standard_set__effective_from")
        .annotate(count=Count("pk"))
        .order_by("-standard_set__effective_from")
    )
    return render(
        request,
        "review/source_detail.html",
        {
            "object": document,
            "thresholds": thresholds,
            "rejections": RejectionEntry.objects.restrict(request.user, Action.VIEW)
            .filter(source=document)
            .select_related("standard_set"),
            "mappings": CodeMapping.objects.restrict(request.user, Action.VIEW).filter(source=document).count(),
            "can_change": can(request.user, document, Action.CHANGE),
        },
    )


class SourceCreateView(ObjectCreateView):
    model = SourceDocument
    form_class = SourceDocumentForm


class SourceUpdateView(ObjectUpdateView):
    model = SourceDocument
    form_class = SourceDocumentForm


@login_required
def zone_list(request):
    zones = Zone.objects.restrict(request.user, Action.VIEW).prefetch_related("parks", "regions")
    return render(
        request,
        "review/zone_list.html",
        {"zones": zones, "can_change": can_change_any(request.user, Zone)},
    )


class ZoneUpdateView(ObjectUpdateView):
    model = Zone
    form_class = ZoneForm

    def get_success_url(self):
        return reverse("review:zone-list")


@login_required
def mapping_list(request):
    mappings = CodeMapping.objects.restrict(request.user, Action.VIEW).select_related("source")
    return render(
        request,
        "review/mapping_list.html",
        {"mappings": mappings, "can_change": can_change_any(request.user, CodeMapping)},
    )


class CodeMappingUpdateView(ObjectUpdateView):
    model = CodeMapping
    form_class = CodeMappingForm

    def get_success_url(self):
        return reverse("review:mapping-list")


def can_change_any(user, model) -> bool:
    return model.objects.restrict(user, Action.CHANGE).exists()
