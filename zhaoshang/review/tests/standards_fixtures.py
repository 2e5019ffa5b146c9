"""Fixtures of the standards tests (imported by each test module, so the app keeps no shared conftest): the
seeded standards, a project and a review with figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.projects.tests.factories import ProjectFactory


@pytest.fixture(name="standards")
def standards_fixture(city):
    """The standards as the data migration leaves them (seeded again after a test that emptied the tables)."""
    from django.apps import apps

    from zhaoshang.review.models import StandardSet, Zone
    from zhaoshang.review.standards_seed import CURRENT_SET, OLD_SET, seed

    seed(apps)
    return {
        "old": StandardSet.objects.get(effective_from=OLD_SET["effective_from"]),
        "current": StandardSet.objects.get(effective_from=CURRENT_SET["effective_from"]),
        "zones": {zone.code: zone for zone in Zone.objects.all()},
    }


@pytest.fixture(name="make_review")
def make_review_fixture(standards, city, outpost_a):
    """A draft review of a project of ``outpost_a`` in 蓬江区 with the given figures."""
    from zhaoshang.geo.models import Region
    from zhaoshang.review.choices import ReviewKind
    from zhaoshang.review.models import Review

    def make(**fields):
        project = ProjectFactory(owner_team=outpost_a, district=Region.objects.get(adcode="440703"))
        fields.setdefault("kind", ReviewKind.INDUSTRIAL)
        return Review.objects.create(project=project, **fields)

    return make


# Figures computed by hand in the tests (100 亩 = 66,666.67 m²).
FIGURES = {
    "site_area_mu": Decimal("100"),
    "total_investment": Decimal("50000"),
    "fixed_asset_investment": Decimal("30000"),
    "land_price": Decimal("3000"),
    "floor_area_m2": Decimal("60000"),
    "high_storey_floor_area_m2": Decimal("6000"),
    "footprint_m2": Decimal("20000"),
    "admin_land_m2": Decimal("4000"),
    "green_land_m2": Decimal("10000"),
    "annual_output": Decimal("2000"),
    "annual_tax": Decimal("2500"),
    "annual_energy_tce": Decimal("100"),
}
