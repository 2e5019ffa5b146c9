"""A run's reading and writing at speed (bench/review_permu.py: 100,000 enterprise-years; through model instances
and ``bulk_create`` a run took about twice its 10 s target).

- ``fetch_rows``: a queryset's rows as plain tuples, by the SQL the ORM builds for it, without the per-row
  converters (the figures come already cast to floats by the query).
- ``insert_results``: the results' rows by ``executemany`` of one INSERT whose columns come from the model's
  fields (so the statement follows the schema), the columns given as lists and zipped at C speed.

Results are derived data (no version, no change records): nothing that ``save()`` does is skipped.
"""

from __future__ import annotations

from django.db import connection

BATCH = 5000


def fetch_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset, as the database returns them."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert_results(columns: dict[str, list]) -> None:
    """Insert results given as columns: field attribute name → one value per result (``breakdown`` as JSON text)."""
    from ..models import EvaluationResult

    meta = EvaluationResult._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = list(zip(*(columns[f.attname] for f in fields), strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + BATCH])
