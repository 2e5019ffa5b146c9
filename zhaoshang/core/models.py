from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import search
from .choices import (
    Action,
    ChangeKind,
    ClockUnit,
    DeliveryChannel,
    DeliveryStatus,
    ImportPhase,
    ImportStatus,
    PauseReason,
)
from .conflicts import ConflictError, atomic_write
from .context import current_actor
from .permissions import RestrictedManager, ScopedModelMixin, user_scope
from .storage import private_storage


class BaseModel(ScopedModelMixin, models.Model):
    """Base of every business record: timestamps, author, version for conflict checks, audit."""

    created = models.DateTimeField(_("created at"), auto_now_add=True)
    updated = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = RestrictedManager()

    audited = True
    audit_exclude: tuple[str, ...] = ()
    audit_secret: tuple[str, ...] = ()  # recorded masked (core.audit.mask), never in clear
    personal_fields: tuple[str, ...] = ()  # the people's names, phones, e-mails: masked for outsiders (core.personal)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "personal_data_masked", False):  # core.personal: a masked value never overwrites the real one
            raise ValueError(f"{type(self).__name__} {self.pk} has its personal data masked and cannot be saved.")
        if self._state.adding:
            if self.created_by_id is None:
                actor = current_actor()
                if actor is not None and actor.user_id is not None:
                    self.created_by_id = actor.user_id
            return super().save(*args, **kwargs)
        manager = type(self)._base_manager.using(kwargs.get("using") or self._state.db)
        with atomic_write(self, using=manager.db):
            bumped = manager.filter(pk=self.pk, version=self.version).update(version=self.version + 1)
            if not bumped:  # changed by someone else, or deleted: never overwrite, never bring back
                raise ConflictError(self)
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated"}
            return super().save(*args, **kwargs)

    def get_absolute_url(self):  # pragma: no cover - every concrete model overrides
        raise NotImplementedError


