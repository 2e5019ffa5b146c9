from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import adcode_prefix, adcode_validator
from zhaoshang.core.models import BaseModel

from .choices import RegionLevel


class Region(BaseModel):
    """An administrative region (province, city, district/county) with its boundary.

    Boundaries are GeoJSON geometries in WGS84 (EPSG:4326) longitude/latitude;
    the bbox columns let a map ask for what lies in its viewport with an index.
    """

    adcode = models.CharField(_("administrative code"), max_length=6, unique=True, validators=[adcode_validator])
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON geometry, WGS84"))
    min_lon = models.FloatField(_("west"), null=True, blank=True)
    min_lat = models.FloatField(_("south"), null=True, blank=True)
    max_lon = models.FloatField(_("east"), null=True, blank=True)
    max_lat = models.FloatField(_("north"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    audit_exclude = ("boundary",)

    class Meta:
        ordering = ["adcode"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [
            # serves viewport queries of the map (regions whose bbox meets the view)
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="geo_region_bbox_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("geo:region-detail", args=[self.adcode])

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def code_prefix(self) -> str:
        return adcode_prefix(self.adcode)

    def descendants_and_self(self):
        return Region.objects.filter(adcode__startswith=self.code_prefix)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.min_lon is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)

    @classmethod
    def public_q(cls):
        # Administrative boundaries are public reference data (the portal's base map).
        return Q()
