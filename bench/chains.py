"""Chain targeting at city scale: classifying every enterprise to the chains' nodes, ranking a node's targets, a
chain map with its figures.

Data (``chains_data``): the 15 demo chains in parts and ``--enterprises`` enterprises (default 1,000,000) inside
and outside the city, in a database of their own (``var/bench/bench_chains.sqlite3``, or the
``BENCH_DATABASE_URL`` database's name with ``_chains``), generated once with bulk inserts.
Targets: classifying 1,000,000 enterprises ≤ 5 min; the top 50 targets of a node ≤ 300 ms median; a chain map
with its figures ≤ 300 ms. The classification is printed with a floor measured in the same run: the same rows
found by a plain-Python matcher (keywords looked up as substrings of the products and name, codes compared
directly) and written with one bulk insert, checked first to give the same (enterprise, node) pairs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chains_data import classify_all, generate, insert
from common import measure, report, setup_django

NODE = ("新能源电池", "隔膜")
CHAIN = "新能源电池"


def floor_rows():
    """The rule rows as the floor finds them: [(enterprise, node, chain, local, output, rule)]."""
    from django.db import connection

    from zhaoshang.core.search import normalize
    from zhaoshang.industry.choices import REVENUE_BAND_WAN
    from zhaoshang.industry.models import ChainNode, Enterprise
    from zhaoshang.industry.services import split_words

    codes = defaultdict(list)
    for node_id, code in ChainNode.industry_codes.through.objects.values_list("chainnode_id", "industrycode__code"):
        codes[node_id].append(code)
    nodes, by_word, owners, keyworded = {}, defaultdict(list), defaultdict(list), set()
    for node_id, chain_id, keywords in ChainNode.objects.filter(chain__active=True).values_list(
        "pk", "chain_id", "keywords"
    ):
        nodes[node_id] = (chain_id, codes.get(node_id, []))
        for word in split_words(keywords):
            by_word[word].append(node_id)
            keyworded.add(node_id)
        for code in codes.get(node_id, []):
            owners[(chain_id, code)].append(node_id)
    words = sorted(by_word, key=len, reverse=True)
    chain_codes = defaultdict(set)
    for chain_id, code in owners:
        chain_codes[chain_id].add(code)
    table = Enterprise._meta.db_table
    code_table = "industry_industrycode"
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, e.name, e.main_products, c.code, e.hq_region_id, e.revenue_band FROM {table} e "
            f"LEFT JOIN {code_table} c ON c.id = e.industry_id"
        )
        for pk, name, products, code, region, band in cursor.fetchall():
            text = normalize(f"{products}、{name}")
            named = set()
            for word in words:
                if word in text:
                    named.update(by_word[word])
                    text = text.replace(word, "、")  # the longer word takes the characters, as the cutting does
            chains_named = set()
            local, output = region is not None, REVENUE_BAND_WAN.get(band, 0) if band else 0
            for node_id in named:
                chain_id, node_codes = nodes[node_id]
                if code and node_codes and not any(code.startswith(c) for c in node_codes):
                    continue
                chains_named.add(chain_id)
                rows.append(
                    (pk, node_id, chain_id, local, output, "words_and_code" if code and node_codes else "words")
                )
            if code:
                for chain_id, held in chain_codes.items():
                    if chain_id in chains_named:
                        continue
                    matching = [c for c in held if code.startswith(c)]
                    if matching:
                        owner = owners[(chain_id, max(matching, key=len))]
                        if len(owner) == 1 and owner[0] not in keyworded:  # keywords narrow a node
                            rows.append((pk, owner[0], chain_id, local, output, "code"))
    return rows


def write_floor(rows) -> None:
    """The floor's rows in place of the rule rows (one DELETE, one bulk insert), rolled back afterwards so that the
    app's rows stay for the other scenarios."""
    import json

    from django.db import connection, transaction
    from django.utils import timezone

    from zhaoshang.industry.models import NodeClassification

    now = timezone.now()
    with transaction.atomic():
        NodeClassification.objects.filter(source="rules")._raw_delete(NodeClassification.objects.db)
        insert(
            connection,
            NodeClassification._meta.db_table,
            [
                "enterprise_id",
                "node_id",
                "chain_id",
                "source",
                "excluded",
                "reason",
                "local",
                "output_wan",
                "score",
                "created",
                "updated",
                "version",
            ],  # fmt: skip
            (
                (e, n, c, "rules", False, json.dumps({"rule": rule}), local, output, 0, now, now, 1)
                for e, n, c, local, output, rule in rows
            ),
        )
        transaction.set_rollback(True)


