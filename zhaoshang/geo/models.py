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
from zhaoshang.core.permissions import Scope, is_everything, user_scope
from zhaoshang.core.storage import private_storage

from .choices import FACT_UNITS, Availability, CarrierKind, FactKind, LandUse, ParkLevel, RegionLevel
from .validators import validate_listing_document, validate_photo


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
    address = models.CharField(
        _("address"),
        max_length=200,
        blank=True,
        help_text=_("The street address in Chinese, e.g. 江门市蓬江区堡棠路123号."),
    )
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
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
    def display_address(self) -> str:
        if get_language() == "en" and self.address_en:
            return self.address_en
        return self.address

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
        return [
            self.name,
            self.name_en,
            self.description,
            self.region.name if self.region_id else "",
            self.address,
            self.address_en,
        ]


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


# ---------------------------------------------------------------- photos and documents of parks and sites


def _listings_q(model, q: Q, field: str) -> Q:
    """The records whose ``field`` (a park or a site) is one of ``model``'s records that ``q`` names."""
    if is_everything(q):
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{field}__in": model.objects.filter(q).values("pk")})


class ListingMedia(BaseModel):
    """A file of a park or of a site (exactly one of them); it follows its listing's access: the public reads the
    files of the listings the public reads, staff those of every listing, and whoever may change the listing adds
    and deletes its files."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("site"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))

    class Meta:
        abstract = True

    @property
    def listing(self):
        return self.carrier if self.carrier_id else self.park

    def get_absolute_url(self):
        return self.listing.get_absolute_url()

    @classmethod
    def public_q(cls):
        return _listings_q(Carrier, Carrier.public_q(), "carrier") | _listings_q(Park, Park.public_q(), "park")

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if action == Action.VIEW or scope.in_centre(action):
            return Q()
        return _listings_q(Carrier, Carrier.scope_q(scope, action), "carrier") | _listings_q(
            Park, Park.scope_q(scope, action), "park"
        )

    @classmethod
    def can_add(cls, user) -> bool:
        return Listing.can_add(user)

    @classmethod
    def one_listing(cls, name: str):
        return models.CheckConstraint(
            condition=Q(carrier__isnull=False, park__isnull=True) | Q(carrier__isnull=True, park__isnull=False),
            name=name,
            violation_error_message=_("A file belongs to one park or to one site."),
        )


def photo_path(instance, filename: str) -> str:
    owner = f"sites/{instance.carrier_id}" if instance.carrier_id else f"parks/{instance.park_id}"
    return f"geo/{owner}/photos/{filename}"


def thumbnail_path(instance, filename: str) -> str:
    owner = f"sites/{instance.carrier_id}" if instance.carrier_id else f"parks/{instance.park_id}"
    return f"geo/{owner}/thumbnails/{filename}"


def document_path(instance, filename: str) -> str:
    owner = f"sites/{instance.carrier_id}" if instance.carrier_id else f"parks/{instance.park_id}"
    return f"geo/{owner}/documents/{filename}"


class ListingPhoto(ListingMedia):
    """A photo of a park or site: JPEG, PNG or WebP (stored without its metadata, upright), its thumbnail, its
    description in Chinese and English for those who cannot see it, and whether it is the listing's cover."""

    image = models.FileField(
        _("photo"), upload_to=photo_path, storage=private_storage, max_length=300, validators=[validate_photo]
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=thumbnail_path, storage=private_storage, max_length=300, blank=True, editable=False
    )
    width = models.PositiveIntegerField(_("width (px)"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height (px)"), default=0, editable=False)
    alt_text = models.CharField(
        _("description"), max_length=200, help_text=_("What the photo shows, for readers who cannot see it.")
    )
    alt_text_en = models.CharField(_("English description"), max_length=300)
    cover = models.BooleanField(_("cover photo"), default=False, help_text=_("Shown first and in proposals."))

    class Meta:
        ordering = ["-cover", "order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            ListingMedia.one_listing("geo_photo_one_listing"),
            models.UniqueConstraint(
                fields=["carrier"],
                condition=Q(cover=True, carrier__isnull=False),
                name="geo_photo_one_cover_per_site",
                violation_error_message=_("A site has one cover photo."),
            ),
            models.UniqueConstraint(
                fields=["park"],
                condition=Q(cover=True, park__isnull=False),
                name="geo_photo_one_cover_per_park",
                violation_error_message=_("A park has one cover photo."),
            ),
        ]
        indexes = [
            # serves a listing's gallery and the cover of many sites at once (geo.services.cover_photos)
            models.Index(fields=["carrier", "cover", "order"], name="geo_photo_site_idx"),
            models.Index(fields=["park", "cover", "order"], name="geo_photo_park_idx"),
        ]

    def __str__(self):
        return self.display_alt

    @property
    def display_alt(self) -> str:
        if get_language() == "en" and self.alt_text_en:
            return self.alt_text_en
        return self.alt_text

    @property
    def url(self) -> str:
        return reverse("portal:photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("portal:photo-thumbnail", args=[self.pk])


class ListingDocument(ListingMedia):
    """A PDF of a park or site for investors (brochure, plan), with its title in Chinese and English."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        storage=private_storage,
        max_length=300,
        validators=[validate_listing_document],
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("listing document")
        verbose_name_plural = _("listing documents")
        constraints = [ListingMedia.one_listing("geo_document_one_listing")]
        indexes = [
            # serves a listing's documents list
            models.Index(fields=["carrier", "order"], name="geo_document_site_idx"),
            models.Index(fields=["park", "order"], name="geo_document_park_idx"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title

    @property
    def url(self) -> str:
        return reverse("portal:listing-document", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size or 0
        return super().save(*args, **kwargs)


# ---------------------------------------------------------------- workforce, supply-chain and cost facts


class LocationFact(BaseModel):
    """A fact an investor compares between places (wages, labour, colleges, suppliers, logistics, utility prices),
    kept for a district or for a park, with its source and the day it holds for. A park's fact of a kind replaces
    its district's fact of the same kind (geo.services.location_facts).

    Everyone reads a district's facts and the facts of the parks they may read; the centre keeps the districts'
    facts, whoever may change a park keeps the park's."""

    region = models.ForeignKey(
        Region, verbose_name=_("district"), null=True, blank=True, on_delete=models.CASCADE, related_name="facts"
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.CASCADE, related_name="facts"
    )
    kind = models.CharField(_("fact"), max_length=20, choices=FactKind.choices)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("In the unit of the fact.")
    )
    text = models.CharField(
        _("details"), max_length=300, blank=True, help_text=_("E.g. the names of colleges, “2 h to Guangzhou port”.")
    )
    text_en = models.CharField(_("English details"), max_length=400, blank=True)
    source = models.CharField(_("source"), max_length=200, help_text=_("The document or organisation it comes from."))
    source_en = models.CharField(_("English source"), max_length=300, blank=True)
    as_of = models.DateField(_("as of"), help_text=_("The day the figure holds for."))

    class Meta:
        ordering = ["region__adcode", "park__name", "kind"]
        verbose_name = _("location fact")
        verbose_name_plural = _("location facts")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, park__isnull=True) | Q(region__isnull=True, park__isnull=False),
                name="geo_fact_one_place",
                violation_error_message=_("A fact belongs to one district or to one park."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""),
                name="geo_fact_has_content",
                violation_error_message=_("A fact needs a value or details."),
            ),
            models.UniqueConstraint(
                fields=["region", "kind"],
                name="geo_fact_unique_region_kind",
                violation_error_message=_("This district already has this fact."),
            ),
            models.UniqueConstraint(
                fields=["park", "kind"],
                name="geo_fact_unique_park_kind",
                violation_error_message=_("This park already has this fact."),
            ),
        ]

    def __str__(self):
        return f"{self.place} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("portal:staff-fact-edit", args=[self.pk])

    @property
    def place(self):
        return self.park if self.park_id else self.region

    @property
    def unit(self) -> str:
        return str(FACT_UNITS.get(self.kind, ""))

    @property
    def display_text(self) -> str:
        if get_language() == "en" and self.text_en:
            return self.text_en
        return self.text

    @property
    def display_source(self) -> str:
        if get_language() == "en" and self.source_en:
            return self.source_en
        return self.source

    @classmethod
    def public_q(cls):
        return Q(park__isnull=True) | _listings_q(Park, Park.public_q(), "park")

    @classmethod
    def scope_q(cls, scope: Scope, action: str):
        if action == Action.VIEW or scope.in_centre(action):
            return Q()
        return _listings_q(Park, Park.scope_q(scope, action), "park")

    @classmethod
    def can_add(cls, user) -> bool:
        return Listing.can_add(user)
