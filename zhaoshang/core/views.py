"""Shared views: health, home, object history, audit log, and the base CRUD views every app uses.

Every base view reaches records only through ``Model.objects.restrict(user, action)``:
an object outside the user's scope is 404; an object the user may read but
not change is 403 on its edit and delete pages.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import IntegerField
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import generic

from . import audit, conflicts, personal
from . import notifications as inbox
from .choices import Action
from .conflicts import ConflictError, atomic_write
from .deletion import REFUSED_DELETES, refusal_message
from .ids import parse_id
from .models import ChangeRecord, ImportJob, Notification
from .permissions import can, user_scope

SORT_PARAM = "sort"


def favicon(request):
    """``/favicon.ico``, asked for by browsers and tools that do not read the page's icon link: the static icon."""
    from django.templatetags.static import static

    return redirect(static("core/favicon.svg"), permanent=True)


def health(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # pragma: no cover - exercised by operations, not tests
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)


def app_panels(user, attribute: str, *about) -> list[dict]:
    """The panels the installed apps offer ``user`` under ``AppConfig.<attribute>`` (a list of dotted paths of
    ``fn(user, *about) -> dict | None``), in the order of INSTALLED_APPS; a function answering None offers nothing.

    ``home_panels`` fill the home page, ``work_panels`` the "my work" page, ``project_panels`` a project's page
    (``fn(user, project)``): an app lower in the import order shows what apps above it contribute without
    importing them."""
    panels = []
    for config in apps.get_app_configs():
        for path in getattr(config, attribute, ()):
            panel = import_string(path)(user, *about)
            if panel is not None:
                panels.append(panel)
    return panels


@login_required
def home(request):
    """A home page per role: the user's teams and roles, and the figures each app offers."""
    scope = user_scope(request.user)
    panels = app_panels(request.user, "home_panels")
    memberships = request.user.memberships.select_related("team").order_by("team__kind", "team__name")
    recent = ChangeRecord.objects.select_related("content_type")[:10] if scope.is_admin else ChangeRecord.objects.none()
    return render(
        request,
        "core/home.html",
        {"panels": panels, "memberships": memberships, "scope": scope, "recent_changes": recent},
    )


@login_required
def notifications(request):
    """The user's notifications, newest first; POST marks them all read."""
    if request.method == "POST":
        inbox.mark_read(request.user)
        return redirect("core:notifications")
    page = Paginator(Notification.objects.filter(recipient=request.user).order_by("-created", "-pk"), 50)
    return render(request, "core/notifications.html", {"page_obj": page.get_page(request.GET.get("page"))})


@login_required
def deliveries(request):
    """The e-mails and webhook messages sent or on their way, for administrators: given up and waiting first."""
    from django.db.models import Case, IntegerField, Value, When

    from .choices import DeliveryStatus
    from .models import Delivery

    if not user_scope(request.user).is_admin:
        raise PermissionDenied
    queryset = Delivery.objects.restrict(request.user)
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        queryset = queryset.filter(status=status)
    order = Case(
        When(status=DeliveryStatus.FAILED, then=Value(0)),
        When(status=DeliveryStatus.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    page = Paginator(queryset.order_by(order, "-created", "-pk"), 50)
    return render(
        request,
        "core/deliveries.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "statuses": DeliveryStatus.choices,
            "status": status,
        },
    )


@login_required
def delivery_retry(request, pk: int):
    """Send a failed delivery again now (POST)."""
    from .models import Delivery

    delivery = get_object_or_404(Delivery.objects.restrict(request.user, Action.CHANGE), pk=pk)
    if request.method != "POST":
        return redirect("core:delivery-list")
    if inbox.retry(delivery.pk):
        messages.success(request, _("The message to %(address)s is being sent again.") % {"address": delivery.address})
    else:
        messages.warning(request, _("Only a message that was given up can be sent again."))
    return redirect("core:delivery-list")


@login_required
def import_jobs(request):
    """The imports run in the background for the user (all of them for an administrator), newest first."""
    jobs = ImportJob.objects.restrict(request.user).select_related("user").defer("errors")
    page = Paginator(jobs, 50)
    return render(request, "core/import_jobs.html", {"page_obj": page.get_page(request.GET.get("page"))})


@login_required
def import_job(request, pk: int):
    """One background import: its progress while it runs (the fragment refreshes itself by htmx), then its result."""
    job = get_object_or_404(ImportJob.objects.restrict(request.user), pk=pk)
    context = {"job": job, "shown_errors": job.errors[:500]}
    if is_fragment(request):
        return render(request, "core/_import_job.html", context)
    return render(request, "core/import_job.html", context)


@login_required
def import_job_errors(request, pk: int):
    """The row-by-row error report of a background import that saved nothing."""
    from .excel import report_download

    job = get_object_or_404(ImportJob.objects.restrict(request.user), pk=pk)
    if not job.error_count:
        raise Http404
    return report_download(job.errors, job.unlisted_errors, job.title)


class RestrictedMixin(LoginRequiredMixin):
    model = None
    action = Action.VIEW

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.action)


