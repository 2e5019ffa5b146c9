from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Team, adcode_prefix, adcode_validator
from zhaoshang.core.choices import Action
from zhaoshang.core.models import BaseModel, SearchableModel
from zhaoshang.core.permissions import Scope, user_scope

from .choices import Availability, CarrierKind, LandUse, ParkLevel, RegionLevel


class Mapped(models.Model):
    """A boundary (GeoJSON geometry in WGS84 longitude/latitude) with its bbox and a centre point.

    The bbox columns let a map ask for what lies in its viewport through an index.
    """

    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON geometry, WGS84"))
    min_lon = models.FloatField(_("west"), null=True, blank=True)
    min_lat = models.FloatField(_("south"), null=True, blank=True)
    max_lon = models.FloatField(_("east"), null=True, blank=True)
    max_lat = models.FloatField(_("north"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)

    class Meta:
        abstract = True

    def set_boundary(self, geometry: dict | None) -> None:
        """Store a GeoJSON geometry and derive bbox and centre (an interior point) from it."""
        from shapely.geometry import mapping, shape

        self.boundary = geometry
        if not geometry:
            self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
            return
        geom = shape(geometry)
        self.boundary = mapping(geom)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geom.bounds
        point = geom.representative_point()
        self.centre_lon, self.centre_lat = round(point.x, 6), round(point.y, 6)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.min_lon is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)


class Region(Mapped, BaseModel):
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

    @classmethod
    def public_q(cls):
        # Administrative boundaries are public reference data (the portal's base map).
        return Q()


industry_code_validator = RegexValidator(
    r"^([A-T]|\d{2,4})$", _("An industry code of GB/T 4754-2017 is a section letter A–T or 2 to 4 digits.")
)


class IndustryLink(models.Model):
    """One GB/T 4754-2017 code a site or park is meant for (the codes are a published standard)."""

    code = models.CharField(_("industry code"), max_length=4, validators=[industry_code_validator])

    class Meta:
        abstract = True

    def __str__(self):
        return self.code


