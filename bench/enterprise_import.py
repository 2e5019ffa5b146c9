"""The enterprise library's import: 100,000 rows of a workbook, every check, into a register already holding records.

Data: ``--existing`` enterprises (default 100,000) already on record (generated once with bulk inserts, in a
database of its own: ``var/bench/bench_enterprises.sqlite3``, or the ``BENCH_DATABASE_URL`` database's name with
``_enterprises``) and a workbook of ``--rows`` new ones (default 100,000) written with openpyxl in the template's
columns: name, credit code, district (40%) or city and country, industry code, tags, size, registered capital,
revenue band, employees, address and main products.
Target (the issue): ``EnterpriseImporter.run`` end to end — read the workbook, map the headers, look every code and
name up, validate every row with its form, save all rows with their search text, tags and change records — ≤ 120 s.
The floor writes the same rows (the same columns, keys, search text and tag links; no checks, no change records)
from the same workbook with openpyxl and one raw ``executemany`` per table; both are checked equal before timing.
Each measurement runs in a transaction rolled back afterwards. ``BENCH_PROFILE=cumulative`` (or ``tottime``)
prints a cProfile of the import.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import city_and_teams, report, setup_django

PREFIX = "BEI"
CITIES = [
    ("深圳", "中国"),
    ("上海", "中国"),
    ("苏州", "中国"),
    ("香港", "中国"),
    ("Munich", "Germany"),
    ("Osaka", "Japan"),
]
PRODUCTS = [
    "正极材料",
    "负极材料",
    "锂电池隔膜",
    "电解液",
    "电芯",
    "储能系统",
    "光伏组件",
    "逆变器",
    "伺服电机",
    "减速器",
]
TAG_NAMES = ["世界500强", "上市公司", "行业龙头", "高新技术企业", "专精特新", "外资"]


class Rollback(Exception):
    pass


def rolled_back(fn):
    """``fn()`` inside a transaction that is rolled back; its result."""
    from django.db import transaction

    box = {}
    try:
        with transaction.atomic():
            box["value"] = fn()
            raise Rollback
    except Rollback:
        pass
    return box["value"]


def ensure_data(existing: int) -> None:
    """The city, a centre with an administrator, the reference data and ``existing`` enterprises on record."""
    from zhaoshang.accounts.choices import Role
    from zhaoshang.industry.models import Enterprise, EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data
    from zhaoshang.industry.validators import make_uscc

    city_and_teams(PREFIX, 2, (("bench_admin", 0, Role.ADMIN),))
    if not IndustryCode.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)
    have = Enterprise.objects.count()
    if have >= existing:
        return
    started = time.perf_counter()
    rng = random.Random(4754 + have)
    batch = []
    for i in range(have, existing):
        enterprise = Enterprise(name=f"{PREFIX}在册{i}号实业有限公司", uscc=make_uscc(rng, region="440100"))
        enterprise.derive()
        batch.append(enterprise)
        if len(batch) == 5000:
            Enterprise.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Enterprise.objects.bulk_create(batch, ignore_conflicts=True)
    print(f"generated {existing - have:,} enterprises on record in {time.perf_counter() - started:.1f} s")


def workbook(rows: int) -> bytes:
    """The rows to import, in the template's columns (headers in Chinese, as users fill it in)."""
    from django.utils import translation
    from openpyxl import Workbook

    from zhaoshang.geo.models import Region
    from zhaoshang.industry.choices import EnterpriseSize, RevenueBand
    from zhaoshang.industry.imports import ENTERPRISE_COLUMNS
    from zhaoshang.industry.models import IndustryCode
    from zhaoshang.industry.validators import make_uscc

    rng = random.Random(20261207)
    districts = list(Region.objects.filter(parent__isnull=False).values_list("adcode", flat=True)) or [""]
    codes = list(IndustryCode.objects.filter(level="division").values_list("code", flat=True))
    left_out = ("contact_name", "contact_phone", "owner_team", "website")
    keys = [c.key for c in ENTERPRISE_COLUMNS if c.key not in left_out]
    with translation.override("zh-hans"):
        headers = [str(c.header) for c in ENTERPRISE_COLUMNS if c.key in keys]
        sizes = [str(label) for label in EnterpriseSize.labels]
        bands = [str(label) for label in RevenueBand.labels]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(headers)
    seen = set()
    for i in range(rows):
        code = make_uscc(rng, region="440300")
        while code in seen:
            code = make_uscc(rng, region="440300")
        seen.add(code)
        local = rng.random() < 0.4
        city, country = ("", "") if local else rng.choice(CITIES)
        row = {
            "name": f"{PREFIX}导入{i}号{rng.choice(PRODUCTS)}科技有限公司",
            "uscc": code,
            "name_en": f"{PREFIX} Import {i} Technology Co., Ltd." if rng.random() < 0.3 else None,
            "district": rng.choice(districts) if local else None,
            "hq_city": city or None,
            "hq_country": country or None,
            "industry_code": rng.choice(codes),
            "tags": "、".join(rng.sample(TAG_NAMES, rng.randint(0, 2))) or None,
            "size": rng.choice(sizes),
            "registered_capital": rng.randint(100, 500_000),
            "revenue_band": rng.choice(bands),
            "employees": rng.randint(5, 20_000),
            "address": f"示例路{rng.randint(1, 999)}号",
            "main_products": "、".join(rng.sample(PRODUCTS, 2)),
        }
        ws.append([row[k] for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- ours and the floor ------------------------------------------------------------------------------------------


def ours(content: bytes, profile=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.accounts.models import User
    from zhaoshang.core.context import acting_as
    from zhaoshang.industry.imports import EnterpriseImporter

    admin = User.objects.get(username="bench_admin")
    with acting_as(admin):
        if profile:
            profile.enable()
        result = EnterpriseImporter(admin).run(SimpleUploadedFile("enterprises.xlsx", content))
        if profile:
            profile.disable()
    assert result.ok, result.errors[:5]
    return result


INSERT = (
    "INSERT INTO industry_enterprise (name, name_en, uscc, normalized_name, name_key, hq_region_id, hq_city, "
    "hq_country, industry_id, owner_team_id, registered_capital, size, contact_name, contact_phone, website, "
    "description, address, main_products, revenue_band, employees, search_text, created, updated, version) VALUES "
    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, %s, %s, '', '', '', '', %s, %s, %s, %s, %s, %s, %s, 1)"
)


def floor(content: bytes):
    """The same enterprises and tag links from the same workbook: openpyxl, the keys and search text computed the
    same way, one executemany per table; no look-up of records on file, no validation, no change records."""
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone
    from openpyxl import load_workbook

    from zhaoshang.core import excel
    from zhaoshang.geo.models import Region
    from zhaoshang.industry.choices import EnterpriseSize, RevenueBand
    from zhaoshang.industry.models import Enterprise, EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import TAG_SEPARATORS, name_key, normalize_name

    regions = dict(Region.objects.values_list("adcode", "id"))
    region_names = dict(Region.objects.values_list("id", "name"))
    codes = dict(IndustryCode.objects.values_list("code", "id"))
    tags = dict(EnterpriseTag.objects.values_list("name", "id"))
    sizes = {str(label): value for value, label in EnterpriseSize.choices}
    bands = {str(label): value for value, label in RevenueBand.choices}
    wb = load_workbook(io.BytesIO(content), read_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    next(rows)
    now = timezone.now()
    memo: dict = {}
    values, links = [], []
    for (
        name,
        code,
        name_en,
        district,
        city,
        country,
        industry,
        tag_cell,
        size,
        band,
        staff,
        address,
        products,
        capital,
    ) in rows:
        region = regions.get(str(district)) if district else None
        search = excel._search_text(
            [name, name_en, code, city, country or "中国", region_names.get(region, ""), address], memo
        )
        values.append(
            (
                name,
                name_en or "",
                code,
                normalize_name(name),
                name_key(name),
                region,
                city or "",
                country or "中国",
                codes[str(industry)],
                Decimal(capital).quantize(Decimal("0.01")),
                sizes[size],
                address,
                products,
                bands[band],
                int(staff),
                search,
                now,
                now,
            )
        )
        if tag_cell:
            links.append((code, [tags[t] for t in TAG_SEPARATORS.split(tag_cell)]))
    wb.close()
    with connection.cursor() as cursor:
        cursor.executemany(INSERT, values)
    ids = dict(Enterprise.objects.filter(uscc__in=[c for c, _t in links]).values_list("uscc", "id"))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO industry_enterprise_tags (enterprise_id, enterprisetag_id) VALUES (%s, %s)",
            [(ids[c], t) for c, ts in links for t in ts],
        )
    return len(values)


def written(prefix: str = f"{PREFIX}导入"):
    """What an import wrote, to compare: every column a row gives and the tag links, by credit code."""
    from zhaoshang.industry.models import Enterprise

    fields = (
        "uscc",
        "name",
        "name_en",
        "normalized_name",
        "name_key",
        "hq_region_id",
        "hq_city",
        "hq_country",
        "industry_id",
        "owner_team_id",
        "registered_capital",
        "size",
        "address",
        "main_products",
        "revenue_band",
        "employees",
        "search_text",
    )
    rows = list(Enterprise.objects.filter(name__startswith=prefix).order_by("uscc").values_list(*fields))
    links = sorted(
        Enterprise.tags.through.objects.filter(enterprise__name__startswith=prefix).values_list(
            "enterprise__uscc", "enterprisetag_id"
        )
    )
    return rows, links


def check_equal(content: bytes, rows: int) -> None:
    mine = rolled_back(lambda: (ours(content), written())[1])
    theirs = rolled_back(lambda: (floor(content), written())[1])
    assert len(mine[0]) == rows, len(mine[0])
    for a, b in zip(mine[0], theirs[0], strict=True):
        assert a == b, (a, b)
    assert mine[1] == theirs[1], "the same tags"


def main() -> None:
    import cProfile
    import pstats

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=100_000)
    args = parser.parse_args()
    label = setup_django("_enterprises")
    print(f"enterprise import benchmark on {label}")
    ensure_data(args.existing)
    started = time.perf_counter()
    content = workbook(args.rows)
    print(f"{'  (workbook of the rows to import)':<44} {(time.perf_counter() - started) * 1000:9.0f} ms", flush=True)
    check_equal(content, args.rows)
    print("  ours and the floor write the same rows", flush=True)

    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    started, cpu = time.perf_counter(), time.process_time()
    rolled_back(lambda: ours(content, profile))
    ms = (time.perf_counter() - started) * 1000
    cpu = time.process_time() - cpu
    if profile:
        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(40)
    started = time.perf_counter()
    rolled_back(lambda: floor(content))
    baseline = (time.perf_counter() - started) * 1000
    report(f"import: {args.rows:,} new enterprises", ms, baseline, 120_000, f"   (cpu {cpu:.0f} s)")


if __name__ == "__main__":
    main()
