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


class FactKind(models.TextChoices):
    """The workforce, supply-chain and cost facts an investor compares between places (geo.LocationFact)."""

    AVERAGE_WAGE = "average_wage", _("Average monthly wage")
    MINIMUM_WAGE = "minimum_wage", _("Minimum monthly wage")
    WORKING_AGE = "working_age", _("Working-age population")
    GRADUATES = "graduates", _("Graduates per year")
    COLLEGES = "colleges", _("Universities and vocational colleges")
    SUPPLIERS = "suppliers", _("Suppliers of the chain nearby")
    TO_PORT = "to_port", _("Logistics time to a port")
    TO_AIRPORT = "to_airport", _("Logistics time to an airport")
    TO_CITY = "to_city", _("Travel time to a major city")
    ELECTRICITY_PRICE = "electricity_price", _("Industrial electricity price")
    WATER_PRICE = "water_price", _("Industrial water price")
    GAS_PRICE = "gas_price", _("Industrial natural gas price")


# The unit in which each kind's value is given (shown beside the value).
FACT_UNITS = {
    FactKind.AVERAGE_WAGE: _("yuan per month"),
    FactKind.MINIMUM_WAGE: _("yuan per month"),
    FactKind.WORKING_AGE: _("10,000 people"),
    FactKind.GRADUATES: _("people"),
    FactKind.COLLEGES: _("institutions"),
    FactKind.SUPPLIERS: _("enterprises"),
    FactKind.TO_PORT: _("hours"),
    FactKind.TO_AIRPORT: _("hours"),
    FactKind.TO_CITY: _("hours"),
    FactKind.ELECTRICITY_PRICE: _("yuan per kWh"),
    FactKind.WATER_PRICE: _("yuan per m³"),
    FactKind.GAS_PRICE: _("yuan per m³"),
}
