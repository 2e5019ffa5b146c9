"""Writing a run's results fast: one ``executemany`` INSERT of plain tuples instead of building a model instance
per result (bench/review_permu.py: 100,000 results, the ORM's ``bulk_create`` took about twice the target).

Results are derived data (no version, no change records), so nothing that ``save()`` does is skipped. The columns
come from the model's fields, so the statement follows the schema.
"""

from __future__ import annotations

import json

from django.db import connection

BATCH = 5000


def insert_results(rows: list[dict]) -> None:
    """Insert ``rows`` (dicts of field name → value; ``breakdown`` a dict) into the results' table."""
    from ..models import EvaluationResult

    if not rows:
        return
    meta = EvaluationResult._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    json_at = names.index("breakdown")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            values = []
            for row in rows[start : start + BATCH]:
                item = [row[name] for name in names]
                item[json_at] = json.dumps(item[json_at])
                values.append(item)
            cursor.executemany(sql, values)