class ObjectListView(RestrictedMixin, generic.ListView):
    """A list page: FilterSet (shared with the API) + search + sort + pagination, htmx-aware."""

    filterset_class = None
    table = None
    paginate_by = 25
    template_name = "core/object_list.html"
    fragment_template_name = "core/_object_table.html"  # what a filter or page change (htmx) gets
    add_url_name = None

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        queryset = self.filterset.qs if self.filterset.is_bound else self.filterset.queryset
        self.sort = self.table.sort_key(self.request.GET.get(SORT_PARAM))
        return self.table.prepare(queryset, self.sort)

    def get_template_names(self):
        if is_fragment(self.request):
            return [self.fragment_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=self.filterset,
            table=self.table,
            rows=self.table.rows(context["object_list"]),
            headers=self.table.headers(self.sort, query),
            query_string=query.urlencode(),
            verbose_name_plural=self.model._meta.verbose_name_plural,
            can_add=self.add_url_name is not None and self.can_add(),
            add_url=reverse_lazy(self.add_url_name) if self.add_url_name else None,
        )
        return context

    def can_add(self) -> bool:
        return self.model.can_add(self.request.user) if hasattr(self.model, "can_add") else False


class ObjectDetailView(RestrictedMixin, generic.DetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = can(self.request.user, self.object, Action.CHANGE)
        context["can_delete"] = can(self.request.user, self.object, Action.DELETE)
        context["history_url"] = history_url(self.object)
        return context


class ObjectEditMixin(RestrictedMixin):
    """Create/update with conflict checking: a stale form is refused and nothing is overwritten."""

    template_name = "core/object_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            with atomic_write(form.instance):
                response = super().form_valid(form)
        except ConflictError:
            form.add_error(None, conflicts.PAGE_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verbose_name"] = self.model._meta.verbose_name
        return context


class ObjectCreateView(ObjectEditMixin, generic.CreateView):
    action = Action.ADD

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.model.can_add(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class WritableObjectMixin:
    """Look the object up among those the user may see (404 otherwise), then require the write right (403)."""

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, Action.VIEW)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can(self.request.user, obj, self.action):
            raise PermissionDenied
        return obj


class ObjectUpdateView(WritableObjectMixin, ObjectEditMixin, generic.UpdateView):
    action = Action.CHANGE


class ObjectDeleteView(WritableObjectMixin, RestrictedMixin, generic.DeleteView):
    action = Action.DELETE
    template_name = "core/object_confirm_delete.html"

    def form_valid(self, form):
        name = str(self.object)
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except REFUSED_DELETES as error:
            messages.error(self.request, refusal_message(self.object, error))
            return redirect(self.object.get_absolute_url())
        messages.success(self.request, _("Deleted %(object)s.") % {"object": name})
        return response


def is_fragment(request) -> bool:
    """Whether the request asks for an htmx fragment of the page (not a boosted navigation, which wants it whole)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def history_url(obj) -> str:
    from django.urls import reverse

    ct = ContentType.objects.get_for_model(type(obj))
    return reverse("core:object-history", args=[ct.pk, obj.pk])


def object_history(request, content_type_id: int, object_id: str):
    """The change records of one object, for those who may see the object (404 for anyone else)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not audit.is_audited(model):
        raise Http404
    try:
        object_id = model._meta.pk.to_python(object_id)
    except ValidationError:
        raise Http404 from None
    if isinstance(model._meta.pk, IntegerField) and parse_id(object_id) is None:
        raise Http404
    manager = model.objects
    if hasattr(manager, "restrict"):
        obj = manager.restrict(request.user, Action.VIEW).filter(pk=object_id).first()
    else:
        obj = manager.filter(pk=object_id).first() if user_scope(request.user).is_admin else None
    if obj is None and not user_scope(request.user).is_admin:
        raise Http404
    records = ChangeRecord.objects.filter(content_type=content_type, object_id=str(object_id)).select_related("user")
    # An object whose address holds a secret (a proposal's link key) is named, masked, and not linked.
    object_url = obj.get_absolute_url() if obj is not None else ""
    if object_url and audit.masked_text(obj, object_url) != object_url:
        object_url = ""
    if obj is None:
        object_repr = records.first().object_repr if records else ""
    else:
        # Personal data the user may not read stay masked in the history too (core.personal).
        if personal.personal_fields(model) and not personal.readable_ids(model, request.user, [obj.pk]):
            personal.mask_one(obj, request.user)
            records = [_masked_record(record, model, str(obj)) for record in records]
        object_repr = audit.masked_text(obj, str(obj))
    return render(
        request,
        "core/object_history.html",
        {
            "object": obj,
            "object_url": object_url,
            "records": records,
            "object_repr": object_repr,
        },
    )


def _masked_record(record, model, object_repr: str):
    record.object_repr = object_repr
    record.before = personal.mask_snapshot(model, record.before)
    record.after = personal.mask_snapshot(model, record.after)
    return record


class AuditLogView(LoginRequiredMixin, generic.ListView):
    """Every change, for administrators."""

    template_name = "core/audit_log.html"
    paginate_by = 50

    def get_queryset(self):
        if not user_scope(self.request.user).is_admin:
            raise PermissionDenied
        records = ChangeRecord.objects.select_related("content_type", "user")
        user = self.request.GET.get("user")
        if user:
            records = records.filter(user_name=user)
        request_id = self.request.GET.get("request_id")
        if request_id:
            records = records.filter(request_id=request_id)
        return records
