"""The street address of parks and sites: shown in the page language and part of their search text."""

import importlib

from django.apps import apps
from django.utils import translation

from zhaoshang.core import search
from zhaoshang.geo.models import Carrier, Park
from zhaoshang.geo.tests.factories import CarrierFactory, ParkFactory

migration = importlib.import_module("zhaoshang.geo.migrations.0006_listing_address")


def test_the_display_address_is_english_on_english_pages_and_falls_back_to_chinese(city):
    site = CarrierFactory(address="江门市蓬江区棠下镇堡棠路123号", address_en="123 Baotang Road")
    park = ParkFactory(address="台山市广海镇海滨路18号")
    with translation.override("en"):
        assert (site.display_address, park.display_address) == ("123 Baotang Road", "台山市广海镇海滨路18号")
    with translation.override("zh-hans"):
        assert site.display_address == "江门市蓬江区棠下镇堡棠路123号"


def test_saving_indexes_the_address_in_both_languages(city):
    site = CarrierFactory(name="甲地块", address="江门市蓬江区荷塘镇堡棠路123号", address_en="123 Baotang Road")
    park = ParkFactory(name="乙园", address="江门市蓬江区棠下镇桐井路8号")
    for query in ("堡棠路", "荷塘", "baotang", "Baotang Road"):
        assert list(Carrier.objects.filter(search.query_q(query))) == [site], query
    for query in ("棠下镇", "桐井", "tangxia"):
        assert list(Park.objects.filter(search.query_q(query))) == [park], query


def test_the_migration_refills_the_search_text_of_existing_listings(city):
    site = CarrierFactory(name="甲地块")
    park = ParkFactory(name="乙园")
    # addresses written before the search text knew of them
    Carrier.objects.filter(pk=site.pk).update(address="荷塘镇堡棠路1号", address_en="1 Baotang Road", search_text="")
    Park.objects.filter(pk=park.pk).update(address="棠下镇桐井路8号", search_text="")
    assert not Carrier.objects.filter(search.query_q("堡棠路")).exists()

    migration.index_listings(apps, None)

    site.refresh_from_db()
    park.refresh_from_db()
    assert site.search_text == search.build_search_text(*site.search_values())
    assert park.search_text == search.build_search_text(*park.search_values())
    assert list(Carrier.objects.filter(search.query_q("baotang"))) == [site]
    assert list(Park.objects.filter(search.query_q("桐井路"))) == [park]
