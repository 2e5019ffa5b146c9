from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    SPAM = "spam", _("Spam")
