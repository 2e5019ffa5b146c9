"""Factories of parks and sites. They need the city's regions: use the ``city`` fixture."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.core import generations
from zhaoshang.geo.choices import Availability, CarrierKind, LandUse, ParkLevel
from zhaoshang.geo.models import Carrier, CarrierIndustry, Park, ParkIndustry, Region


def district(adcode: str = "440703") -> Region:
    return Region.objects.get(adcode=adcode)


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试产业园{n}")
    name_en = factory.Sequence(lambda n: f"Test Industrial Park {n}")
    region = factory.LazyFunction(district)
    team = factory.SubFactory(TeamFactory)
    level = ParkLevel.PROVINCIAL
    published = True
    last_verified = factory.LazyFunction(timezone.localdate)
    area_mu = Decimal("3000")

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if create and extracted:
            ParkIndustry.objects.bulk_create([ParkIndustry(park=self, code=code) for code in extracted])
            generations.bulk_saved.send(sender=ParkIndustry, using=ParkIndustry.objects.db)  # as the app's bulk writes

    @factory.post_generation
    def square(self, create, extracted, **kwargs):
        """A small square boundary around the district's centre (or around ``square=(lon, lat)``)."""
        if not create:
            return
        lon, lat = extracted or (self.region.centre_lon, self.region.centre_lat)
        d = 0.01
        self.set_boundary(
            {
                "type": "Polygon",
                "coordinates": [
                    [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
                ],
            }
        )
        self.save()


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier
        skip_postgeneration_save = True

    kind = CarrierKind.PARCEL
    reference = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"测试地块{n}")
    name_en = factory.Sequence(lambda n: f"Test parcel {n}")
    region = factory.LazyFunction(district)
    team = factory.SubFactory(TeamFactory)
    lon = factory.LazyAttribute(lambda c: c.region.centre_lon)
    lat = factory.LazyAttribute(lambda c: c.region.centre_lat)
    availability = Availability.AVAILABLE
    published = True
    last_verified = factory.LazyFunction(timezone.localdate)
    area_mu = Decimal("50")
    land_use = LandUse.M1
    land_price = Decimal("60")
    power_kva = 5000

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if create and extracted:
            CarrierIndustry.objects.bulk_create([CarrierIndustry(carrier=self, code=code) for code in extracted])
            generations.bulk_saved.send(sender=CarrierIndustry, using=CarrierIndustry.objects.db)  # as the app does


def stale_date(days_more: int = 1):
    """A verification date just past the staleness period."""
    return Carrier.stale_before() - timedelta(days=days_more)