class SearchableModel(BaseModel):
    """A record with a Chinese full-text ``search_text`` column (see core.search)."""

    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    audit_exclude = ("search_text",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = search.build_search_text(*self.search_values())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        return super().save(*args, **kwargs)

    def search_values(self) -> list[str | None]:
        raise NotImplementedError


class ChangeRecord(models.Model):
    """One create, update or delete of a business record: who, when, in which request, before/after."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeKind.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [
            # serves the history page of one record, newest first
            models.Index(fields=["content_type", "object_id", "-time"], name="core_change_object_idx"),
            # serves the audit log filtered by user
            models.Index(fields=["user", "-time"], name="core_change_user_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr} ({self.time:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("core:object-history", args=[self.content_type_id, self.object_id])

    def field_changes(self):
        """(field label, before, after) for each changed field."""
        model = self.content_type.model_class()
        labels = {}
        if model is not None:
            for f in model._meta.get_fields():
                if hasattr(f, "attname"):
                    labels[f.attname] = getattr(f, "verbose_name", f.name)
                    labels[f.name] = getattr(f, "verbose_name", f.name)
        before = self.before or {}
        after = self.after or {}
        names = self.changed_fields or sorted(set(before) | set(after))
        return [(labels.get(name, name), before.get(name), after.get(name)) for name in names]


class Notification(models.Model):
    """A message to one user inside the application (stalled projects, assignments, …); any app may send one.

    Not a business record: it has no audit trail and no version. Send with ``core.notifications.notify``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # serves one user's unread count and newest-first list
            models.Index(fields=["recipient", "read_at", "-created"], name="core_notification_inbox_idx"),
        ]

    def __str__(self):
        return self.message[:80]

    def get_absolute_url(self):
        return self.url or reverse("core:home")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ImportJobQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """A job is seen by the user who started it and by administrators; by nobody else (404)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user_scope(user).is_admin:
            return self
        return self.filter(user=user)


def import_file_path(instance, filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{filename}"


class ImportJob(models.Model):
    """An Excel import run in the background (a large file): who started it, the file, how far it is, the result.

    Not a business record: it has no audit trail and no version (the records it saves are audited, with the job
    as their request). The file waits in private storage and is deleted once the import has run; the errors of
    a refused import are kept for the error report. Started by ``core.import_jobs.start``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    importer = models.CharField(_("importer"), max_length=200)  # the dotted path of its excel.ModelImporter
    title = models.CharField(_("what is imported"), max_length=200)
    file = models.FileField(_("file"), upload_to=import_file_path, storage=private_storage, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(_("language"), max_length=16)
    list_url = models.CharField(_("list"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    phase = models.CharField(_("phase"), max_length=10, choices=ImportPhase.choices, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)  # known once the rows are read
    rows_processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [row, column, message], as excel reports
    message = models.TextField(_("message"), blank=True)
    created = models.DateTimeField(_("created at"), auto_now_add=True)
    started = models.DateTimeField(_("started at"), null=True, blank=True)
    finished = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last progress"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    # A running job that has not reported progress for this long was interrupted (its process ended): saving a
    # large file reports nothing while its transaction runs, so the margin is wide.
    SILENT_FOR = timedelta(minutes=30)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            # serves one user's recent imports (of one importer) on the import page and the list of imports
            models.Index(fields=["user", "importer", "-created"], name="core_importjob_user_idx"),
        ]

    def __str__(self):
        return f"{self.title} · {self.file_name}"

    def get_absolute_url(self):
        return reverse("core:import-job", args=[self.pk])

    @property
    def finished_or_interrupted(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED) or self.interrupted

    @property
    def interrupted(self) -> bool:
        """Derived when read: a job left running by a process that ended (the import's transaction rolled back)."""
        if self.status != ImportStatus.RUNNING:
            return False
        return (self.heartbeat or self.started or self.created) < timezone.now() - self.SILENT_FOR

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_processed * 100 // self.rows_total)

    @property
    def unlisted_errors(self) -> int:
        return max(0, self.error_count - len(self.errors))


class CalendarYear(models.Model):
    """A year whose official working days are loaded (core.workdays): from the maintained package or by staff.

    A year that is not here is counted Monday to Friday, and every page that shows a due date in it says so.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=100)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    audited = True  # core.audit: who loaded or completed a year, and when

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)

    def get_absolute_url(self):
        return reverse("core:calendar-year", args=[self.year])


class CalendarDay(models.Model):
    """A day that differs from Monday-to-Friday: a holiday on a weekday, a moved working day (调休) on a weekend,
    or a named holiday on a weekend (kept for its name). Every other day is a working day from Monday to Friday."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    audited = True  # core.audit: every change of a day moves deadlines, so each is recorded

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return self.date.isoformat()

    def get_absolute_url(self):
        return reverse("core:calendar-year", args=[self.date.year])

    @property
    def is_weekday(self) -> bool:
        return self.date.weekday() < 5

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def kind(self) -> str:
        """What the day is: ``holiday`` (a day off on a weekday, or a named day off at a weekend), ``moved`` (a moved
        working day on a weekend) or ``working`` (a named working day from Monday to Friday)."""
        if self.working:
            return "working" if self.is_weekday else "moved"
        return "holiday"

    def clean(self):
        super().clean()
        if self.date is not None and self.working == self.is_weekday and not self.name.strip():
            field = "working"
            if self.working:
                message = _(
                    "%(date)s is a weekday and so a working day anyway: untick “working day” for a holiday, "
                    "or give the day a name."
                )
            else:
                message = _(
                    "%(date)s falls at a weekend and so is a day off anyway: tick “working day” for a moved "
                    "working day, or give the day a name."
                )
            raise ValidationError({field: message % {"date": self.date.isoformat()}})


class Clock(models.Model):
    """One time limit on one record (an approval item, a request's contact, …): see ``core.clocks``.

    ``due_at`` and ``next_alert_at`` are derived from the start, the limit, the extensions and the pauses whenever one
    of them changes, so that lists sort and scans select by an index; nothing else writes them.
    """

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("record"))
    purpose = models.CharField(_("purpose"), max_length=40)
    unit = models.CharField(_("unit"), max_length=10, choices=ClockUnit.choices)
    limit = models.PositiveIntegerField(_("time limit"))
    extended = models.PositiveIntegerField(_("extended by"), default=0)
    paused = models.PositiveIntegerField(_("paused for"), default=0)  # in ``unit``, the pauses that ended
    started_at = models.DateTimeField(_("started at"))
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)  # None while paused
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    reminded = models.PositiveSmallIntegerField(_("reminded at (percent of the time)"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    next_alert_at = models.DateTimeField(_("next alert"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "purpose"],
                name="core_clock_one_per_purpose",
                violation_error_message=_("This record already has a clock for this purpose."),
            ),
        ]
        indexes = [
            # serves the periodic scan: running clocks whose next reminder or escalation has come
            models.Index(
                fields=["next_alert_at"],
                name="core_clock_alert_idx",
                condition=models.Q(stopped_at__isnull=True, next_alert_at__isnull=False),
            ),
            # serves "overdue" filters and queues sorted by due: the running clocks of one kind of record by due moment
            models.Index(
                fields=["subject_type", "due_at"],
                name="core_clock_running_due_idx",
                condition=models.Q(stopped_at__isnull=True),
            ),
            # serves queues sorted by each record's nearest due moment: its running clocks, read from the index alone
            models.Index(
                fields=["subject_type", "subject_id", "due_at"],
                name="core_clock_running_subject_idx",
                condition=models.Q(stopped_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.purpose} {self.subject_type_id}:{self.subject_id}"

    def get_absolute_url(self):
        subject = self.subject
        return subject.get_absolute_url() if subject is not None else reverse("core:home")

    @property
    def subject(self):
        model = self.subject_type.model_class()
        return model._base_manager.filter(pk=self.subject_id).first() if model else None

    @property
    def total(self) -> int:
        """The time allowed, extensions included, in ``unit``."""
        return self.limit + self.extended

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.paused_since is None

    def is_overdue(self, now=None) -> bool:
        """Past due: stopped after the due moment, or still running beyond it (a paused clock is not overdue)."""
        if self.due_at is None:
            return False
        moment = self.stopped_at or now or timezone.now()
        return moment > self.due_at

    def on_time(self) -> bool | None:
        """Stopped by its due moment (None while it runs)."""
        if self.stopped_at is None:
            return None
        return self.due_at is not None and self.stopped_at <= self.due_at


class ClockPause(models.Model):
    """A time a clock stood still, with its reason; ``units`` is counted when it ends (core.clocks)."""

    clock = models.ForeignKey(Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=20, choices=PauseReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    units = models.PositiveIntegerField(_("paused for"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")

    def __str__(self):
        return f"{self.get_reason_display()} {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.clock.get_absolute_url()


class ClockExtension(models.Model):
    """Time added to a clock by someone entitled to approve it, with the reason."""

    clock = models.ForeignKey(Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="extensions")
    amount = models.PositiveIntegerField(_("added"))
    reason = models.CharField(_("reason"), max_length=300)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self):
        return f"+{self.amount} {self.clock.get_unit_display()}"

    def get_absolute_url(self):
        return self.clock.get_absolute_url()


class DeliveryQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """Administrators only, whatever the action (leaders too read nothing): the addresses are e-mail addresses
        and webhook URLs whose key lets anyone post to a group."""
        return self if user_scope(user).is_admin else self.none()


class Delivery(models.Model):
    """A notification on its way out of the application (e-mail, webhook), retried until sent or given up.

    Written by ``core.notifications``; sent by ``core.notifications.send_pending`` (a task after each commit, and the
    ``send_notifications`` command for cron).
    """

    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    address = models.CharField(_("address"), max_length=500)  # an e-mail address or a webhook URL
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            # serves the sender: pending deliveries whose next attempt has come
            models.Index(fields=["status", "next_attempt_at"], name="core_delivery_pending_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.address[:40]}"

    def get_absolute_url(self):
        return reverse("core:delivery-list")
