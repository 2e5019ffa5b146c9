"""Portal views: a person's request about their personal data (administrators only). Logic: services.privacy."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhaoshang.core.permissions import user_scope

from ..forms.privacy import PersonDataForm
from ..services import privacy as service


@login_required
@require_http_methods(["GET", "POST"])
def personal_data(request):
    """Find one person's data by phone, email or name; download it as JSON, or erase it (confirmed)."""
    if not user_scope(request.user).is_admin:
        raise PermissionDenied
    form = PersonDataForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "erase":
                if not form.cleaned_data["confirm_erase"]:
                    form.add_error("confirm_erase", _("Confirm the erasure first."))
                else:
                    found = service.erase_person(request.user, **form.criteria())
                    messages.success(
                        request,
                        _("Erased: %(inquiries)d inquiries and %(contacts)d contacts.")
                        % {"inquiries": len(found.inquiries), "contacts": found.contact_count},
                    )
                    form = PersonDataForm()
            else:
                data = service.export_person(request.user, **form.criteria())
                response = HttpResponse(
                    json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
                return response
        except ValidationError as error:
            form.add_error(None, error)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "portal/personal_data.html", {"form": form}, status=status)


urlpatterns = [
    path("work/personal-data/", personal_data, name="personal-data"),
]
