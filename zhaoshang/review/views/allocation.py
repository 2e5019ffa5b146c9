"""The land allocation page (供地建议): a proposal of which admitted project gets which parcel, beside first come,
first served, with its Excel export. Nothing is saved. The centre and administrators only (others: 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import formatting
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import Column, export_workbook, sheet_title, sheet_value, workbook_response

from ..forms.allocation import AllocationForm
from ..models import SavedAllocation
from ..services import allocation


def proposal_columns() -> list[Column]:
    return [
        Column("project", _("Project"), getter=lambda r: r.applicant.label, width=36),
        Column("parcel", _("Parcel"), getter=lambda r: r.parcel.label, width=30),
        Column("need_mu", _("Need (mu)"), getter=lambda r: r.applicant.need_mu),
        Column("parcel_mu", _("Parcel area (mu)"), getter=lambda r: r.parcel.area_mu),
        Column("tax_per_mu", _("Expected tax per mu (10,000 yuan)"), getter=lambda r: r.applicant.tax_per_mu),
        Column("expected_tax", _("Expected tax of the land (10,000 yuan a year)"), getter=lambda r: r.expected_tax),
        Column("area", _("Area fit"), getter=lambda r: r.area_reason, width=30),
        Column("industry", _("Industry"), getter=lambda r: r.industry_reason, width=30),
        Column("zone", _("Zone"), getter=lambda r: r.zone_reason, width=36),
        Column("admission", _("Admission"), getter=lambda r: r.admission_reason, width=24),
        Column("decided_on", _("Decided on"), getter=lambda r: r.applicant.decided_on),
    ]


def left_columns() -> list[Column]:
    return [
        Column("project", _("Project"), getter=lambda left: left.applicant.label, width=36),
        Column("need_mu", _("Need (mu)"), getter=lambda left: left.applicant.need_mu),
        Column("tax_per_mu", _("Expected tax per mu (10,000 yuan)"), getter=lambda left: left.applicant.tax_per_mu),
        Column("cause", _("Cause"), getter=lambda left: left.cause_label, width=24),
        Column("reason", _("Reason"), getter=lambda left: left.reason, width=60),
    ]


def export(proposal):
    wb = export_workbook(proposal.rows, proposal_columns(), _("Land allocation proposal"))
    ws = wb.create_sheet(sheet_title(_("Projects without land")))
    columns = left_columns()
    ws.append([sheet_value(ws, str(c.header)) for c in columns])
    for left in proposal.left:
        ws.append([sheet_value(ws, c.export_value(left)) for c in columns])
    ws = wb.create_sheet(sheet_title(_("Totals")))
    for label, value in totals(proposal):
        ws.append([sheet_value(ws, str(label)), value])
    name = _("land-allocation-%(day)s") % {"day": timezone.localdate().isoformat()}
    return workbook_response(wb, name)


def totals(proposal) -> list[tuple[str, object]]:
    return [
        (_("Expected tax of the proposal (10,000 yuan a year)"), proposal.objective),
        (_("Expected tax first come, first served (10,000 yuan a year)"), proposal.baseline_objective),
        (_("Gain (10,000 yuan a year)"), proposal.gain),
        (_("Gain (%)"), proposal.gain_percent),
        (_("Upper bound (LP relaxation, 10,000 yuan a year)"), round(proposal.bound, 2)),
        (_("Optimality gap (%)"), round(proposal.gap * 100, 4)),
    ]


@login_required
def allocation_page(request):
    if not allocation.allocation_readable(request.user):
        raise PermissionDenied
    form = AllocationForm(request.GET or None, user=request.user)
    proposal = None
    if not form.is_bound or form.is_valid():
        instance = allocation.load_instance(request.user, **form.parameters())
        proposal = allocation.propose(instance)
        if request.GET.get("export") == "xlsx":
            return export(proposal)
    context = {"form": form, "proposal": proposal}
    if proposal is not None:
        context.update(
            objective=formatting.money(proposal.objective),
            baseline=formatting.money(proposal.baseline_objective),
            gain=formatting.money(proposal.gain),
            gain_percent=formatting.number(proposal.gain_percent, 1) if proposal.gain_percent is not None else "—",
            bound=formatting.money(proposal.bound),
            gap=formatting.number(proposal.gap * 100, 4),
            allocated=formatting.mu(proposal.allocated_mu),
            query_string=request.GET.urlencode(),
            tables=allocation.proposal_tables(proposal),
        )
    context["saved"] = SavedAllocation.objects.restrict(request.user, Action.VIEW)[:10]
    context["can_save"] = SavedAllocation.can_add(request.user)
    return render(request, "review/allocation/proposal.html", context)


@login_required
@require_POST
def allocation_save(request):
    """Keep the proposal of the page's parameters (in the address) as a record; the projects are not changed."""
    if not allocation.allocation_readable(request.user) or not SavedAllocation.can_add(request.user):
        raise PermissionDenied
    form = AllocationForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The parameters are not valid; nothing was saved."))
        return redirect("review:allocation")
    parameters = form.parameters()
    instance = allocation.load_instance(request.user, **parameters)
    proposal = allocation.propose(instance)
    title = _("Land allocation of %(day)s") % {"day": formatting.day(timezone.localdate())}
    with transaction.atomic():
        record = allocation.save_proposal(
            proposal, request.user, title=title, districts=parameters["districts"], parks=parameters["parks"]
        )
    messages.success(request, _("The proposal is saved; the projects are not changed."))
    return redirect(record)


@login_required
def allocation_record(request, pk: int):
    if not allocation.allocation_readable(request.user):
        raise PermissionDenied
    record = get_object_or_404(SavedAllocation.objects.restrict(request.user, Action.VIEW), pk=pk)
    return render(request, "review/allocation/record.html", {"record": record})
