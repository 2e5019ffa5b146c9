"""Portal views: inquiries — the investor's form (page and htmx fragment), thanks, the staff inbox and detail.

Thin views: routing, the clock, statistics and the rate limit live in ``portal.services.inquiries``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhaoshang.core import personal
from zhaoshang.core.choices import Action
from zhaoshang.core.ids import parse_id
from zhaoshang.core.permissions import can
from zhaoshang.core.views import history_url, is_fragment
from zhaoshang.geo.models import Carrier, Park
from zhaoshang.projects.models import Project

from ..forms.inquiries import DismissForm, InquiryFilterSet, InquiryForm, ResponseForm
from ..models import Inquiry, Proposal
from ..services import inquiries as service

logger = logging.getLogger(__name__)

TARGETS = ("carrier", "park", "proposal")


def find_target(request) -> dict:
    """The site, park or proposal named by the request (form data first, then the address), as the
    requester may see it: a hidden or unknown listing is 404, so nobody can attach an inquiry to it."""
    data = request.POST if request.method == "POST" else request.GET
    for name in TARGETS:
        value = (data.get(name) or request.GET.get(name) or "").strip()
        if not value:
            continue
        if name == "proposal":
            queryset, lookup = Proposal.objects.restrict(request.user, Action.VIEW), {"token": value}
        else:
            pk = parse_id(value)
            if pk is None:
                raise Http404
            model = Carrier if name == "carrier" else Park
            queryset = model.objects.restrict(request.user, Action.VIEW).select_related("team", "region")
            if name == "carrier":
                queryset = queryset.select_related("park__team")
            lookup = {"pk": pk}
        return {name: get_object_or_404(queryset, **lookup)}
    return {}


def _context(request, form, target: dict, **extra) -> dict:
    name, obj = next(iter(target.items()), (None, None))
    value = (obj.token if name == "proposal" else obj.pk) if obj is not None else None
    return {
        "inquiry_form": form,
        "target_name": name,
        "target_value": value,
        "target": obj,
        name or "target": obj,
        "response_days": settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS,
        "retention_days": settings.ZHAOSHANG_INQUIRY_RETENTION_DAYS,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def inquire(request):
    """The inquiry form: a page of its own, or (with htmx) the fragment swapped in place on a listing page.

    POST: rate limit first (429, nothing saved, what was typed shown again); the honeypot answers like
    a success and saves nothing; an invalid form comes back with every value; a valid one is saved and
    the investor thanked (the page redirects, the fragment shows the thanks in place).
    """
    target = find_target(request)
    fragment = is_fragment(request)
    if request.method == "GET":
        context = _context(request, InquiryForm(), target)
        template = "portal/_inquiry_form.html" if fragment else "portal/inquiry_form.html"
        return render(request, template, context)

    allowed, wait = service.allow_submission(request)
    if not allowed:
        typed = InquiryForm(data=request.POST).typed_values()
        retry_minutes = -(-wait // 60) if wait else None
        context = _context(request, InquiryForm(initial=typed), target, rate_limited=True, retry_minutes=retry_minutes)
        template = "portal/_inquiry_form.html" if fragment else "portal/rate_limited.html"
        response = render(request, template, context, status=429)
        if wait:
            response["Retry-After"] = str(wait)
        return response

    form = InquiryForm(data=request.POST)
    if form.is_spam:
        logger.info("inquiry honeypot filled from %s: nothing saved", request.META.get("REMOTE_ADDR"))
        return _thanks(request, target, fragment)
    if form.is_valid():
        try:
            service.submit_inquiry(form.cleaned_data, **target, language=get_language())
        except service.NoTeamError:
            form.add_error(None, _("Inquiries cannot be received at the moment. Please call or write to us instead."))
        else:
            return _thanks(request, target, fragment)
    template = "portal/_inquiry_form.html" if fragment else "portal/inquiry_form.html"
    return render(request, template, _context(request, form, target))


def _thanks(request, target, fragment):
    if fragment:
        return render(request, "portal/_inquiry_form.html", _context(request, None, target, sent=True))
    return redirect("portal:inquiry-thanks")


def inquiry_thanks(request):
    return render(request, "portal/inquiry_thanks.html", {"response_days": settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS})


# ---------------------------------------------------------------- the staff inbox


@login_required
def inquiry_inbox(request):
    """Inquiries the user may see, newest first, with their response clocks and each team's figures."""
    now = timezone.now()
    visible = Inquiry.objects.restrict(request.user, Action.VIEW)
    filterset = InquiryFilterSet(request.GET, queryset=visible, request=request)
    queryset = filterset.qs.select_related("team", "carrier", "park", "proposal", "region").order_by("-created", "-pk")
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    page.object_list = personal.mask(page.object_list, request.user)
    for inquiry in page.object_list:
        inquiry.clock = service.clock(inquiry, now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page_obj": page,
        "inquiries": page.object_list,
        "query_string": query.urlencode(),
        "stats": service.response_stats(visible, now),
        "overdue_count": visible.filter(service.overdue_q(now)).count(),
        "open_count": visible.filter(service.open_q()).count(),
        "pending_count": visible.filter(service.pending_q()).count(),
        "response_days": settings.ZHAOSHANG_INQUIRY_RESPONSE_DAYS,
    }
    # htmx filtering takes the list out of the whole page (hx-select): one template, one URL.
    return render(request, "portal/inquiry_inbox.html", context)


