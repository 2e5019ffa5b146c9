"""The working-day calendar's pages: the years loaded and missing, a year as twelve month grids, and the
administrators' edits (a day, a year loaded from the package, a year entered by hand marked complete).

Every member of staff reads the calendar; only administrators change it (403 for anyone else). Each change is
recorded by the one audit path (``CalendarDay`` and ``CalendarYear`` are audited) and moves the calendar's
generation, so every clock counts from the new days at once.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import calendar_load, workdays
from .choices import Action
from .forms import CalendarDayForm
from .models import CalendarDay, CalendarYear
from .permissions import user_scope


def _require_admin(request) -> None:
    if not user_scope(request.user).is_admin:
        raise PermissionDenied


def _year_or_404(year: int) -> int:
    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        raise Http404
    return year


def warning_text(year: int) -> str:
    return _(
        "The official working days of %(year)s are not loaded: deadlines in %(year)s are counted Monday to Friday "
        "until they are. Load them from the working-day calendar page, or enter them there by hand once the State "
        "Council publishes them."
    ) % {"year": year}


def calendar_warning_panel(user, today: date | None = None) -> dict | None:
    """Home and "my work" panel for the centre's members and administrators: the year whose official days must be
    loaded now (from 1 November, next year), linking to the calendar page; None when there is none."""
    scope = user_scope(user)
    if not (scope.is_admin or scope.in_centre(Action.VIEW)):
        return None
    year = workdays.calendar_warning(today or timezone.localdate())
    if year is None:
        return None
    url = reverse("core:calendar")
    text = warning_text(year)
    return {
        "title": _("Working-day calendar"),
        "value": year,
        "note": text,
        "url": url,
        "warning": True,
        "count": None,
        "items": [{"label": text, "url": url, "late": True}],
    }


@dataclass(frozen=True)
class YearRow:
    year: int
    loaded: CalendarYear | None
    days_off: int
    moved: int

    @property
    def url(self) -> str:
        return reverse("core:calendar-year", args=[self.year])


def _year_rows() -> list[YearRow]:
    counts: dict[int, list[int]] = {}
    for day, working in CalendarDay.objects.values_list("date", "working"):
        entry = counts.setdefault(day.year, [0, 0])
        if not working:
            entry[0] += 1
        elif day.weekday() >= 5:
            entry[1] += 1
    loaded = {row.year: row for row in CalendarYear.objects.all()}
    years = sorted(set(loaded) | set(counts), reverse=True)
    return [YearRow(year, loaded.get(year), *counts.get(year, (0, 0))) for year in years]


@login_required
def calendar_overview(request):
    """The years loaded (source, days off, moved working days), years entered by hand not yet complete, the years
    the package publishes that are not loaded, and the warning when a year must be loaded now."""
    rows = _year_rows()
    loaded = {row.year for row in rows if row.loaded is not None}
    today = timezone.localdate()
    context = {
        "loaded_rows": [row for row in rows if row.loaded is not None],
        "partial_rows": [row for row in rows if row.loaded is None],
        "publishable": [year for year in calendar_load.published_years() if year not in loaded],
        "package": calendar_load.package_source(),
        "warning_year": workdays.calendar_warning(today),
        "this_year": today.year,
        "next_year": today.year + 1,
        "is_admin": user_scope(request.user).is_admin,
    }
    if context["warning_year"] is not None:
        context["warning"] = warning_text(context["warning_year"])
    return render(request, "core/calendar.html", context)


def _month_grid(year: int, month: int, days: dict[date, CalendarDay]) -> dict:
    weeks = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            entry = days.get(day)
            if entry is not None:
                kind = entry.kind
                name = entry.display_name
            else:
                kind = "working" if day.weekday() < 5 else "weekend"
                name = ""
            if kind == "holiday":
                text = _("holiday: %(name)s") % {"name": name} if name else _("holiday")
            elif kind == "moved":
                text = _("moved working day")
            elif kind == "weekend":
                text = _("weekend")
            else:
                text = name
            cells.append({"date": day, "kind": kind, "text": text, "day": entry})
        weeks.append(cells)
    return {"month": month, "weeks": weeks, "title": formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")}


@login_required
def calendar_year(request, year: int):
    """One year: twelve month grids (each day says in words what it is) and the list of its exception days."""
    year = _year_or_404(year)
    days = list(CalendarDay.objects.filter(date__year=year))
    by_date = {day.date: day for day in days}
    weekdays = [formats.date_format(date(2024, 1, 1 + i), "D") for i in range(7)]  # 2024-01-01 is a Monday
    return render(
        request,
        "core/calendar_year.html",
        {
            "year": year,
            "loaded": CalendarYear.objects.filter(year=year).first(),
            "months": [_month_grid(year, month, by_date) for month in range(1, 13)],
            "weekdays": weekdays,
            "days": days,
            "is_admin": user_scope(request.user).is_admin,
            "day_type": ContentType.objects.get_for_model(CalendarDay).pk,
            "published": year in calendar_load.published_years(),
            "previous_year": year - 1 if year > workdays.FIRST_YEAR else None,
            "following_year": year + 1 if year < workdays.LAST_YEAR else None,
        },
    )


def _source(request) -> str:
    return f"staff: {request.user.get_username()}"[:100]


@login_required
def calendar_day_add(request):
    """An administrator adds a day (a holiday, a moved working day) to the calendar."""
    _require_admin(request)
    initial = {}
    if request.method != "POST" and request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = CalendarDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            day = form.save(commit=False)
            day.source = _source(request)
            day.save()
        messages.success(request, _("Saved %(object)s.") % {"object": day})
        return redirect(day.get_absolute_url())
    return render(request, "core/calendar_day_form.html", {"form": form, "object": None})


@login_required
def calendar_day_edit(request, day: str):
    """An administrator changes a day of the calendar."""
    entry = _day_or_404(day)
    _require_admin(request)
    form = CalendarDayForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save(commit=False)
            if form.has_changed():
                entry.source = _source(request)
            entry.save()
        messages.success(request, _("Saved %(object)s.") % {"object": entry})
        return redirect(entry.get_absolute_url())
    return render(request, "core/calendar_day_form.html", {"form": form, "object": entry})


@login_required
def calendar_day_delete(request, day: str):
    """An administrator removes a day: it becomes an ordinary day again (working from Monday to Friday)."""
    entry = _day_or_404(day)
    _require_admin(request)
    if request.method == "POST":
        url = entry.get_absolute_url()
        name = str(entry)
        with transaction.atomic():
            entry.delete()
        messages.success(request, _("Deleted %(object)s.") % {"object": name})
        return redirect(url)
    return render(request, "core/object_confirm_delete.html", {"object": entry})


def _day_or_404(text: str) -> CalendarDay:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(CalendarDay, date=day)


@login_required
@require_POST
def calendar_load_year(request):
    """An administrator loads a year from the package; a year it does not publish is refused and nothing changes."""
    _require_admin(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Year: enter a year such as %(year)s.") % {"year": timezone.localdate().year + 1})
        return redirect("core:calendar")
    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        messages.error(
            request,
            _("Year: the calendar covers the years %(first)s to %(last)s.")
            % {"first": workdays.FIRST_YEAR, "last": workdays.LAST_YEAR},
        )
        return redirect("core:calendar")
    replace = request.POST.get("replace") == "on"
    if not replace and CalendarYear.objects.filter(year=year).exists():
        messages.error(
            request,
            _(
                "%(year)s is already loaded. Tick “replace” to load it again from the package (the days of "
                "%(year)s entered by hand are then replaced)."
            )
            % {"year": year},
        )
        return redirect("core:calendar-year", year)
    try:
        count = calendar_load.load_year(year, replace=True)
    except calendar_load.YearNotPublished:
        messages.error(
            request,
            _(
                "%(package)s does not publish %(year)s yet: nothing was loaded. Enter the days of %(year)s by hand "
                "once the State Council publishes them, then mark the year complete."
            )
            % {"package": calendar_load.package_source(), "year": year},
        )
        return redirect("core:calendar")
    messages.success(
        request,
        _("Loaded %(year)s from %(package)s: %(count)s days that differ from Monday to Friday.")
        % {"year": year, "package": calendar_load.package_source(), "count": count},
    )
    return redirect("core:calendar-year", year)


@login_required
def calendar_year_complete(request, year: int):
    """An administrator confirms that a year entered by hand holds all its official days: it is counted from the
    calendar from then on, no longer Monday to Friday."""
    year = _year_or_404(year)
    _require_admin(request)
    if request.method == "POST":
        with transaction.atomic():
            CalendarYear.objects.update_or_create(year=year, defaults={"source": _source(request)})
        messages.success(
            request,
            _("%(year)s is marked complete: every deadline in %(year)s is now counted from its days.") % {"year": year},
        )
        return redirect("core:calendar-year", year)
    return render(
        request,
        "core/calendar_complete.html",
        {
            "year": year,
            "days": CalendarDay.objects.filter(date__year=year),
            "loaded": CalendarYear.objects.filter(year=year).first(),
        },
    )
