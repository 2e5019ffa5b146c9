"""The demo's geography: the city's regions; and, once the portal has made the parks and sites, their location
facts and a few drawn photos (``load_media``, called by the portal's demo)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from .choices import FactKind
from .services import load_regions

# Every figure below is a plausible figure made for the demo, not a published one: named so on every page.
DEMO_SOURCE = "演示数据"
DEMO_SOURCE_EN = "demo data"
PHOTOS_PER_KIND = 3  # parks and sites given a photo (the first of each, so that the demo pages show galleries)


def load(ctx):
    load_regions(ctx.city_adcode)


# District → (average wage yuan/month, working-age population 10,000, graduates per year, hours to the port,
# hours to Guangzhou).
DISTRICT_FIGURES = {
    "440703": (7600, 58, 21000, Decimal("1.0"), Decimal("1.5")),
    "440704": (7300, 22, 6000, Decimal("1.0"), Decimal("1.5")),
    "440705": (7100, 62, 8000, Decimal("0.8"), Decimal("1.8")),
    "440781": (6200, 60, 3500, Decimal("0.5"), Decimal("2.5")),
    "440783": (6300, 44, 4000, Decimal("1.2"), Decimal("2.0")),
    "440784": (6800, 33, 3000, Decimal("1.2"), Decimal("1.3")),
    "440785": (6000, 30, 2500, Decimal("1.5"), Decimal("2.5")),
}
COLLEGES = {
    "440703": (2, "五邑大学、江门职业技术学院", "Wuyi University, Jiangmen Polytechnic"),
}


def load_facts(regions, parks, as_of: date):
    """Facts of every demo district and of the first parks (a park's replaces its district's of the same kind)."""
    from .models import LocationFact

    facts = []

    def fact(kind, value=None, text="", text_en="", **place):
        facts.append(
            LocationFact(
                kind=kind,
                value=value,
                text=text,
                text_en=text_en,
                source=DEMO_SOURCE,
                source_en=DEMO_SOURCE_EN,
                as_of=as_of,
                **place,
            )
        )

    for region in regions:
        figures = DISTRICT_FIGURES.get(region.adcode)
        if figures is None:
            continue
        wage, working, graduates, port, city = figures
        place = {"region": region}
        fact(FactKind.AVERAGE_WAGE, Decimal(wage), **place)
        fact(FactKind.MINIMUM_WAGE, Decimal(1850), **place)
        fact(FactKind.WORKING_AGE, Decimal(working), **place)
        fact(FactKind.GRADUATES, Decimal(graduates), **place)
        if region.adcode in COLLEGES:
            count, names, names_en = COLLEGES[region.adcode]
            fact(FactKind.COLLEGES, Decimal(count), names, names_en, **place)
        fact(FactKind.TO_PORT, port, "到江门港（集装箱码头）", "to Jiangmen port (container terminal)", **place)
        fact(FactKind.TO_CITY, city, "到广州市中心", "to central Guangzhou", **place)
        fact(
            FactKind.ELECTRICITY_PRICE, Decimal("0.68"), "一般工商业平段电价", "general industry, flat period", **place
        )
        fact(FactKind.WATER_PRICE, Decimal("2.95"), **place)
        fact(FactKind.GAS_PRICE, Decimal("4.10"), **place)
    for number, park in enumerate(parks[:PHOTOS_PER_KIND]):
        fact(
            FactKind.SUPPLIERS,
            Decimal(40 + 25 * number),
            "园区内及周边 30 公里",
            "in the park and within 30 km",
            park=park,
        )
        fact(FactKind.TO_PORT, Decimal("0.5"), "园区专用货运通道", "by the park's own freight road", park=park)
    LocationFact.objects.bulk_create(facts)
    return facts


def drawn_photo(seed: int, width: int = 960, height: int = 600) -> bytes:
    """A simple drawn picture of an industrial estate (sky, hills, halls, a road) as a JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (150 + seed * 13 % 60, 190 + seed * 7 % 40, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width - 160, 40, width - 80, 120), fill=(255, 220, 120))
    draw.polygon(
        [(0, 330), (220, 220), (460, 320), (700, 210), (width, 320), (width, height), (0, height)], fill=(110, 160, 110)
    )
    draw.rectangle((0, 420, width, height), fill=(120, 170, 100))
    for index in range(4):
        left = 60 + index * 220 + seed * 11 % 40
        top = 300 - (index + seed) % 3 * 30
        draw.rectangle((left, top, left + 180, 430), fill=(200 - index * 20, 205, 215), outline=(80, 90, 100), width=3)
        draw.polygon([(left, top), (left + 90, top - 40), (left + 180, top)], fill=(70, 110, 160))
    draw.rectangle((0, 470, width, 520), fill=(90, 90, 90))
    draw.line((0, 495, width, 495), fill=(240, 240, 240), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def load_photos(parks, carriers):
    """One drawn cover photo for each of the first parks and sites."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .models import ListingPhoto
    from .services import prepare_photo, save_photo

    made = []
    for number, listing in enumerate([*parks[:PHOTOS_PER_KIND], *carriers[:PHOTOS_PER_KIND]]):
        field = "park" if listing in parks else "carrier"
        photo = ListingPhoto(
            **{field: listing},
            image=SimpleUploadedFile(f"demo-{field}-{listing.pk}.jpg", drawn_photo(number), "image/jpeg"),
            alt_text=f"{listing.name}：厂房与道路（示意图）",
            alt_text_en=f"{listing.name_en or listing.name}: halls and road (drawing)",
            cover=True,
        )
        prepare_photo(photo)
        save_photo(photo)
        made.append(photo)
    return made


def load_media(ctx, regions, parks, carriers, as_of: date):
    """The facts and photos of the demo's places (called by the portal's demo once its parks and sites exist)."""
    ctx.data["location_facts"] = load_facts(regions, parks, as_of)
    ctx.data["photos"] = load_photos(parks, carriers)