def _visible_inquiry(request, pk: int) -> Inquiry:
    """The inquiry if the user may read it, else 404 (its personal data are masked where the page shows it)."""
    return get_object_or_404(
        Inquiry.objects.restrict(request.user, Action.VIEW).select_related(
            "team", "carrier", "park", "proposal", "region", "responded_by", "accepted_by", "dismissed_by"
        ),
        pk=pk,
    )


def _detail(request, inquiry: Inquiry, *, form=None, dismiss_form=None, status=200):
    others = (
        Inquiry.objects.restrict(request.user, Action.VIEW)
        .filter(Q(company=inquiry.company) | (Q(email=inquiry.email) & ~Q(email="")))
        .exclude(pk=inquiry.pk)
        .order_by("-created")[:5]
    )
    inquiry = personal.mask_one(inquiry, request.user)
    return render(
        request,
        "portal/inquiry_detail.html",
        {
            "object": inquiry,
            "inquiry": inquiry,
            "clock": service.clock(inquiry),
            "can_change": can(request.user, inquiry, Action.CHANGE),
            "form": form or ResponseForm(),
            "dismiss_form": dismiss_form or DismissForm(),
            "history_url": history_url(inquiry),
            "lead": Project.objects.restrict(request.user, Action.VIEW).filter(pk=inquiry.lead_id).first()
            if inquiry.lead_id
            else None,
            "others_from_company": personal.mask(others, request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_detail(request, pk: int):
    """One inquiry: the investor's needs, what it is about, its clock; for those who may change it, the response
    form and (while it waits) the buttons that accept or dismiss it.

    Outside the user's scope: 404. Visible but not writable (a leader): the page reads, a POST is 403.
    """
    inquiry = _visible_inquiry(request, pk)
    if request.method == "POST":
        if not can(request.user, inquiry, Action.CHANGE):
            raise PermissionDenied
        form = ResponseForm(request.POST)
        if form.is_valid():
            first = service.record_first_response(inquiry, request.user, form.cleaned_data["note"])
            if first:
                messages.success(request, _("First response recorded: the clock has stopped."))
            else:
                messages.info(request, _("Note added. The first response was recorded before; its time stays."))
            return redirect(inquiry.get_absolute_url())
        return _detail(request, inquiry, form=form)
    return _detail(request, inquiry)


@login_required
@require_http_methods(["POST"])
def inquiry_accept(request, pk: int):
    """Accept the inquiry: its lead opens in the pipeline (owned by the inquiry's team) and the page links it."""
    inquiry = _visible_inquiry(request, pk)
    try:
        lead = service.accept_inquiry(inquiry, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Inquiry accepted: the lead “%(lead)s” is in the pipeline.") % {"lead": lead})
    return redirect(inquiry.get_absolute_url())


@login_required
@require_http_methods(["POST"])
def inquiry_dismiss(request, pk: int):
    """Dismiss the inquiry as spam or not relevant, with a reason; it is kept and opens no lead."""
    inquiry = _visible_inquiry(request, pk)
    if not can(request.user, inquiry, Action.CHANGE):
        raise PermissionDenied
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            service.dismiss_inquiry(inquiry, request.user, form.cleaned_data["grounds"], form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Inquiry dismissed. It is kept, with your reason, and opens no lead."))
        return redirect(inquiry.get_absolute_url())
    return _detail(request, inquiry, dismiss_form=form, status=400)


urlpatterns = [
    path("inquire/", inquire, name="inquire"),
    path("inquire/thanks/", inquiry_thanks, name="inquiry-thanks"),
    path("work/inquiries/", inquiry_inbox, name="inquiry-inbox"),
    path("work/inquiries/<int:pk>/", inquiry_detail, name="inquiry-detail"),
    path("work/inquiries/<int:pk>/accept/", inquiry_accept, name="inquiry-accept"),
    path("work/inquiries/<int:pk>/dismiss/", inquiry_dismiss, name="inquiry-dismiss"),
]
