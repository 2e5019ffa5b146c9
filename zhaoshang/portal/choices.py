from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    SPAM = "spam", _("Spam")
    IRRELEVANT = "irrelevant", _("Not relevant")


# The statuses of an inquiry dismissed by its team: kept and audited, never a lead, never counted as received.
DISMISSED_STATUSES = (InquiryStatus.SPAM, InquiryStatus.IRRELEVANT)


class DismissalGrounds(models.TextChoices):
    """Why a team dismisses an inquiry instead of accepting it (each is an inquiry status)."""

    SPAM = InquiryStatus.SPAM.value, _("Spam or a robot")
    IRRELEVANT = InquiryStatus.IRRELEVANT.value, _("Not an investment inquiry")
