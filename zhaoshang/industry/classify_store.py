"""Writing the rules' classification rows fast (``industry.classify``): a million enterprises give hundreds of
thousands of rows, which Django's ``bulk_create`` and ``delete`` would prepare object by object.

The rows of the rules are derived data, rewritten whole at every classification: they are deleted and inserted
by plain statements (no model signals, no change records; the staff rows, which are decisions, are saved and
audited one by one by ``classify.correct``). On PostgreSQL the rows are sent by COPY, elsewhere by one prepared
INSERT run for all of them (executemany).
"""

from __future__ import annotations

import json

from django.db import connections, router
from django.utils import timezone

from .choices import ClassificationSource

# (enterprise, node, chain, reason, local, output_wan, score): the values of a rules row that vary
COLUMNS = (
    "created",
    "updated",
    "version",
    "enterprise_id",
    "node_id",
    "chain_id",
    "source",
    "excluded",
    "reason",
    "local",
    "output_wan",
    "score",
)


def _model():
    from .models import NodeClassification

    return NodeClassification


def delete_rules_rows(enterprise_ids: list[int] | None = None, *, first: int = 0, last: int = 0, chains=None) -> None:
    """Delete the rules rows of ``enterprise_ids``, or of the enterprises ``first``..``last`` (a range of keys);
    of ``chains`` only when given."""
    model = _model()
    rows = model._base_manager.filter(source=ClassificationSource.RULES)
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    else:
        rows = rows.filter(enterprise_id__gte=first, enterprise_id__lte=last)
    if chains is not None:
        rows = rows.filter(chain_id__in=sorted(chains))
    rows._raw_delete(rows.db)  # derived rows: no signals, no change records (see the module's docstring)


def delete_rules_rows_of_nodes(node_ids: list[int]) -> None:
    """Delete the rules rows of nodes about to be deleted (their staff rows go with them, each audited)."""
    rows = _model()._base_manager.filter(source=ClassificationSource.RULES, node_id__in=node_ids)
    rows._raw_delete(rows.db)


def insert_rules_rows(rows: list[tuple]) -> None:
    """INSERT rules rows given as (enterprise, node, chain, reason dict, local, output_wan, score)."""
    if not rows:
        return
    model = _model()
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    now = timezone.now()
    rules = str(ClassificationSource.RULES)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for enterprise, node, chain, reason, local, output, score in rows:
                copy.write_row(
                    (now, now, 1, enterprise, node, chain, rules, False, _json(reason), local, output, score)
                )
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    marks = ", ".join(["%s"] * len(COLUMNS))
    values = [
        (stamp, stamp, 1, enterprise, node, chain, rules, False, _json(reason), local, output, score)
        for enterprise, node, chain, reason, local, output, score in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def analyze() -> None:
    """Refresh the query planner's statistics of the classification table after a full rewrite."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(_model()._meta.db_table)}")
