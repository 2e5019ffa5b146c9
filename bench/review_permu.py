"""Per-mu evaluation at county-wide scale: 100,000 enterprise-years scored, ranked, graded and written.

Data: ``--firms`` enterprises (default 100,000) with one year of figures each (40% above designated size, a tenth
of those without emission data, 3% not graded), in a database of their own (``var/bench/bench_permu.sqlite3``, or
the ``BENCH_DATABASE_URL`` database's name with ``_permu``), generated once with bulk inserts by the demo's
generators, and the county's two methods for the year.
Target: ``services.permu.run_evaluation`` end to end (read the figures, score, rank, grade, previous classes,
write the run and every result with its breakdown) ≤ 10 s median. The floor does the same with raw SQL and plain
NumPy, its breakdown text built a column at a time, and writes the run with its methods and counts (every column of
the results, the run, its methods and change records checked the same before timing).
Each measurement runs in a transaction rolled back afterwards, so every run writes into the same tables, after a
VACUUM ANALYZE; medians with their spread.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_load, report, same, setup_django, timed, vacuum_analyze

YEAR = 2025
PREFIX = "BPM"


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


def ensure_data(firms: int) -> int:
    from zhaoshang.industry.models import EnterpriseTag, IndustryCode
    from zhaoshang.industry.services import load_reference_data
    from zhaoshang.review import demo_permu
    from zhaoshang.review.models import EnterpriseYear, EvaluationMethod, MethodIndicator
    from zhaoshang.review.services.permu import seed_county_methods

    if not IndustryCode.objects.exists():
        load_reference_data(IndustryCode, EnterpriseTag)
    seed_county_methods(EvaluationMethod, MethodIndicator, YEAR)
    have = EnterpriseYear.objects.filter(year=YEAR).count()
    if have < firms:
        started = time.perf_counter()
        rng = random.Random(20261207 + have)
        made = demo_permu.make_firms(firms - have, rng, search_text=False, prefix=f"{PREFIX}{have}-")
        demo_permu.make_years(made, [YEAR], rng)
        print(f"generated {len(made):,} firms and their figures in {time.perf_counter() - started:.1f} s")
    return EnterpriseYear.objects.filter(year=YEAR).count()


def ours():
    from zhaoshang.review.services.permu import run_evaluation

    return run_evaluation(YEAR)


FLOOR_SELECT = """
    SELECT y.id, y.enterprise_id, y.size_class, y.not_graded, {figures}
    FROM review_enterpriseyear y WHERE y.year = %s ORDER BY y.id
"""
FLOOR_INSERT = """
    INSERT INTO review_evaluationresult
        (run_id, enterprise_year_id, enterprise_id, method_id, year, score, rank, grade, previous_grade, not_graded,
         breakdown)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


