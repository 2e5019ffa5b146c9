"""Forms of the services pages: enterprise requests (submission, officers' entry, the steps of the work), their
categories and time-limit policies, and enterprise accounts."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team
from zhaoshang.core.forms import BaseForm, BaseModelForm
from zhaoshang.industry.models import Enterprise

from .choices import Channel, Rating
from .models.requests import RequestCategory, ServicePolicy
from .services.requests import MAX_CATEGORIES, department_choices


class RequestCategoryForm(BaseModelForm):
    class Meta:
        model = RequestCategory
        fields = ["code", "name", "name_en", "department", "order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_choices()


class ServicePolicyForm(BaseModelForm):
    class Meta:
        model = ServicePolicy
        fields = [
            "category",
            "channel",
            "contact_limit",
            "contact_unit",
            "plan_limit",
            "plan_unit",
            "close_limit",
            "close_unit",
        ]


class RequestFields(BaseForm):
    """What an enterprise says of its request."""

    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=RequestCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to 4; the first chosen is the main category."),
    )
    main_category = forms.ModelChoiceField(
        label=_("Main category"),
        queryset=RequestCategory.objects.none(),
        required=False,
        help_text=_("Routes the request; by default the first of those chosen."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = RequestCategory.objects.filter(active=True)
        self.fields["categories"].queryset = active
        self.fields["main_category"].queryset = active
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )

    def clean(self):
        data = super().clean()
        chosen = list(data.get("categories") or [])
        if len(chosen) > MAX_CATEGORIES:
            self.add_error("categories", _("Choose at most %(n)s categories.") % {"n": MAX_CATEGORIES})
        main = data.get("main_category")
        if main is not None and chosen and main not in chosen:
            self.add_error("main_category", _("The main category must be one of those chosen."))
        if chosen:
            main = main or chosen[0]
            data["ordered_categories"] = [main] + [c for c in chosen if c != main]
        return data


class RequestSubmitForm(RequestFields):
    """An enterprise account's request."""


def find_enterprise(text: str):
    """The enterprise whose unified social credit code or exact name is ``text`` (None if none or several)."""
    text = (text or "").strip()
    if not text:
        return None
    found = list(Enterprise.objects.filter(Q(uscc__iexact=text) | Q(name=text))[:2])
    return found[0] if len(found) == 1 else None


class RequestEntryForm(RequestFields):
    """An officer's entry of a request received by phone, visit or 12345 transfer."""

    enterprise = forms.CharField(
        label=_("Enterprise"),
        max_length=200,
        help_text=_("Its unified social credit code or its full registered name."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    received_at = forms.DateTimeField(
        label=_("Received at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    field_order = ["enterprise", "channel", "received_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["channel"].widget.attrs["class"] = "form-select"
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def clean_enterprise(self):
        enterprise = find_enterprise(self.cleaned_data["enterprise"])
        if enterprise is None:
            raise forms.ValidationError(_("No single enterprise has this credit code or name."))
        return enterprise

    def clean_received_at(self):
        moment = self.cleaned_data["received_at"]
        if moment and moment > timezone.now():
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return moment


class TextForm(BaseForm):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class NoteForm(BaseForm):
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class AnswerForm(BaseForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))


class TeamForm(BaseForm):
    team = forms.ModelChoiceField(label=_("Department"), queryset=Team.objects.none())
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = department_choices()
        if exclude is not None:
            teams = teams.exclude(pk=exclude.pk)
        self.fields["team"].queryset = teams
        self.fields["team"].widget.attrs["class"] = "form-select"


class SendBackForm(BaseForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    team = forms.ModelChoiceField(label=_("Suggested department"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = department_choices()
        if exclude is not None:
            teams = teams.exclude(pk=exclude.pk)
        self.fields["team"].queryset = teams
        self.fields["team"].widget.attrs["class"] = "form-select"


class ArbitrateForm(BaseForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: route it elsewhere")), ("refuse", _("Refuse: it stays"))],
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(label=_("Route to"), queryset=Team.objects.none(), required=False)
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = department_choices()
        self.fields["team"].widget.attrs["class"] = "form-select"


class RatingForm(BaseForm):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Required when unsatisfied."),
    )


class VisitForm(RatingForm):
    note = forms.CharField(
        label=_("How the visit was made"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class SupervisorForm(BaseForm):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()
        )
        self.fields["supervisor"].widget.attrs["class"] = "form-select"


class AccountForm(BaseForm):
    """An enterprise account for a person of a firm: they set their password from the link they receive."""

    enterprise = forms.CharField(
        label=_("Enterprise"),
        max_length=200,
        help_text=_("Its unified social credit code or its full registered name."),
    )
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30)
    email = forms.EmailField(label=_("E-mail"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_enterprise(self):
        enterprise = find_enterprise(self.cleaned_data["enterprise"])
        if enterprise is None:
            raise forms.ValidationError(_("No single enterprise has this credit code or name."))
        return enterprise

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name
