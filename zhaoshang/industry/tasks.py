"""Background jobs of the industry app (Celery; in-process when no broker is configured)."""

from celery import shared_task
from django.db import transaction

CLASSIFY_ENTERPRISES = "industry.classify_enterprises"


@shared_task(name=CLASSIFY_ENTERPRISES)
def classify_enterprises(enterprise_ids: list[int] | None = None) -> dict[str, int]:
    """Classify the enterprises (None: every enterprise) to the chain nodes again (industry.classify)."""
    from .classify import classify

    result = classify(enterprise_ids)
    return {"enterprises": result.enterprises, "rows": result.rows}


def reclassify_after_commit(enterprise_ids: list[int] | None = None) -> None:
    """Queue the classification once the current transaction has committed (at once outside one)."""
    transaction.on_commit(lambda: classify_enterprises.delay(enterprise_ids))
