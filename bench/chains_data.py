"""Data of the chain benchmarks: the 15 demo chains in parts and N enterprises inside and outside the city with
main products, revenue bands and tags like the demo's, then classified to the nodes (``industry.classify``).

Generated once per database with bulk inserts (``COPY`` on PostgreSQL, ``executemany`` on SQLite), no change
records. Bench enterprises have no USCC and no search text (the benchmarks do not search them); their normalized
name and name key are the name itself, as each name is unique.

    .venv/bin/python bench/chains_data.py --enterprises 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import city_and_teams, setup_django

PREFIX = "BCHAIN-"
MARK = "bench-chains"  # the description of every bench enterprise
LOCAL_SHARE = 0.3
BANDS = [("lt20m", 46), ("20m-100m", 28), ("100m-1b", 17), ("1b-10b", 7), ("gt10b", 2)]
SIZES = {"lt20m": "small", "20m-100m": "small", "100m-1b": "medium", "1b-10b": "large", "gt10b": "large"}
TAGS = [("high-tech", 0.3), ("specialized-innovative", 0.08), ("expanding", 0.07), ("listed", 0.05),
        ("industry-leader", 0.02), ("china-500", 0.005)]  # fmt: skip
CITIES = ["深圳", "广州", "佛山", "东莞", "上海", "苏州", "杭州", "北京", "武汉", "成都"]


def insert(connection, table: str, columns: list[str], rows) -> None:
    """Rows into ``table``: COPY on PostgreSQL, executemany in batches elsewhere."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(c) for c in columns)
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({marks})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def chains() -> dict:
    """The 15 demo chains with their task forces, segments and nodes (once per database): {(chain, node): node}."""
    from zhaoshang.accounts.choices import TeamKind
    from zhaoshang.accounts.models import Team
    from zhaoshang.industry.chain_data import load_chain_parts
    from zhaoshang.industry.demo import CHAINS
    from zhaoshang.industry.models import Chain, ChainNode, EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data

    if not IndustryCode.objects.exists() or not EnterpriseTag.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)
    if not Chain.objects.filter(name=CHAINS[0][0]).exists():
        codes = {c.code: c for c in IndustryCode.objects.all()}
        made = {}
        for order, (name, name_en, force, divisions, _public) in enumerate(CHAINS):
            team, _ = Team.objects.get_or_create(name=f"{PREFIX}{force}", defaults={"kind": TeamKind.TASK_FORCE})
            chain = Chain.objects.create(name=name, name_en=name_en, task_force=team, sort=order)
            chain.industry_codes.set([codes[d] for d in divisions])
            made[name] = chain
        load_chain_parts(made, codes)
    return {(n.chain.name, n.name): n for n in ChainNode.objects.select_related("chain")}


def enterprises(count: int, nodes: dict, seed: int = 11) -> int:
    """Bench enterprises up to ``count`` (kept from an earlier run when there are enough); returns how many
    were made."""
    from django.db import connection
    from django.utils import timezone

    from zhaoshang.geo.models import Region
    from zhaoshang.industry.models import ChainNode, Enterprise, EnterpriseTag

    have = Enterprise.objects.filter(description=MARK).count()
    if have >= count:
        return 0
    rng = random.Random(seed + have)
    districts = list(Region.objects.filter(parent__isnull=False).filter(level="district").values_list("pk", flat=True))
    if not districts:
        districts = list(Region.objects.values_list("pk", flat=True))
    node_codes: dict[int, list[int]] = {}
    for node_id, code_id in ChainNode.industry_codes.through.objects.values_list("chainnode_id", "industrycode_id"):
        node_codes.setdefault(node_id, []).append(code_id)
    plan = [(node.pk, node.name[:4], node.keyword_list(), node_codes.get(node.pk, [None])) for node in nodes.values()]
    tags = dict(EnterpriseTag.objects.values_list("slug", "pk"))
    bands, weights = [b for b, _w in BANDS], [w for _b, w in BANDS]
    now = timezone.now()
    columns = ["name", "name_en", "uscc", "normalized_name", "name_key", "hq_region_id", "hq_city", "hq_country",
               "industry_id", "owner_team_id", "registered_capital", "size", "contact_name", "contact_phone",
               "website", "description", "address", "main_products", "revenue_band", "employees", "search_text",
               "created", "updated", "version"]  # fmt: skip
    chosen_tags = []

    def rows():
        for i in range(have, count):
            node_id, word, keywords, codes = plan[rng.randrange(len(plan))]
            local = rng.random() < LOCAL_SHARE
            band = rng.choices(bands, weights)[0]
            name = f"{PREFIX}{word}{i:07d}有限公司"
            products = "、".join(rng.sample(keywords, min(len(keywords), rng.randint(1, 3))))
            for slug, chance in TAGS:
                if rng.random() < chance:
                    chosen_tags.append((i, tags[slug]))
            yield (name, "", None, name, name, rng.choice(districts) if local else None,
                   "" if local else rng.choice(CITIES), "中国", rng.choice(codes), None, None, SIZES[band], "", "",
                   "", MARK, "", products, band, rng.randint(10, 5000), "", now, now, 1)  # fmt: skip

    insert(connection, Enterprise._meta.db_table, columns, rows())
    ids = dict(
        Enterprise.objects.filter(description=MARK, name__startswith=PREFIX)
        .values_list("name", "pk")
        .iterator(chunk_size=20_000)
    )
    by_index = {int(name[-11:-4]): pk for name, pk in ids.items()}
    through = Enterprise.tags.through
    insert(
        connection,
        through._meta.db_table,
        ["enterprise_id", "enterprisetag_id"],
        ((by_index[i], tag) for i, tag in chosen_tags),
    )
    return count - have


def generate(count: int) -> dict:
    """The chains and ``count`` bench enterprises; returns the nodes {(chain, node): ChainNode}."""
    city_and_teams(PREFIX, 1)
    nodes = chains()
    start = time.perf_counter()
    made = enterprises(count, nodes)
    if made:
        print(f"generated {made:,} enterprises in {time.perf_counter() - start:.1f} s")
        from django.db import connection

        with connection.cursor() as cursor:  # the planner's statistics of the tables just filled
            cursor.execute("ANALYZE")
    return nodes


def classify_all() -> float:
    """``industry.classify.classify()`` of every enterprise; returns seconds."""
    from zhaoshang.industry.classify import classify

    start = time.perf_counter()
    result = classify()
    seconds = time.perf_counter() - start
    print(f"classify(): {result.enterprises:,} enterprises, {result.rows:,} rows in {seconds:.1f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    args = parser.parse_args()
    label = setup_django(suffix="_chains")
    print(f"database: {label}")
    generate(args.enterprises)
    classify_all()


if __name__ == "__main__":
    main()