class Listing(Mapped, SearchableModel):
    """What the public map shows: published by a responsible team and verified at a known date."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team,
        verbose_name=_("responsible team"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team that keeps this listing current and answers its inquiries."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_name_en = models.CharField(_("contact person (English)"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    last_verified = models.DateField(_("last verified"), help_text=_("When the team last confirmed these facts."))

    audit_exclude = ("search_text", "boundary")

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description

    @property
    def display_contact_name(self) -> str:
        if get_language() == "en" and self.contact_name_en:
            return self.contact_name_en
        return self.contact_name

    @classmethod
    def stale_before(cls, today: date | None = None) -> date:
        """Listings verified before this day are stale (ZHAOSHANG_LISTING_STALE_DAYS, default 180)."""
        today = today or timezone.localdate()
        return today - timedelta(days=settings.ZHAOSHANG_LISTING_STALE_DAYS)

    @property
    def is_stale(self) -> bool:
        return self.last_verified < self.stale_before()

    @classmethod
    def current_q(cls, today: date | None = None) -> Q:
        return Q(published=True, last_verified__gte=cls.stale_before(today))

    @classmethod
    def public_q(cls):
        # Anonymous investors see published listings verified within the period, nothing else.
        return cls.current_q()

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if action == Action.VIEW or scope.in_centre(action):
            return Q()  # every member of staff reads all listings; the centre keeps all of them
        return scope.team_q(action, "team") | scope.region_q(action, "region__adcode")

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or bool(scope.teams(Action.ADD))

    def search_values(self):
        return [self.name, self.name_en, self.description, self.region.name if self.region_id else ""]


class Park(Listing):
    """An industrial park or cluster (产业园区 / 产业集聚区) and what it seeks."""

    level = models.CharField(_("level"), max_length=12, choices=ParkLevel.choices, default=ParkLevel.MUNICIPAL)
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["region__adcode", "name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], name="geo_park_unique_name", violation_error_message=_("A park of this name exists.")
            ),
        ]
        indexes = [
            # serves viewport queries of the map (parks whose bbox meets the view)
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="geo_park_bbox_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("portal:park-detail", args=[self.pk])

    @property
    def industry_codes(self) -> list[str]:
        return sorted(link.code for link in self.industries.all())


class ParkIndustry(IndustryLink):
    park = models.ForeignKey(Park, verbose_name=_("park"), on_delete=models.CASCADE, related_name="industries")

    class Meta:
        ordering = ["park", "code"]
        verbose_name = _("leading industry of a park")
        verbose_name_plural = _("leading industries of parks")
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="geo_park_industry_unique")]
        indexes = [
            # serves "parks that seek industry X"
            models.Index(fields=["code", "park"], name="geo_park_industry_code_idx"),
        ]


class Carrier(Listing):
    """A site a project can land on (载体): a land parcel, a standard factory or office space."""

    kind = models.CharField(_("kind"), max_length=10, choices=CarrierKind.choices)
    reference = models.CharField(
        _("listing number"), max_length=40, unique=True, help_text=_("The number printed on maps and brochures.")
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.SET_NULL, related_name="carriers"
    )
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.AVAILABLE
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    # Land parcel (地块)
    area_mu = models.DecimalField(
        _("land area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    land_use = models.CharField(_("land use"), max_length=6, choices=LandUse.choices, blank=True)
    plot_ratio_min = models.DecimalField(
        _("plot ratio from"), max_digits=4, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    plot_ratio_max = models.DecimalField(
        _("plot ratio to"), max_digits=4, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    land_price = models.DecimalField(
        _("land price (10,000 yuan per mu)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Standard factory (标准厂房) and office space (楼宇)
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    floor_load_kn = models.DecimalField(
        _("floor load (kN/m²)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    clear_height_m = models.DecimalField(
        _("clear height (m)"), max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rent = models.DecimalField(
        _("rent (yuan per m² and month)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sale_price = models.DecimalField(
        _("sale price (yuan per m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Infrastructure
    power_kva = models.PositiveIntegerField(_("power capacity (kVA)"), null=True, blank=True)
    water_t_day = models.DecimalField(
        _("water supply (t/day)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    gas = models.BooleanField(_("piped gas"), default=False)
    wastewater_t_day = models.DecimalField(
        _("wastewater capacity (t/day)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    port_km = models.DecimalField(_("to port (km)"), max_digits=6, decimal_places=1, null=True, blank=True)
    rail_km = models.DecimalField(_("to rail freight (km)"), max_digits=6, decimal_places=1, null=True, blank=True)
    highway_km = models.DecimalField(_("to highway exit (km)"), max_digits=6, decimal_places=1, null=True, blank=True)
    airport_km = models.DecimalField(_("to airport (km)"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.CheckConstraint(
                condition=Q(plot_ratio_min__isnull=True)
                | Q(plot_ratio_max__isnull=True)
                | Q(plot_ratio_min__lte=F("plot_ratio_max")),
                name="geo_carrier_plot_ratio_range",
                violation_error_message=_("The plot ratio range runs from the smaller to the larger value."),
            ),
        ]
        indexes = [
            # serves the map's viewport query: bbox + public filter answered from the index alone
            models.Index(
                fields=["lon", "lat", "published", "last_verified", "availability"], name="geo_carrier_viewport_idx"
            ),
            # serves the public filter (published, verified within the period)
            models.Index(fields=["published", "last_verified"], name="geo_carrier_public_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.display_name}"

    def get_absolute_url(self):
        return reverse("portal:carrier-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.kind == CarrierKind.PARCEL and not self.area_mu:
            errors["area_mu"] = _("A land parcel needs its land area.")
        if self.kind in (CarrierKind.FACTORY, CarrierKind.OFFICE) and not self.floor_area_m2:
            errors["floor_area_m2"] = _("A factory or office needs its floor area.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def public_q(cls):
        # A taken site is no longer on offer.
        return super().public_q() & ~Q(availability=Availability.TAKEN)

    @property
    def industry_codes(self) -> list[str]:
        return sorted(link.code for link in self.industries.all())

    @property
    def land_cost_wan(self) -> Decimal | None:
        """Land price × area, in 万元 (for a parcel)."""
        if self.area_mu is None or self.land_price is None:
            return None
        return self.area_mu * self.land_price


# The facts of a site, in the order forms, the API and exports show them.
CARRIER_FACTS = (
    "area_mu",
    "land_use",
    "plot_ratio_min",
    "plot_ratio_max",
    "land_price",
    "floor_area_m2",
    "floors",
    "floor_load_kn",
    "clear_height_m",
    "rent",
    "sale_price",
    "power_kva",
    "water_t_day",
    "gas",
    "wastewater_t_day",
    "port_km",
    "rail_km",
    "highway_km",
    "airport_km",
)


class CarrierIndustry(IndustryLink):
    carrier = models.ForeignKey(Carrier, verbose_name=_("site"), on_delete=models.CASCADE, related_name="industries")

    class Meta:
        ordering = ["carrier", "code"]
        verbose_name = _("suitable industry of a site")
        verbose_name_plural = _("suitable industries of sites")
        constraints = [models.UniqueConstraint(fields=["carrier", "code"], name="geo_carrier_industry_unique")]
        indexes = [
            # serves "sites suitable for industry X" (map filter, matching)
            models.Index(fields=["code", "carrier"], name="geo_carrier_industry_code_idx"),
        ]
