from functools import lru_cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def label(choices: type[models.Choices], value) -> str:
    """The label of ``value`` among ``choices`` in the active language; the value itself when it is none of them.

    Remembered per language (``Choices.values`` and ``get_FOO_display`` rebuild their lists at each call, and an
    import names tens of thousands of stages).
    """
    return _labels(choices, translation.get_language()).get(value, value)


@lru_cache(maxsize=256)
def _labels(choices, language) -> dict:
    with translation.override(language):
        return {member.value: str(member.label) for member in choices}


class Action(models.TextChoices):
    """What a user wants to do with a record; querysets are restricted per action."""

    VIEW = "view", _("view")
    # Learn that a record exists, with the few facts that keep two teams from pursuing it twice (its stage, its
    # owning team): the projects of other teams. Every model that does not tell it apart treats it as VIEW.
    LOOKUP = "lookup", _("look up")
    # Read the personal data of the people a record names (names, phones, e-mails): by default those who may
    # change the record, the people who work it (core.personal).
    PERSONAL = "personal", _("read personal data")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")


class ChangeKind(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    LOCKOUT = "lockout", _("locked out")  # an account refused after too many wrong passwords
    PERSONAL_DATA = "privacy", _("personal data request")  # an administrator exported or erased a person's data


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")


class ImportPhase(models.TextChoices):
    """How far a running import is: reading the rows, checking them, saving them (all at once)."""

    READING = "reading", _("reading the rows")
    CHECKING = "checking", _("checking the rows")
    SAVING = "saving", _("saving")


class ClockUnit(models.TextChoices):
    """How a time limit is counted (core.clocks): working days of the calendar, working minutes within office
    hours of working days, or elapsed minutes."""

    WORKING_DAYS = "wdays", _("working days")
    WORKING_MINUTES = "wminutes", _("working minutes")
    MINUTES = "minutes", _("minutes")


class PauseReason(models.TextChoices):
    """Why a clock stands still: the time the law does not count (行政许可法 Art. 45) or the applicant owes."""

    DOCUMENTS = "documents", _("missing documents")
    HEARING = "hearing", _("hearing")
    TESTING = "testing", _("testing or inspection")
    EXPERT_REVIEW = "experts", _("expert review or appraisal")
    APPLICANT = "applicant", _("waiting for the applicant")
    OTHER = "other", _("other")


class ClockAlert(models.TextChoices):
    REMINDER = "reminder", _("reminder")
    ESCALATION = "escalation", _("escalation")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