def bench_classify() -> None:
    from zhaoshang.industry.models import Enterprise, NodeClassification

    app_seconds = classify_all()
    app_pairs = set(NodeClassification.objects.filter(source="rules").values_list("enterprise_id", "node_id"))
    start = time.perf_counter()
    rows = floor_rows()
    write_floor(rows)
    floor_seconds = time.perf_counter() - start
    floor_pairs = {(r[0], r[1]) for r in rows}
    if floor_pairs != app_pairs:
        print(
            f"floor differs from classify(): {len(floor_pairs - app_pairs):,} pairs only in the floor, "
            f"{len(app_pairs - floor_pairs):,} only in classify(); the ratio below is indicative"
        )
    count = Enterprise.objects.count()
    if count >= 1_000_000:
        report("classify every enterprise", app_seconds * 1000, floor_seconds * 1000, 300_000)
    else:  # the target is for 1,000,000 enterprises: say what this run's pace would take
        at_scale = app_seconds * 1_000_000 / max(count, 1)
        extra = f"  (at this pace 1,000,000 would take {at_scale:.0f} s; target ≤ 300 s)"
        report(f"classify {count:,} enterprises", app_seconds * 1000, floor_seconds * 1000, extra=extra)


def _officer():
    from zhaoshang.accounts.choices import Role
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.industry.models import Chain

    chain = Chain.objects.get(name=CHAIN)
    user, _ = User.objects.get_or_create(username="bench-chains-officer")
    Membership.objects.get_or_create(user=user, team=chain.task_force, defaults={"role": Role.OFFICER})
    return user


def bench_ranking() -> None:
    """The top 50 targets of a gap node (``chains.services.targets.rank_targets``)."""
    try:
        from zhaoshang.chains.services.targets import rank_targets
    except ImportError:
        print("ranking: skipped (zhaoshang.chains.services.targets.rank_targets is not there)")
        return
    from django.db import connection

    from zhaoshang.industry.models import ChainNode, NodeClassification

    node = ChainNode.objects.get(chain__name=NODE[0], name=NODE[1])
    user = _officer()
    table = NodeClassification._meta.db_table

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT enterprise_id, score FROM {table} WHERE node_id = %s AND local = %s AND excluded = %s "
                "ORDER BY score DESC, output_wan DESC, enterprise_id LIMIT 50",
                [node.pk, False, False],
            )
            cursor.fetchall()

    ms = measure(lambda: list(rank_targets(node, user, limit=50)))
    report("top 50 targets of a node", ms, measure(floor), 300)


def bench_chain_map() -> None:
    """A chain map with its figures (``chains.services.figures.chain_figures``)."""
    try:
        from zhaoshang.chains.services.figures import chain_figures
    except ImportError:
        print("chain map: skipped (zhaoshang.chains.services.figures.chain_figures is not there)")
        return
    from django.db import connection

    from zhaoshang.industry.models import Chain, NodeClassification

    chain = Chain.objects.get(name=CHAIN)
    user = _officer()
    table = NodeClassification._meta.db_table

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT node_id, local, COUNT(*), SUM(output_wan) FROM {table} WHERE chain_id = %s AND excluded = %s "
                "GROUP BY node_id, local",
                [chain.pk, False],
            )
            cursor.fetchall()

    ms = measure(lambda: chain_figures(chain, user))
    report("chain map with its figures", ms, measure(floor), 300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--skip-classify", action="store_true", help="keep the classification of an earlier run")
    args = parser.parse_args()
    label = setup_django(suffix="_chains")
    generate(args.enterprises)
    print(f"database: {label}; {args.enterprises:,} enterprises")
    if args.skip_classify:
        print("classify: skipped (--skip-classify)")
    else:
        bench_classify()
    bench_ranking()
    bench_chain_map()


if __name__ == "__main__":
    main()
