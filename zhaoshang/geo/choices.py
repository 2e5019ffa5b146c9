from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")


class ParkLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    CLUSTER = "cluster", _("Major industrial cluster")
    OTHER = "other", _("Other")


class CarrierKind(models.TextChoices):
    """What a project can land on (载体)."""

    PARCEL = "parcel", _("Land parcel")
    FACTORY = "factory", _("Standard factory")
    OFFICE = "office", _("Office space")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    TAKEN = "taken", _("Taken")


class LandUse(models.TextChoices):
    """Land-use classes of GB 50137 relevant to investment (M industrial, W warehouse, B commercial)."""

    M1 = "M1", _("Class 1 industrial (M1)")
    M2 = "M2", _("Class 2 industrial (M2)")
    M3 = "M3", _("Class 3 industrial (M3)")
    W = "W", _("Logistics and warehousing (W)")
    B = "B", _("Commercial and business (B)")
    MIXED = "mixed", _("Mixed industrial (M0)")
