"""One audit mechanism for all business records.

Every model with ``audited = True`` (all ``BaseModel`` subclasses, and the user
model) writes a ``ChangeRecord`` on create, update and delete, and on changes
of its many-to-many fields, inside the same transaction as the change.

Columns a model names in ``audit_exclude`` are not recorded; columns it names in
``audit_secret`` (a proposal's link key, which opens it to anyone) are recorded
masked — a short fingerprint shows that the value changed, never the value — and
their values are masked in the record's text too, so no history page or audit
log can show them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import DecimalField, FileField
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .choices import ChangeKind
from .context import current_actor

ALWAYS_EXCLUDED = {"updated", "version", "search_text"}


def is_audited(model) -> bool:
    return bool(getattr(model, "audited", False)) and not model._meta.abstract


def _excluded(model) -> set[str]:
    return ALWAYS_EXCLUDED | set(getattr(model, "audit_exclude", ()))


def _secret_fields(model) -> frozenset[str]:
    return frozenset(getattr(model, "audit_secret", ()))


def mask(value) -> str:
    """A secret as the change records keep it: a fingerprint that tells two values apart, not the value."""
    if value in (None, ""):
        return value
    return "•••• " + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:6]


def masked_text(instance, text: str) -> str:
    for name in _secret_fields(type(instance)):
        value = getattr(instance, name, None)
        if value:
            text = text.replace(str(value), mask(value))
    return text


def snapshot(instance) -> dict:
    """The record's own columns as JSON-safe values (foreign keys by id; secrets masked)."""
    data = {}
    secrets = _secret_fields(type(instance))
    for field, attname, places, is_file in _recorded_fields(type(instance)):
        value = field.value_from_object(instance)
        if attname in secrets:
            value = mask(value)
        elif places is not None and value is not None:
            # 100 typed into a form is the 100.00 stored: compare at the column's precision.
            value = Decimal(value).quantize(places)
        elif is_file:
            value = value.name if value else ""  # a file is recorded by its stored name
        data[attname] = _json_value(value)
    return data


@cache
def _recorded_fields(model) -> tuple:
    """(field, attname, a Decimal of its precision for a decimal field, whether a file) of each recorded column."""
    excluded = _excluded(model)
    return tuple(
        (
            field,
            field.attname,
            Decimal(1).scaleb(-field.decimal_places) if isinstance(field, DecimalField) else None,
            isinstance(field, FileField),
        )
        for field in model._meta.concrete_fields
        if field.name not in excluded and field.attname not in excluded
    )


_ENCODER = DjangoJSONEncoder()
_TEXT_TYPES = (datetime.date, datetime.time, datetime.timedelta, Decimal, uuid.UUID)


def _json_value(value):
    """``value`` as it reads back from JSON written by DjangoJSONEncoder (a date as its ISO text, a choice as
    its plain text), without a round trip for the common types."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, _TEXT_TYPES):
        return _ENCODER.default(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def changes(before: dict, after: dict) -> list[str]:
    """The fields whose snapshot values differ."""
    return sorted(k for k in after if before.get(k) != after.get(k))


def change_record(instance, action: str, before: dict | None, after: dict | None, changed: list[str]):
    """An unsaved ChangeRecord of ``instance`` by the current actor (bulk saving writes many at once)."""
    from .models import ChangeRecord

    actor = current_actor()
    return ChangeRecord(
        user_id=actor.user_id if actor else None,
        user_name=actor.user_name if actor else "",
        request_id=actor.request_id if actor else "",
        action=action,
        content_type_id=ContentType.objects.get_for_model(type(instance), for_concrete_model=True).pk,
        object_id=str(instance.pk) if instance.pk is not None else "",
        object_repr=masked_text(instance, str(instance))[:200],
        before=before,
        after=after,
        changed_fields=changed,
    )


def record_event(instance, action: str, details: dict) -> None:
    """A change record of an event that happened to ``instance`` without changing its columns (an account locked
    after too many wrong passwords): ``details`` as "after". An unsaved instance is recorded by its text only."""
    change_record(instance, action, None, details, sorted(details)).save()


def _write(instance, action: str, before: dict | None, after: dict | None, changed: list[str]):
    change_record(instance, action, before, after, changed).save()


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._base_manager.using(instance._state.db or "default").filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = None if created else getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(instance, ChangeKind.CREATE, None, after, sorted(after))
        return
    changed = changes(before, after)
    if changed:
        _write(
            instance,
            ChangeKind.UPDATE,
            {k: before.get(k) for k in changed},
            {k: after[k] for k in changed},
            changed,
        )


def _post_delete(sender, instance, **kwargs):
    _write(instance, ChangeKind.DELETE, snapshot(instance), None, [])


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not is_audited(type(instance)):
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        instance._audit_m2m_before = sorted(getattr(instance, field.name).values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    before = getattr(instance, "_audit_m2m_before", [])
    after = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if before != after:
        _write(instance, ChangeKind.UPDATE, {field.name: before}, {field.name: after}, [field.name])


def connect():
    for model in apps.get_models():
        if is_audited(model):
            uid = f"audit:{model._meta.label}"
            pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}:pre")
            post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}:post")
            post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}:delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="audit:m2m")


def scrub(instance, fields, texts, marker: str) -> int:
    """Erase personal data from ``instance``'s change records: the values of ``fields`` in before/after become
    ``marker``, and each of ``texts`` (the values themselves: a name, a phone number) is replaced by ``marker`` in
    the record's text. For data kept no longer (docs/privacy.md); returns the number of change records rewritten.
    """
    from .models import ChangeRecord

    fields = set(fields)
    texts = sorted({str(t) for t in texts if t not in (None, "")}, key=len, reverse=True)
    content_type = ContentType.objects.get_for_model(type(instance), for_concrete_model=True)

    def clean(value):
        if isinstance(value, str):
            for text in texts:
                value = value.replace(text, marker)
            return value
        if isinstance(value, dict):
            return {k: (marker if k in fields and v not in (None, "") else clean(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    rewritten = 0
    records = ChangeRecord.objects.filter(content_type=content_type, object_id=str(instance.pk))
    for record in records.only("pk", "object_repr", "before", "after"):
        new = (clean(record.object_repr)[:200], clean(record.before), clean(record.after))
        if new != (record.object_repr, record.before, record.after):
            record.object_repr, record.before, record.after = new
            record.save(update_fields=["object_repr", "before", "after"])
            rewritten += 1
    return rewritten
