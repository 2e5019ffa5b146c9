"""Per-mu evaluation pages: methods (kept by the centre), enterprise-year figures (import), runs, results (the
distribution, by district and by industry, the list of firms, each firm's score card) and the Excel export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhaoshang.core import excel
from zhaoshang.core.choices import Action
from zhaoshang.core.forms import BaseModelForm
from zhaoshang.core.permissions import can
from zhaoshang.core.views import ObjectUpdateView

from ..choices import PerMuClass, SizeClass
from ..models import EnterpriseYear, EvaluationMethod, EvaluationResult, EvaluationRun, MethodIndicator
from ..services import permu
from ..services.permu_import import PERMU_COLUMNS, PERMU_EXAMPLE, EnterpriseYearImporter, csv_as_workbook

PAGE_SIZE = 50


# --- methods --------------------------------------------------------------------------------------------------


@login_required
def method_list(request):
    methods = EvaluationMethod.objects.restrict(request.user, Action.VIEW).prefetch_related("indicators")
    return render(
        request,
        "review/permu/method_list.html",
        {"methods": methods, "can_start": EvaluationRun.can_add(request.user)},
    )


@login_required
def method_detail(request, pk: int):
    method = get_object_or_404(EvaluationMethod.objects.restrict(request.user, Action.VIEW), pk=pk)
    indicators = list(method.indicators.all())
    context = {
        "method": method,
        "indicators": indicators,
        "formula": " + ".join(f"{i.get_indicator_display()} ÷ {i.benchmark:g} × {i.weight:g}" for i in indicators),
        "can_change": can(request.user, method, Action.CHANGE),
    }
    return render(request, "review/permu/method_detail.html", context)


@login_required
@require_POST
def method_copy(request, pk: int):
    """The method re-set for another year (benchmarks are re-set every year): the copy opens to be edited."""
    method = get_object_or_404(EvaluationMethod.objects.restrict(request.user, Action.VIEW), pk=pk)
    if not EvaluationMethod.can_add(request.user):
        raise PermissionDenied
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year to evaluate (2000–2100)."))
        return redirect(method)
    year = form.cleaned_data["year"]
    if EvaluationMethod.objects.filter(year=year, size_class=method.size_class).exists():
        messages.error(request, _("There is already a method for this year and size class."))
        return redirect(method)
    copy = permu.copy_method(method, year)
    messages.success(request, _("Copied to %(year)s: set this year's benchmarks.") % {"year": year})
    return redirect(copy)


class MethodForm(BaseModelForm):
    class Meta:
        model = EvaluationMethod
        fields = ["name", "name_en", "share_a", "share_b", "share_c", "share_d", "source", "notes"]


class IndicatorForm(BaseModelForm):
    class Meta:
        model = MethodIndicator
        fields = ["benchmark", "weight", "cap_kind", "cap_value", "missing_rule", "sort"]


class MethodUpdateView(ObjectUpdateView):
    model = EvaluationMethod
    form_class = MethodForm


class IndicatorUpdateView(ObjectUpdateView):
    model = MethodIndicator
    form_class = IndicatorForm


# --- enterprise-year figures ------------------------------------------------------------------------------------


@login_required
def data_list(request):
    years = EnterpriseYear.objects.restrict(request.user, Action.VIEW)
    year = _int(request.GET.get("year"))
    if year:
        years = years.filter(year=year)
    page = Paginator(years.select_related("enterprise").order_by("-year", "enterprise__name", "pk"), PAGE_SIZE)
    return render(
        request,
        "review/permu/data_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "year": year,
            "can_import": EnterpriseYear.can_add(request.user),
        },
    )


class DataTemplateView(excel.TemplateView):
    model, columns, examples = EnterpriseYear, PERMU_COLUMNS, [PERMU_EXAMPLE]


class DataImportView(excel.ImportView):
    """The figures from a workbook, or from a CSV file (read as a workbook of the same rows)."""

    importer_class = EnterpriseYearImporter
    list_url_name = "review:permu-data-list"
    template_url_name = "review:permu-data-template"

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is not None and (upload.name or "").lower().endswith(".csv"):
            request.FILES["file"] = csv_as_workbook(upload)
        return super().post(request, *args, **kwargs)


# --- runs -------------------------------------------------------------------------------------------------------


class RunForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)


@login_required
def run_list(request):
    runs = EvaluationRun.objects.restrict(request.user, Action.VIEW).select_related("started_by")
    years = sorted(set(EvaluationMethod.objects.values_list("year", flat=True)), reverse=True)
    form = RunForm(initial={"year": years[0] if years else None})
    context = {"runs": runs[:100], "form": form, "can_start": EvaluationRun.can_add(request.user)}
    return render(request, "review/permu/run_list.html", context)


@login_required
@require_POST
def run_start(request):
    if not EvaluationRun.can_add(request.user):
        raise PermissionDenied
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year to evaluate (2000–2100)."))
        return redirect("review:permu-run-list")
    try:
        run = permu.run_evaluation(form.cleaned_data["year"], request.user)
    except permu.NoMethod as error:
        messages.error(request, str(error))
        return redirect("review:permu-run-list")
    messages.success(request, _("Evaluated %(count)d enterprises.") % {"count": run.graded + run.not_graded_count})
    return redirect(run)


@login_required
def run_detail(request, pk: int):
    run = get_object_or_404(EvaluationRun.objects.restrict(request.user, Action.VIEW), pk=pk)
    results = EvaluationResult.objects.restrict(request.user, Action.VIEW).filter(run=run)
    shown = permu.distribution(results)
    context = {
        "run": run,
        "distribution": shown,
        "by_district": permu.breakdown_by(
            results, "enterprise__hq_region__adcode", ("enterprise__hq_region__name", "enterprise__hq_region__name_en")
        ),
        "by_industry": permu.breakdown_by_division(results),
        "classes": [c for c in PerMuClass],
        "chart": {
            "labels": [str(label) for _c, label, _n in shown["classes"]],
            "counts": [n for _c, _label, n in shown["classes"]],
            "title": _("Enterprises"),
        },
    }
    return render(request, "review/permu/run_detail.html", context)


# --- results ----------------------------------------------------------------------------------------------------


class ResultFilter(forms.Form):
    run = forms.ModelChoiceField(label=gettext_lazy("Run"), queryset=EvaluationRun.objects.none(), required=False)
    grade = forms.ChoiceField(
        label=gettext_lazy("Class"), choices=[("", gettext_lazy("All"))] + PerMuClass.choices, required=False
    )
    size_class = forms.ChoiceField(
        label=gettext_lazy("Size class"), choices=[("", gettext_lazy("All"))] + SizeClass.choices, required=False
    )
    change = forms.ChoiceField(
        label=gettext_lazy("Class change"),
        choices=[("", gettext_lazy("All")), ("up", gettext_lazy("Up")), ("down", gettext_lazy("Down"))],
        required=False,
    )
    q = forms.CharField(label=gettext_lazy("Enterprise"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = EvaluationRun.objects.restrict(user, Action.VIEW)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )


def filtered_results(request):
    """The results the user may see of the chosen run (default: the latest), filtered as the form says."""
    form = ResultFilter(request.GET or None, user=request.user)
    run = None
    cleaned = form.cleaned_data if form.is_valid() else {}
    run = cleaned.get("run") or EvaluationRun.latest()
    results = EvaluationResult.objects.restrict(request.user, Action.VIEW).filter(run=run)
    if cleaned.get("grade"):
        results = results.filter(grade=cleaned["grade"])
    if cleaned.get("size_class"):
        results = results.filter(enterprise_year__size_class=cleaned["size_class"])
    if cleaned.get("q"):
        results = results.filter(enterprise__name__icontains=cleaned["q"])
    if cleaned.get("change") in ("up", "down"):  # classes are letters: A < B < C < D
        results = results.exclude(grade="").exclude(previous_grade="")
        if cleaned["change"] == "up":
            results = results.filter(grade__lt=F("previous_grade"))
        else:
            results = results.filter(grade__gt=F("previous_grade"))
    # rank order; equal ranks by credit code (none last), then record; the not graded last (services.permu)
    order = [
        "method",
        F("rank").asc(nulls_last=True),
        F("score").desc(nulls_last=True),
        F("enterprise__uscc").asc(nulls_last=True),
        "pk",
    ]
    results = results.select_related("enterprise", "enterprise__hq_region", "enterprise_year").order_by(*order)
    return form, run, results


@login_required
def result_list(request):
    form, run, results = filtered_results(request)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/permu/result_list.html",
        {"form": form, "run": run, "page": page, "query": query.urlencode()},
    )


@login_required
def result_detail(request, pk: int):
    result = get_object_or_404(
        EvaluationResult.objects.restrict(request.user, Action.VIEW).select_related(
            "run", "enterprise", "enterprise_year", "method"
        ),
        pk=pk,
    )
    return render(request, "review/permu/result_detail.html", {"result": result, "card": permu.score_card(result)})


def _change_text(result) -> str:
    if result.change is None:
        return ""
    return f"{result.change:+d}" if result.change else "0"


RESULT_COLUMNS = [
    excel.Column("uscc", gettext_lazy("Credit code"), getter=lambda r: r.enterprise.uscc, width=22),
    excel.Column("enterprise", gettext_lazy("Enterprise"), getter=lambda r: r.enterprise.name, width=30),
    excel.Column(
        "district",
        gettext_lazy("District"),
        getter=lambda r: r.enterprise.hq_region.name if r.enterprise.hq_region_id else None,
    ),
    excel.Column("year", gettext_lazy("Year")),
    excel.Column("size_class", gettext_lazy("Size class"), getter=lambda r: r.enterprise_year.get_size_class_display()),
    excel.Column("score", gettext_lazy("Score"), getter=lambda r: None if r.score is None else round(r.score, 2)),
    excel.Column("rank", gettext_lazy("Rank")),
    excel.Column("grade", gettext_lazy("Class")),
    excel.Column("previous_grade", gettext_lazy("Class last year")),
    excel.Column("change", gettext_lazy("Class change"), getter=_change_text),
    excel.Column("not_graded", gettext_lazy("Not graded because"), getter=lambda r: r.get_not_graded_display()),
]


@login_required
def result_export(request):
    _form, run, results = filtered_results(request)
    wb = excel.export_workbook(results, RESULT_COLUMNS, EvaluationResult._meta.verbose_name_plural)
    year = run.year if run else ""
    return excel.workbook_response(wb, f"{_('per-mu evaluation')}-{year}.xlsx")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
