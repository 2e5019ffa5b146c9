"""Pages of enterprise requests: the enterprise's submission and its own requests, the officers' entry, the
department queue, the list with its export, a request's page with its steps, the figures, and the centre's
categories and time-limit policies."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core.models import Clock
from zhaoshang.core.personal import mask, mask_one
from zhaoshang.core.views import ObjectCreateView, ObjectListView, ObjectUpdateView

from ..choices import REQUEST_OPEN, RequestState, SendBackDecision
from ..filtersets import EnterpriseRequestFilterSet, RequestCategoryFilterSet, ServicePolicyFilterSet
from ..forms.requests import (
    AccountForm,
    AnswerForm,
    ArbitrateForm,
    NoteForm,
    RatingForm,
    RequestCategoryForm,
    RequestEntryForm,
    RequestSubmitForm,
    SendBackForm,
    ServicePolicyForm,
    SupervisorForm,
    TeamForm,
    TextForm,
    VisitForm,
)
from ..models.requests import EnterpriseAccount, EnterpriseRequest, RequestCategory, SendBack, ServicePolicy
from ..services import requests as services
from ..services.figures import request_figures
from ..tables import CATEGORY_TABLE, POLICY_TABLE

PER_PAGE = 25
RELATED = ("enterprise", "category", "department", "district", "officer")


def _staff_only(user) -> None:
    if not services.is_staff_user(user):
        raise PermissionDenied


def _report(request, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for errors in exc.message_dict.values():
            for message in errors:
                messages.error(request, message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _with_next_due(queryset):
    """Each request's nearest due moment among its running clocks (for sorting the queue)."""
    due = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(EnterpriseRequest),
        subject_id=OuterRef("pk"),
        stopped_at__isnull=True,
        due_at__isnull=False,
    ).order_by("due_at")
    return queryset.annotate(next_due=Subquery(due.values("due_at")[:1]))


def _rows(page, user):
    """The page's requests with their clocks (one query) and personal data masked for who may not read them."""
    objects = list(page.object_list)
    by_request = services.clocks_of_page(objects)
    mask(objects, user)
    for obj in objects:
        obj.clocks = by_request.get(obj.pk, {})
    return objects


# ---------------------------------------------------------------- the enterprise's side


@login_required
def request_submit(request):
    account = services.account_of(request.user)
    if account is None:
        raise PermissionDenied
    user = request.user
    if request.method == "POST":
        form = RequestSubmitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                obj = services.submit(
                    account.enterprise,
                    data["ordered_categories"],
                    data["title"],
                    data["description"],
                    data["contact_name"],
                    data["contact_phone"],
                    data["contact_email"],
                    account=account,
                    by=user,
                )
            except ValidationError as exc:
                _report(request, exc)
            else:
                messages.success(request, _("Request %(number)s sent.") % {"number": obj.number})
                return redirect(obj.get_absolute_url())
    else:
        form = RequestSubmitForm(
            initial={"contact_name": str(user), "contact_phone": user.phone, "contact_email": user.email}
        )
    return render(request, "services/request_form.html", {"form": form, "account": account, "entry": False})


