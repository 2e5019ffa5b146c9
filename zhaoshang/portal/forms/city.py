"""The staff form of the city's page (its introduction, slogan and contacts in Chinese and English)."""

from __future__ import annotations

from zhaoshang.core.forms import BaseModelForm

from ..models import CityProfile
from .listings import TEXT_WIDGET


class CityProfileForm(BaseModelForm):
    class Meta:
        model = CityProfile
        fields = [
            "slogan",
            "slogan_en",
            "intro",
            "intro_en",
            "office",
            "office_en",
            "phone",
            "email",
            "address",
            "address_en",
        ]
        widgets = {"intro": TEXT_WIDGET, "intro_en": TEXT_WIDGET}
