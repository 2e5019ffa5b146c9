"""Personal data (个人信息保护法): the names, phones and e-mails of the people a record names.

A model lists them in ``personal_fields``. Who may ``Action.PERSONAL`` a record reads them — by default the
people who work it, those who may change it (core.permissions); everyone else who may read the record sees them
masked (张*, 138****5678, z***@example.com): on pages, in the API, in exports, search results and the history.
Every place that shows such a record passes it through ``mask`` first, which asks the database once for a whole
list. A masked object cannot be saved, so a masked value never overwrites the real one.
"""

from __future__ import annotations

from collections.abc import Iterable

from .choices import Action
from .permissions import access_q, is_everything

MASKED_ATTRIBUTE = "personal_data_masked"


def personal_fields(model) -> tuple[str, ...]:
    return tuple(getattr(model, "personal_fields", ()))


def mask_value(value) -> str:
    """A personal value as those who may not read it see it: enough to tell two apart, not to reach anyone."""
    text = "" if value is None else str(value).strip()
    if not text:
        return text
    if "@" in text:
        local, _at, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 7:
        kept = "".join(ch for ch in text if ch.isdigit())
        return f"{kept[:3]}****{kept[-4:]}"
    return text[:1] + "*" * min(max(len(text) - 1, 1), 3)


def readable_ids(model, user, ids: Iterable) -> set:
    """Of the records ``ids`` of ``model``, those whose personal data ``user`` may read (one query at most)."""
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return set()
    q = access_q(model, user, Action.PERSONAL)
    if q is None:
        return set()
    if is_everything(q):
        return set(ids)
    return set(model._base_manager.filter(q, pk__in=ids).values_list("pk", flat=True))


def mask(objects, user) -> list:
    """``objects`` (records of one model) as a list, the personal fields masked, in place, on each record whose
    personal data ``user`` may not read."""
    objects = list(objects)
    if not objects:
        return objects
    model = type(objects[0])
    fields = personal_fields(model)
    if not fields:
        return objects
    allowed = readable_ids(model, user, [obj.pk for obj in objects])
    for obj in objects:
        if obj.pk not in allowed:
            for name in fields:
                setattr(obj, name, mask_value(getattr(obj, name)))
            setattr(obj, MASKED_ATTRIBUTE, True)
    return objects


def mask_one(obj, user):
    """``obj`` with its personal fields masked where ``user`` may not read them (None stays None)."""
    if obj is not None:
        mask([obj], user)
    return obj


def is_masked(obj) -> bool:
    return bool(getattr(obj, MASKED_ATTRIBUTE, False))


def mask_snapshot(model, values: dict | None) -> dict | None:
    """A change record's before/after with the model's personal fields masked."""
    if not values:
        return values
    fields = personal_fields(model)
    return {key: mask_value(value) if key in fields and value else value for key, value in values.items()}