@login_required
def my_requests(request):
    account = services.account_of(request.user)
    objects = (
        EnterpriseRequest.objects.filter(enterprise=account.enterprise).select_related("category")
        if account is not None
        else EnterpriseRequest.objects.none()
    )
    page = Paginator(objects.order_by("-received_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "services/my_requests.html", {"account": account, "page": page})


# ---------------------------------------------------------------- officers' entry


@login_required
def request_add(request):
    if not services.can_add_requests(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = RequestEntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                obj = services.submit(
                    data["enterprise"],
                    data["ordered_categories"],
                    data["title"],
                    data["description"],
                    data["contact_name"],
                    data["contact_phone"],
                    data["contact_email"],
                    channel=data["channel"],
                    by=request.user,
                    received_at=data["received_at"],
                )
            except ValidationError as exc:
                _report(request, exc)
            else:
                messages.success(request, _("Request %(number)s registered.") % {"number": obj.number})
                return redirect(obj.get_absolute_url())
    else:
        form = RequestEntryForm()
    return render(request, "services/request_form.html", {"form": form, "entry": True})


@login_required
def account_add(request):
    """An enterprise account for a firm's contact; they set their password from a one-time link."""
    user = request.user
    if not services.may_open_accounts(user):
        raise PermissionDenied
    link = None
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid() and not services.may_open_accounts(user, form.cleaned_data["enterprise"]):
            form.add_error("enterprise", _("You do not serve this enterprise."))
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                person = get_user_model()(
                    username=data["username"], full_name=data["full_name"], phone=data["phone"], email=data["email"]
                )
                person.set_unusable_password()
                person.save()
                EnterpriseAccount.objects.create(
                    user=person, enterprise=data["enterprise"], officer=user, created_by=user
                )
            link = request.build_absolute_uri(
                reverse(
                    "services:account-set-password",
                    args=[urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)],
                )
            )
            send_mail(
                _("Your account on the enterprise service platform"),
                _("An account was opened for you (user name %(username)s). Set your password here: %(link)s")
                % {"username": person.username, "link": link},
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
                fail_silently=True,
            )
            messages.success(request, _("Account %(username)s opened; the link was sent.") % {"username": person})
            form = AccountForm()
    else:
        form = AccountForm()
    return render(request, "services/account_form.html", {"form": form, "link": link})


# ---------------------------------------------------------------- queue, list, export


@login_required
def request_queue(request):
    """The open requests the user works (their departments' or all for the centre), nearest due first."""
    user = request.user
    _staff_only(user)
    readable = services.queue_of(user)
    filterset = EnterpriseRequestFilterSet(request.GET or None, queryset=readable, request=request)
    queryset = filterset.qs if filterset.is_bound else readable
    queryset = (
        _with_next_due(queryset)
        .select_related(*RELATED)
        .order_by(F("next_due").asc(nulls_last=True), "received_at", "pk")
    )
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/request_queue.html",
        {
            "filterset": filterset,
            "page": page,
            "rows": _rows(page, user),
            "query": query.urlencode(),
            "now": timezone.now(),
        },
    )


def _filtered(request):
    user = request.user
    readable = EnterpriseRequest.objects.restrict(user)
    filterset = EnterpriseRequestFilterSet(request.GET or None, queryset=readable, request=request)
    queryset = filterset.qs if filterset.is_bound else readable
    return filterset, queryset.select_related(*RELATED).order_by("-received_at", "-pk")


@login_required
def request_list(request):
    _staff_only(request.user)
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/request_list.html",
        {"filterset": filterset, "page": page, "rows": _rows(page, request.user), "query": query.urlencode()},
    )


EXPORT_LIMIT = 100_000


