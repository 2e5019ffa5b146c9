"""Forms of investor inquiries: the investor's form (also the API's rules), the staff response, the inbox filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.core.forms import BaseForm, EmptyChoices, widget_css

from ..choices import DISMISSED_STATUSES, DismissalGrounds, InquiryStatus
from ..models import Inquiry
from ..services.inquiries import INQUIRY_FIELDS, open_q, overdue_q, pending_q

HONEYPOT = "website"

phone_validator = RegexValidator(
    # 6–20 characters of digits, spaces, "+" and "-", at least six of them digits
    r"^(?=(?:\D*\d){6})[0-9+\- ]{6,20}$",
    _("Enter a phone number of 6 to 20 characters: digits, spaces, + and -."),
    code="phone",
)


def mark_invalid(form: forms.BaseForm) -> None:
    """Tabler's invalid state on the widgets of fields with errors (screen readers hear aria-invalid)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"


class InquiryForm(EmptyChoices, forms.ModelForm):
    """What an investor sends from a park, a site or a proposal page — and, through the API, the mini-program.

    ``website`` is a honeypot: invisible to people (off screen, aria-hidden, no autocomplete, not
    reachable by tab), filled in by form-filling robots. A submission with it filled is answered like a
    success and nothing is saved (see ``is_spam``).
    """

    phone = forms.CharField(
        label=capfirst(Inquiry._meta.get_field("phone").verbose_name),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=capfirst(Inquiry._meta.get_field("message").verbose_name),
        min_length=10,
        max_length=4000,
        help_text=Inquiry._meta.get_field("message").help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my personal data are used for this purpose and kept for this time."),
        required=True,
        error_messages={"required": _("Tick the consent box: without it we cannot receive your inquiry.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Inquiry
        fields = [*INQUIRY_FIELDS]
        widgets = {
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
            "investment_wan": forms.NumberInput(attrs={"min": "0", "step": "any", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "inquiry_%s")  # unique ids beside the page's own forms
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != HONEYPOT:
                field.widget.attrs.setdefault("class", widget_css(field.widget))
        self.fields[HONEYPOT].widget.attrs["class"] = "form-control"

    @property
    def is_spam(self) -> bool:
        """The honeypot was filled in: a robot. Judged on the raw data, before (and whatever) validation."""
        value = self.data.get(HONEYPOT) if self.is_bound else None
        return bool(str(value or "").strip())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not {"phone", "email"} & set(self.errors):
            message = _("Give a phone number or an email address (at least one), so that we can answer you.")
            self.add_error("phone", message)
            self.add_error("email", message)
        return cleaned

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)

    def typed_values(self) -> dict:
        """What the person typed (the honeypot left out), to show again on a page that does not validate."""
        if not self.is_bound:
            return {}
        return {name: self.data.get(name) for name in INQUIRY_FIELDS if self.data.get(name) not in (None, "")}


class ResponseForm(BaseForm):
    """A member of staff records the response given to an investor (the first one stops the clock)."""

    note = forms.CharField(
        label=_("Response"),
        max_length=4000,
        help_text=_("How and when you answered: call, email, meeting; what was agreed."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)


class DismissForm(BaseForm):
    """A member of the owning team dismisses an inquiry instead of accepting it: why, in a few words."""

    grounds = forms.ChoiceField(
        label=_("Grounds"),
        choices=DismissalGrounds.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        help_text=_("Kept with the inquiry and in its history."),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)


DECISIONS = [
    ("pending", _("To accept or dismiss")),
    ("accepted", _("Accepted")),
    ("dismissed", _("Dismissed")),
]


class InquiryFilterSet(SearchFilterSet):
    """Filters of the inbox and of the staff API: decision, status, overdue, team, text. Dismissed inquiries only
    when asked for (by their status or the decision)."""

    search_fields = ("company", "contact_name", "email", "phone", "message")
    decision = django_filters.ChoiceFilter(label=_("Decision"), choices=DECISIONS, method="filter_decision")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InquiryStatus.choices)
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )
    awaiting = django_filters.BooleanFilter(label=_("Awaiting a first response"), method="filter_awaiting")
    team = django_filters.ModelChoiceFilter(label=_("Owning team"), queryset=Team.objects.filter(active=True))

    class Meta:
        model = Inquiry
        fields = ["q", "decision", "status", "overdue", "awaiting", "team"]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status") and self.form.cleaned_data.get("decision") != "dismissed":
            queryset = queryset.exclude(status__in=DISMISSED_STATUSES)
        return super().filter_queryset(queryset)

    def filter_decision(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(pending_q())
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "dismissed":
            return queryset.filter(dismissed_at__isnull=False)
        return queryset

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(open_q()) if value else queryset.exclude(open_q())

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.now())
        return queryset.filter(q) if value else queryset.exclude(q)