def floor(read_back: bool = False):
    """The same results with raw SQL and NumPy: one SELECT, the arithmetic on whole columns, one executemany."""
    import numpy as np
    from django.db import connection

    from zhaoshang.review.models import EvaluationMethod, EvaluationRun
    from zhaoshang.review.services.permu import FIGURES, method_spec, rank_and_grade, score_columns

    methods = list(EvaluationMethod.objects.filter(year=YEAR).prefetch_related("indicators").order_by("size_class"))
    specs = [method_spec(m) for m in methods]
    figures_sql = ", ".join(f"CAST(y.{name} AS DOUBLE PRECISION)" for name in FIGURES)
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SELECT.format(figures=figures_sql), [YEAR])
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT r.enterprise_id, r.grade FROM review_evaluationresult r WHERE r.run_id = "
            "(SELECT id FROM review_evaluationrun WHERE year = %s ORDER BY created DESC, id DESC LIMIT 1) "
            "AND r.grade <> ''",
            [YEAR - 1],
        )
        before = dict(cursor.fetchall())
    columns = list(zip(*rows, strict=True))
    ids = np.array(columns[0])
    enterprise_ids = np.array(columns[1])
    sizes = np.array(columns[2], dtype=object)
    reasons = np.array(columns[3], dtype=object)
    figures = {name: np.array(columns[4 + i], dtype=float) for i, name in enumerate(FIGURES)}
    n = len(ids)
    score = np.full(n, np.nan)
    rank = np.zeros(n, dtype=np.int64)
    grade = np.full(n, -1, dtype=np.int64)
    method = np.full(n, -1, dtype=np.int64)
    breakdown = [None] * n
    for index, spec in enumerate(specs):
        rows_of = np.nonzero(sizes == spec["size_class"])[0]
        graded = reasons[rows_of] == ""
        scored = score_columns({k: v[rows_of] for k, v in figures.items()}, spec, graded)
        score[rows_of] = scored.score
        method[rows_of] = index
        r, g = rank_and_grade(scored.score[graded], spec["shares"])
        rank[rows_of[graded]] = r
        grade[rows_of[graded]] = g
        # each indicator's [value, points] as JSON text, a column at a time (null: missing)
        texts = []
        for item in spec["indicators"]:
            values = np.round(scored.values[item["key"]], 6).tolist()
            points = np.round(scored.points[item["key"]], 6).tolist()
            texts.append(
                [
                    f"[null,{p!r}]" if gone else f"[{v!r},{p!r}]"
                    for v, p, gone in zip(values, points, scored.missing[item["key"]].tolist(), strict=True)
                ]
            )
        for position, items in zip(rows_of.tolist(), zip(*texts, strict=True), strict=True):
            breakdown[position] = "[" + ",".join(items) + "]"
    run = EvaluationRun.objects.create(year=YEAR)  # one row with its change record, and its methods, as the app's
    run.methods.set(methods)
    letters = "ABCD"
    method_ids = [m.pk for m in methods]
    enterprises = enterprise_ids.tolist()
    values = list(
        zip(
            [run.pk] * n,
            ids.tolist(),
            enterprises,
            [method_ids[m] if m >= 0 else None for m in method.tolist()],
            [YEAR] * n,
            [None if x != x else x for x in score.tolist()],
            [r or None for r in rank.tolist()],
            [letters[g] if g >= 0 else "" for g in grade.tolist()],
            [before.get(e, "") for e in enterprises],
            reasons.tolist(),
            [b or "[]" for b in breakdown],
            strict=True,
        )
    )
    graded = int((grade >= 0).sum())
    with connection.cursor() as cursor:
        cursor.executemany(FLOOR_INSERT, values)
        cursor.execute(
            "UPDATE review_evaluationrun SET graded = %s, not_graded_count = %s, seconds = %s, spec = %s WHERE id = %s",
            [graded, n - graded, 0.0, json.dumps({str(s["id"]): s for s in specs}), run.pk],
        )
    return run.pk


def written(run_id: int):
    """What a run wrote, to compare: every column of its results (by enterprise-year), the run's own columns but its
    key, times and duration, its methods and its change records' content."""
    from zhaoshang.core.models import ChangeRecord
    from zhaoshang.review.models import EvaluationResult, EvaluationRun

    results = list(
        EvaluationResult.objects.filter(run_id=run_id)
        .order_by("enterprise_year_id")
        .values_list(
            "enterprise_year_id", "enterprise_id", "method_id", "year", "score", "rank", "grade", "previous_grade",
            "not_graded", "breakdown",
        )
    )  # fmt: skip
    run = EvaluationRun.objects.filter(pk=run_id).values("year", "started_by", "graded", "not_graded_count", "spec")
    methods = sorted(
        EvaluationRun.methods.through.objects.filter(evaluationrun_id=run_id).values_list(
            "evaluationmethod_id", flat=True
        )
    )
    records = []
    for action, before, after, fields in ChangeRecord.objects.filter(
        content_type__model="evaluationrun", object_id=str(run_id)
    ).values_list("action", "before", "after", "changed_fields"):
        after = {k: v for k, v in (after or {}).items() if k not in ("id", "created")}
        records.append((action, before, after, fields))
    return results, list(run), methods, sorted(records, key=repr)


def check_equal() -> int:
    """Our run and the floor write the same rows: results, run, methods, change records (read back from the tables)."""
    mine = rolled_back(lambda: written(ours().pk))
    theirs = rolled_back(lambda: written(floor()))
    same("evaluation results (every column)", mine[0], theirs[0])
    same("the run, its methods and change records", mine[1:], theirs[1:])
    return len(mine[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    label = setup_django("_permu")
    count = ensure_data(args.firms)
    print(f"database: {label}; enterprise-years of {YEAR}: {count:,}; {machine_load()}")
    checked = check_equal()
    print(f"checked: the run and the floor write the same {checked:,} results")
    # every run rolled back; VACUUM ANALYZE before each (a rollback leaves dead rows that slow the next run)
    mine = timed(lambda: rolled_back(ours), repeat=args.repeat, warmup=1, before=vacuum_analyze)
    lower = timed(lambda: rolled_back(floor), repeat=args.repeat, warmup=1, before=vacuum_analyze)
    report("run_evaluation, end to end", mine, lower, 10_000)


if __name__ == "__main__":
    main()
