"""The enterprise library's import: 100,000 rows of a workbook, every check, into a register already holding records.

Data: ``--existing`` enterprises (default 100,000) already on record (generated once with bulk inserts, in a
database of its own: ``var/bench/bench_enterprises.sqlite3``, or the ``BENCH_DATABASE_URL`` database's name with
``_enterprises``) and a workbook of ``--rows`` new ones (default 100,000) written with openpyxl in the template's
columns: name, credit code, district (40%) or city and country, industry code, tags, size, registered capital,
revenue band, employees, address and main products.
Target (the issue): ``EnterpriseImporter.run`` end to end — read the workbook, map the headers, look every code and
name up, validate every row with its form, save all rows with their search text, tags and change records — ≤ 120 s.
The floor writes the same rows to the same tables (enterprises, tag links, a change record of each creation and of
each tag change) from the same workbook, parsed with openpyxl, by one ``executemany`` per table on SQLite and one
``COPY`` per table on PostgreSQL; the tables' contents after each (rolled back in between) are checked equal with
``same`` before timing. Medians of ``--repeat`` imports of each with their spread, each in a transaction rolled back
afterwards and after a VACUUM ANALYZE. ``BENCH_PROFILE=cumulative`` (or ``tottime``) prints a cProfile of the import.
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

from common import Timing, city_and_teams, machine_load, report, same, setup_django, vacuum_analyze

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


ENTERPRISE_COLUMNS = (
    "name, name_en, uscc, normalized_name, name_key, hq_region_id, hq_city, hq_country, industry_id, owner_team_id, "
    "registered_capital, size, contact_name, contact_phone, website, description, address, main_products, "
    "revenue_band, employees, search_text, created, updated, created_by_id, version"
)
CHANGE_COLUMNS = (
    "time, user_id, user_name, request_id, action, content_type_id, object_id, object_repr, before, after, "
    "changed_fields"
)
LINK_COLUMNS = "enterprise_id, enterprisetag_id"


def floor(content: bytes):
    """The same rows from the same workbook with the least work: openpyxl (read-only) parses it, the keys, search
    text and audit snapshots are computed in plain Python, and the rows go to the same three tables (enterprises,
    their tag links, a change record of each creation and of each tag change) by one executemany per table on
    SQLite, one COPY per table on PostgreSQL (keys drawn from the sequence, as the app does). No look-up of records
    on file and no validation: the rows are known to be new and valid."""
    import json
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection
    from django.utils import timezone
    from openpyxl import load_workbook

    from zhaoshang.core import excel
    from zhaoshang.core.context import current_actor
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
    actor = current_actor()
    user_id, user_name, request_id = actor.user_id, actor.user_name, actor.request_id
    content_type = ContentType.objects.get_for_model(Enterprise).pk
    cent = Decimal("0.01")
    now = timezone.now()
    now_text = DjangoJSONEncoder().default(now)
    dumps = json.dumps  # the text JSONField writes for these plain values
    wb = load_workbook(io.BytesIO(content), read_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    next(rows)
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
        country = country or "中国"
        search = excel._search_text([name, name_en, code, city, country, region_names.get(region, ""), address], memo)
        values.append(
            [
                name,
                name_en or "",
                code,
                normalize_name(name),
                name_key(name),
                region,
                city or "",
                country,
                codes[str(industry)],
                None,
                Decimal(capital).quantize(cent),
                sizes[size],
                "",
                "",
                "",
                "",
                address,
                products,
                bands[band],
                int(staff),
                search,
                now,
                now,
                user_id,
                1,
            ]
        )
        chosen = [tags[t] for t in TAG_SEPARATORS.split(tag_cell)] if tag_cell else []
        links.append(sorted(set(chosen)))
    wb.close()

    def created_record(key, row):
        """The change record of a creation: the snapshot of the recorded columns (audit.snapshot's content)."""
        after = {
            "id": key,
            "created": now_text,
            "created_by_id": user_id,
            "name": row[0],
            "name_en": row[1],
            "uscc": row[2],
            "normalized_name": row[3],
            "hq_region_id": row[5],
            "hq_city": row[6],
            "hq_country": row[7],
            "industry_id": row[8],
            "owner_team_id": None,
            "registered_capital": str(row[10]),
            "size": row[11],
            "contact_name": "",
            "contact_phone": "",
            "website": "",
            "description": "",
            "address": row[16],
            "main_products": row[17],
            "revenue_band": row[18],
            "employees": row[19],
        }
        return (
            now, user_id, user_name, request_id, "create", content_type, str(key), row[0][:200], None,
            dumps(after), dumps(sorted(after)),
        )  # fmt: skip

    def tag_record(key, row, chosen):
        return (
            now, user_id, user_name, request_id, "update", content_type, str(key), row[0][:200],
            dumps({"tags": []}), dumps({"tags": chosen}), '["tags"]',
        )  # fmt: skip

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('industry_enterprise', 'id')) FROM generate_series(1, %s)",
                [len(values)],
            )
            keys = sorted(key for (key,) in cursor.fetchall())
            with cursor.copy(f"COPY industry_enterprise (id, {ENTERPRISE_COLUMNS}) FROM STDIN") as copy:
                for key, row in zip(keys, values, strict=True):
                    copy.write_row((key, *row))
        else:
            cursor.execute("SELECT coalesce(max(id), 0) FROM industry_enterprise")
            (last,) = cursor.fetchone()
            marks = ", ".join(["%s"] * 25)
            cursor.executemany(f"INSERT INTO industry_enterprise ({ENTERPRISE_COLUMNS}) VALUES ({marks})", values)
            cursor.execute("SELECT id FROM industry_enterprise WHERE id > %s ORDER BY id", [last])
            keys = [key for (key,) in cursor.fetchall()]
        records = [created_record(key, row) for key, row in zip(keys, values, strict=True)]
        records += [
            tag_record(key, row, chosen) for key, row, chosen in zip(keys, values, links, strict=True) if chosen
        ]
        pairs = [(key, tag) for key, chosen in zip(keys, links, strict=True) for tag in chosen]
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY core_changerecord ({CHANGE_COLUMNS}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
            with cursor.copy(f"COPY industry_enterprise_tags ({LINK_COLUMNS}) FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        else:
            marks = ", ".join(["%s"] * 11)
            cursor.executemany(f"INSERT INTO core_changerecord ({CHANGE_COLUMNS}) VALUES ({marks})", records)
            cursor.executemany(f"INSERT INTO industry_enterprise_tags ({LINK_COLUMNS}) VALUES (%s, %s)", pairs)
    return len(values)


FIELDS = (
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
    "contact_name",
    "contact_phone",
    "website",
    "description",
    "address",
    "main_products",
    "revenue_band",
    "employees",
    "search_text",
    "created_by_id",
    "version",
)


def written(prefix: str = f"{PREFIX}导入"):
    """What an import wrote, to compare: every column of the new enterprises, their tag links and their change
    records, by credit code. Keys and times differ from run to run (PostgreSQL does not roll its sequences back), so
    a record's key is replaced by its credit code and the times are left aside."""
    from zhaoshang.core.models import ChangeRecord
    from zhaoshang.industry.models import Enterprise

    new = Enterprise.objects.filter(name__startswith=prefix)
    rows = list(new.order_by("uscc").values_list(*FIELDS))
    code_of = {str(key): code for key, code in new.values_list("id", "uscc")}
    links = sorted(
        Enterprise.tags.through.objects.filter(enterprise__name__startswith=prefix).values_list(
            "enterprise__uscc", "enterprisetag_id"
        )
    )
    records = []
    for record in ChangeRecord.objects.filter(object_id__in=list(code_of)).values_list(
        "object_id", "action", "user_id", "user_name", "content_type_id", "object_repr", "before", "after",
        "changed_fields",
    ):  # fmt: skip
        object_id, action, *rest = record
        after = dict(rest[-2] or {})
        if "id" in after:
            after["id"] = code_of[str(after["id"])]
        after.pop("created", None)
        records.append((code_of[object_id], action, *rest[:-2], after, rest[-1]))
    records.sort(key=lambda r: (r[0], r[1]))
    return rows, links, records


def acting(fn):
    """``fn()`` by the benchmark's administrator (the floor writes the same actor into the change records)."""
    from zhaoshang.accounts.models import User
    from zhaoshang.core.context import acting_as

    with acting_as(User.objects.get(username="bench_admin")):
        return fn()


def check_equal(content: bytes, rows: int) -> None:
    mine = rolled_back(lambda: (ours(content), written())[1])
    theirs = rolled_back(lambda: (acting(lambda: floor(content)), written())[1])
    assert len(mine[0]) == rows, len(mine[0])
    same("import: enterprises (every column)", mine[0], theirs[0])
    same("import: tag links", mine[1], theirs[1])
    same("import: change records", mine[2], theirs[2])


def timed_rolled_back(fn, repeat: int) -> Timing:
    """``fn()`` ``repeat`` times, each inside a transaction rolled back afterwards (the rollback is not timed) and
    after a VACUUM ANALYZE (PostgreSQL; ANALYZE on SQLite): a rollback leaves dead rows that would slow the next run."""
    from django.db import transaction

    runs = []
    for _ in range(repeat):
        vacuum_analyze()
        try:
            with transaction.atomic():
                start = time.perf_counter()
                fn()
                runs.append((time.perf_counter() - start) * 1000)
                raise Rollback
        except Rollback:
            pass
    return Timing(tuple(runs))


def main() -> None:
    import cProfile
    import pstats

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed imports of each (default 3)")
    args = parser.parse_args()
    label = setup_django("_enterprises")
    print(f"enterprise import benchmark on {label}; {machine_load()}")
    ensure_data(args.existing)
    started = time.perf_counter()
    content = workbook(args.rows)
    print(f"{'  (workbook of the rows to import)':<44} {(time.perf_counter() - started) * 1000:9.0f} ms", flush=True)
    check_equal(content, args.rows)

    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    if profile:
        vacuum_analyze()
        rolled_back(lambda: ours(content, profile))
        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(40)
    app = timed_rolled_back(lambda: ours(content), args.repeat)
    base = timed_rolled_back(lambda: acting(lambda: floor(content)), args.repeat)
    report(f"import: {args.rows:,} new enterprises", app, base, 120_000)


if __name__ == "__main__":
    main()