@login_required
def request_export(request):
    """The filtered list as a workbook (personal data masked for who may not read them)."""
    from openpyxl import Workbook

    _staff_only(request.user)
    _filterset, queryset = _filtered(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Requests")))
    sheet.append(
        [
            _("Number"),
            _("Title"),
            _("Enterprise"),
            _("Main category"),
            _("Channel"),
            _("Department"),
            _("District"),
            _("State"),
            _("Level"),
            _("Received at"),
            _("Closed at"),
            _("Closed on time"),
            _("Rating"),
            _("Times reopened"),
            _("Contact person"),
            _("Contact phone"),
        ]
    )
    for chunk_start in range(0, EXPORT_LIMIT, 2000):
        chunk = list(queryset[chunk_start : chunk_start + 2000])
        if not chunk:
            break
        mask(chunk, request.user)
        for obj in chunk:
            sheet.append(
                [
                    obj.number,
                    obj.title,
                    obj.enterprise.name,
                    str(obj.category),
                    obj.get_channel_display(),
                    str(obj.department),
                    str(obj.district or ""),
                    obj.get_state_display(),
                    obj.get_level_display(),
                    timezone.localtime(obj.received_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(obj.closed_at).strftime("%Y-%m-%d %H:%M") if obj.closed_at else "",
                    "" if obj.closed_on_time is None else (_("Yes") if obj.closed_on_time else _("No")),
                    obj.get_rating_display(),
                    obj.redo_count,
                    obj.contact_name,
                    obj.contact_phone,
                ]
            )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="requests.xlsx"'
    book.save(response)
    return response


# ---------------------------------------------------------------- a request


def _readable(request, pk) -> EnterpriseRequest:
    return get_object_or_404(
        EnterpriseRequest.objects.restrict(request.user).select_related(*RELATED, "supervisor", "account"), pk=pk
    )


@login_required
def request_detail(request, pk):
    user = request.user
    obj = _readable(request, pk)
    account = services.account_of(user)
    if account is not None and not services.is_staff_user(user):
        events = obj.events.filter(public=True).select_related("by")
        return render(
            request,
            "services/my_request_detail.html",
            {
                "req": obj,
                "events": events,
                "rating_form": RatingForm() if obj.state == RequestState.CLOSED else None,
            },
        )
    may_change = services.can_change(user, obj)
    clocks = services.request_clocks(obj)
    centre = services.in_centre(user)
    mask_one(obj, user)
    pending = obj.send_backs.filter(decision=SendBackDecision.PENDING).select_related("from_team", "suggested_team")
    context = {
        "req": obj,
        "clocks": {purpose: clocks.get(purpose) for purpose in services.PURPOSES},
        "events": obj.events.select_related("by", "from_team", "to_team"),
        "may_change": may_change,
        "is_centre": centre,
        "is_supervisor": obj.supervisor_id == user.pk,
        "pending": pending.first(),
        "open": obj.state in REQUEST_OPEN,
        "working": obj.state in (RequestState.IN_PROGRESS, RequestState.INTERIM),
        "text_form": TextForm(),
        "note_form": NoteForm(),
        "answer_form": AnswerForm(),
        "transfer_form": TeamForm(exclude=obj.department),
        "send_back_form": SendBackForm(exclude=obj.department),
        "arbitrate_form": ArbitrateForm(),
        "visit_form": VisitForm(),
        "supervisor_form": SupervisorForm(initial={"supervisor": obj.supervisor_id}),
    }
    return render(request, "services/request_detail.html", context)


def _changeable(request, pk) -> EnterpriseRequest:
    """The request (404 unseen), if the user may work it (403 otherwise)."""
    obj = _readable(request, pk)
    if not services.can_change(request.user, obj):
        raise PermissionDenied
    return obj


def _step(request, obj, call, done_message, form=None):
    """One step of the work on ``obj``: the form's errors (named by field), else the step's refusal, else done."""
    if form is not None and not form.is_valid():
        _form_errors(request, form)
        return redirect(obj.get_absolute_url())
    try:
        call()
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, done_message)
    return redirect(obj.get_absolute_url())


@login_required
@require_POST
def request_sign(request, pk):
    obj = _changeable(request, pk)
    return _step(request, obj, lambda: services.sign(obj, request.user), _("Signed for."))


@login_required
@require_POST
def request_contact(request, pk):
    obj = _changeable(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["text"] if form.is_valid() else ""
    return _step(request, obj, lambda: services.record_contact(obj, request.user, note), _("Contact recorded."))


def _text_step(request, pk, call, done):
    obj = _changeable(request, pk)
    form = TextForm(request.POST)
    return _step(request, obj, lambda: call(obj, request.user, form.cleaned_data["text"]), done, form=form)


@login_required
@require_POST
def request_plan(request, pk):
    return _text_step(request, pk, services.give_plan, _("Plan given."))


@login_required
@require_POST
def request_interim(request, pk):
    return _text_step(request, pk, services.interim_reply, _("Interim reply given."))


@login_required
@require_POST
def request_transfer(request, pk):
    obj = _changeable(request, pk)
    form = TeamForm(request.POST, exclude=obj.department)
    return _step(
        request,
        obj,
        lambda: services.transfer(obj, request.user, form.cleaned_data["team"], form.cleaned_data["text"]),
        _("Transferred."),
        form=form,
    )


@login_required
@require_POST
def request_send_back(request, pk):
    obj = _changeable(request, pk)
    form = SendBackForm(request.POST, exclude=obj.department)
    return _step(
        request,
        obj,
        lambda: services.ask_send_back(obj, request.user, form.cleaned_data["reason"], form.cleaned_data["team"]),
        _("Send-back asked; the centre decides."),
        form=form,
    )


@login_required
@require_POST
def sendback_arbitrate(request, pk):
    send_back = get_object_or_404(SendBack.objects.restrict(request.user).select_related("request"), pk=pk)
    if not services.in_centre(request.user):
        raise PermissionDenied
    obj = send_back.request
    form = ArbitrateForm(request.POST)
    return _step(
        request,
        obj,
        lambda: services.arbitrate(
            send_back,
            request.user,
            form.cleaned_data["decision"] == "accept",
            form.cleaned_data["team"],
            form.cleaned_data["text"],
        ),
        _("Send-back decided."),
        form=form,
    )


@login_required
@require_POST
def request_close(request, pk):
    obj = _changeable(request, pk)
    form = AnswerForm(request.POST)
    return _step(
        request,
        obj,
        lambda: services.close(obj, request.user, form.cleaned_data["answer"]),
        _("Closed."),
        form=form,
    )


@login_required
@require_POST
def request_rate(request, pk):
    obj = _readable(request, pk)
    account = services.account_of(request.user)
    if account is None or account.enterprise_id != obj.enterprise_id:
        raise PermissionDenied
    form = RatingForm(request.POST)
    return _step(
        request,
        obj,
        lambda: services.rate(obj, request.user, form.cleaned_data["rating"], form.cleaned_data["comment"]),
        _("Thank you."),
        form=form,
    )


@login_required
@require_POST
def request_visit(request, pk):
    obj = _changeable(request, pk)
    form = VisitForm(request.POST)
    return _step(
        request,
        obj,
        lambda: services.return_visit(
            obj, request.user, form.cleaned_data["rating"], form.cleaned_data["note"], form.cleaned_data["comment"]
        ),
        _("Return visit recorded."),
        form=form,
    )


@login_required
@require_POST
def request_supervisor(request, pk):
    obj = _readable(request, pk)
    if not services.in_centre(request.user):
        raise PermissionDenied
    form = SupervisorForm(request.POST)
    return _step(
        request,
        obj,
        lambda: services.set_supervisor(obj, request.user, form.cleaned_data["supervisor"]),
        _("Supervisor set."),
        form=form,
    )


@login_required
@require_POST
def request_note(request, pk):
    obj = _readable(request, pk)
    if not (obj.supervisor_id == request.user.pk or services.in_centre(request.user)):
        raise PermissionDenied
    form = TextForm(request.POST)
    return _step(
        request,
        obj,
        lambda: services.supervisor_note(obj, request.user, form.cleaned_data["text"]),
        _("Note added."),
        form=form,
    )


# ---------------------------------------------------------------- figures


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def request_figures_page(request):
    _staff_only(request.user)
    year = _year(request)
    figures = request_figures(year, request.user)
    breakdowns = [
        ("department", _("By department"), figures["department"]),
        ("district", _("By district"), figures["district"]),
        ("category", _("By category"), figures["category"]),
    ]
    return render(
        request,
        "services/request_figures.html",
        {"year": year, "breakdowns": breakdowns, "total": figures["total"]},
    )


# ---------------------------------------------------------------- categories and policies (kept by the centre)


class RequestCategoryListView(ObjectListView):
    model = RequestCategory
    table = CATEGORY_TABLE
    add_url_name = "services:category-add"
    filterset_class = RequestCategoryFilterSet


class RequestCategoryCreateView(ObjectCreateView):
    model = RequestCategory
    form_class = RequestCategoryForm


class RequestCategoryUpdateView(ObjectUpdateView):
    model = RequestCategory
    form_class = RequestCategoryForm


class ServicePolicyListView(ObjectListView):
    model = ServicePolicy
    table = POLICY_TABLE
    add_url_name = "services:policy-add"
    filterset_class = ServicePolicyFilterSet


class ServicePolicyCreateView(ObjectCreateView):
    model = ServicePolicy
    form_class = ServicePolicyForm


class ServicePolicyUpdateView(ObjectUpdateView):
    model = ServicePolicy
    form_class = ServicePolicyForm
