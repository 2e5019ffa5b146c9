"""The leaders' dashboard and the monthly report (工作通报): the live report of any month for the user's scope, its
downloads, publishing, and the published (frozen) reports. Thin views: ``stats.dashboard`` and ``stats.reports``
compute."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core import documents
from zhaoshang.core.choices import Action

from . import periods, reports
from .dashboard import dashboard as dashboard_data
from .forms import ReportPublishForm
from .models import Report, report_publisher
from .periods import Period
from .services import scope_name


def _month(request) -> tuple[int, int]:
    """``?month=YYYY-MM`` (default: the last complete month); 404 for anything else."""
    value = request.GET.get("month") or request.POST.get("month")
    if not value:
        return reports.last_complete_month(timezone.localdate())
    try:
        year, month = (int(part) for part in value.split("-"))
    except ValueError:
        raise Http404 from None
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        raise Http404
    return year, month


def _scope_label(user) -> str:
    """What the user's figures cover, in the page language (全市 / the city, a district, the team)."""
    chinese, english = scope_name(user)
    return english if periods.english() else chinese


def _kind(kind: str) -> str:
    if kind not in documents.WRITERS:
        raise Http404
    return kind


@login_required
def report(request):
    year, month = _month(request)
    document = reports.monthly_report(year, month, request.user)
    published = Report.objects.restrict(request.user, Action.VIEW).only("pk", "year", "month", "issued_on")
    can_publish = report_publisher(request.user)
    return render(
        request,
        "stats/report.html",
        {
            "document": document,
            "month": f"{year}-{month:02d}",
            "scope_label": _scope_label(request.user),
            "published": published,
            "this_published": published.filter(year=year, month=month).first(),
            "can_publish": can_publish,
            "publish_form": ReportPublishForm(today=documents.local_day(timezone.now())) if can_publish else None,
            "kinds": list(documents.WRITERS),
        },
    )


@login_required
def report_download(request, kind: str):
    year, month = _month(request)
    document = reports.monthly_report(year, month, request.user)
    return documents.response(document, _kind(kind), f"{document.title} {year}-{month:02d}")


@login_required
@require_POST
def report_publish(request):
    year, month = _month(request)
    if not report_publisher(request.user):
        raise PermissionDenied
    back = f"{reverse('stats:report')}?month={year}-{month:02d}"
    form = ReportPublishForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
        return redirect(back)
    try:
        published = reports.publish(year, month, request.user, issued_on=form.cleaned_data["issued_on"])
    except reports.PublishError as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect(published)


def _published(request, pk: int) -> Report:
    return get_object_or_404(Report.objects.restrict(request.user, Action.VIEW), pk=pk)


@login_required
def report_published(request, pk: int):
    published = _published(request, pk)
    return render(
        request,
        "stats/report_published.html",
        {
            "report": published,
            "document": reports.frozen_document(published),
            "figures": reports.frozen_records(published),
            "kinds": list(documents.WRITERS),
        },
    )


@login_required
def report_published_download(request, pk: int, kind: str):
    published = _published(request, pk)
    document = reports.frozen_document(published)
    return documents.response(document, _kind(kind), f"{document.title} {published}")


# ---------------------------------------------------------------- the dashboard (驾驶舱)


def _period_choices(today) -> list[Period]:
    """This year's January-to-month periods up to the last complete month, then the three years before."""
    choices = [Period.cumulative(today.year, month) for month in range(today.month - 1, 0, -1)]
    return choices + [Period.whole_year(today.year - back) for back in (1, 2, 3)]


@login_required
def dashboard(request):
    """The leaders' dashboard of a period (``?period=``; default January to the last complete month), for the
    user's scope; ``?screen=1`` is the control-room layout (no menus, dark, refreshed every five minutes)."""
    today = timezone.localdate()
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else Period.default(today)
    except ValueError:
        raise Http404 from None
    choices = _period_choices(today)
    if period not in choices:
        choices.insert(0, period)
    return render(
        request,
        "stats/dashboard.html",
        {
            "data": dashboard_data(period, request.user),
            "periods": choices,
            "scope_label": _scope_label(request.user),
            "screen": request.GET.get("screen") == "1",
            "city_adcode": settings.ZHAOSHANG_CITY_ADCODE,
        },
    )
