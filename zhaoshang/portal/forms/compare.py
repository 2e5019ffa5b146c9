"""Saving a comparison of sites as a proposal: the sites come from the ``sites`` parameters, the title from here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import BaseForm


class ComparisonSaveForm(BaseForm):
    title = forms.CharField(label=_("Title of the proposal"), max_length=150, required=False)
