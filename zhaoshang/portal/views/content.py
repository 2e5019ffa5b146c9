"""Portal views: staff keep the landing guides (如何落) and the policies investors read, under /work/.

Every member of staff reads them; the centre keeps the guides, and policies are kept by the centre, by a
district bureau for its district and by a park's team for its park (``Policy.scope_q``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.choices import Action
from zhaoshang.core.models import ConflictError
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectCreateView, ObjectDeleteView, ObjectListView, ObjectUpdateView

from ..filtersets import GuideFilterSet, StaffPolicyFilterSet
from ..forms.content import GuideForm, GuideStepFormSet, PolicyForm
from ..models import Guide, Policy
from ..services.guides import save_guide
from ..tables import GUIDE_TABLE, POLICY_TABLE

CONFLICT = gettext_lazy(
    "Someone else changed this guide after you opened it. Nothing was saved: "
    "reload the page to see their change, then make yours again."
)


class PolicyEditMixin:
    def get_success_url(self):
        return reverse("portal:staff-policy-list")


class PolicyCreateView(PolicyEditMixin, ObjectCreateView):
    pass


class PolicyUpdateView(PolicyEditMixin, ObjectUpdateView):
    pass


class PolicyDeleteView(PolicyEditMixin, ObjectDeleteView):
    pass


@login_required
def guide_edit(request, pk=None):
    """A guide and its steps on one page (a new guide when ``pk`` is None)."""
    guide = None
    if pk is not None:
        guide = get_object_or_404(Guide.objects.restrict(request.user, Action.VIEW), pk=pk)
        if not can(request.user, guide, Action.CHANGE):
            raise PermissionDenied
    elif not Guide.can_add(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = GuideForm(data, instance=guide, user=request.user)
    formset = GuideStepFormSet(data, instance=guide or Guide(), prefix="steps")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            guide = save_guide(form, formset)
        except ConflictError:
            form.add_error(None, CONFLICT)
        else:
            messages.success(request, _("Saved %(object)s.") % {"object": guide})
            return redirect("portal:staff-guide-list")
    return render(request, "portal/staff_guide_form.html", {"form": form, "formset": formset, "object": guide})


urlpatterns = [
    path(
        "work/policies/",
        ObjectListView.as_view(
            model=Policy,
            filterset_class=StaffPolicyFilterSet,
            table=POLICY_TABLE,
            add_url_name="portal:staff-policy-add",
        ),
        name="staff-policy-list",
    ),
    path("work/policies/add/", PolicyCreateView.as_view(model=Policy, form_class=PolicyForm), name="staff-policy-add"),
    path(
        "work/policies/<int:pk>/edit/",
        PolicyUpdateView.as_view(model=Policy, form_class=PolicyForm),
        name="staff-policy-edit",
    ),
    path("work/policies/<int:pk>/delete/", PolicyDeleteView.as_view(model=Policy), name="staff-policy-delete"),
    path(
        "work/guides/",
        ObjectListView.as_view(
            model=Guide, filterset_class=GuideFilterSet, table=GUIDE_TABLE, add_url_name="portal:staff-guide-add"
        ),
        name="staff-guide-list",
    ),
    path("work/guides/add/", guide_edit, name="staff-guide-add"),
    path("work/guides/<int:pk>/edit/", guide_edit, name="staff-guide-edit"),
]
