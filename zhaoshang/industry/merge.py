"""Merging two records of one company (near-duplicates found by ``name_key``): the survivor keeps every reference.

``merge_enterprises(survivor, duplicate, user)`` re-points every record that refers to the duplicate — found from
the model's own relations, so that a model added later follows without this module naming it — fills the
survivor's blank fields from the duplicate, gives it the duplicate's tags and deletes the duplicate, all in one
transaction and through the audit path. A unique constraint the move would break (both have per-mu figures of the
same year, both are targets of the same node) refuses the merge before anything changes. Chain node
classifications are the one exception: the rules' rows are written again for the survivor
(``classify.classify``) and a member of staff's decision is kept, the survivor's winning on the same node.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import audit
from zhaoshang.core.choices import Action, ChangeKind
from zhaoshang.core.models import ChangeRecord

from .choices import ClassificationSource
from .models import Enterprise, NodeClassification

# Fields never copied from the duplicate: keys, derived columns, bookkeeping, and the keeping team (an empty team is
# the shared register, a choice, not a blank).
NOT_FILLED = {
    "id",
    "uscc",
    "normalized_name",
    "name_key",
    "search_text",
    "created",
    "updated",
    "created_by",
    "version",
    "owner_team",
}


class MergeRefused(Exception):
    """The merge cannot be done; the message (translated) says why. Nothing was changed."""


@dataclass(frozen=True)
class Reference:
    """One kind of record that refers to enterprises: the model and its field (``many``: a many-to-many)."""

    model: type[models.Model]
    field: models.Field
    many: bool = False

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def rows(self, enterprise):
        return self.model._base_manager.filter(**{self.field.name: enterprise})


def references() -> list[Reference]:
    """Every relation that points at an enterprise — foreign keys, one-to-ones and many-to-manys of other models,
    hidden ones (``related_name="+"``) included; the enterprise's own many-to-manys (tags) are merged apart."""
    found = []
    for relation in Enterprise._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if relation.many_to_many:
            found.append(Reference(model, relation.field, many=True))
        elif not model._meta.auto_created:  # the table of a many-to-many is moved through the many-to-many
            found.append(Reference(model, relation.field))
    return sorted(found, key=lambda r: (r.model._meta.label, r.field.name))


def reference_counts(enterprise) -> list[tuple[str, int]]:
    """(kind of record, how many refer to ``enterprise``) for each kind that has some, for the merge page."""
    counts = []
    for reference in references():
        count = reference.rows(enterprise).count()
        if count:
            counts.append((reference.label, count))
    for field in Enterprise._meta.many_to_many:
        count = getattr(enterprise, field.name).count()
        if count:
            counts.append((str(field.verbose_name), count))
    return counts


# --- checks ------------------------------------------------------------------------------------------------------


def _unique_sets(model, field) -> list[tuple[list[str], Q | None]]:
    """The unique field sets of ``model`` that hold ``field``: (the other fields, the constraint's condition)."""
    sets = []
    if field.unique:
        sets.append(([], None))
    for names in model._meta.unique_together:
        if field.name in names:
            sets.append(([n for n in names if n != field.name], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and field.name in constraint.fields:
            sets.append(([n for n in constraint.fields if n != field.name], constraint.condition))
    return sets


def _clash(reference: Reference, survivor, duplicate) -> str | None:
    """Why moving ``reference``'s rows from the duplicate to the survivor would break a unique constraint."""
    model, field = reference.model, reference.field
    for others, condition in _unique_sets(model, field):
        mine = reference.rows(survivor)
        theirs = reference.rows(duplicate)
        if condition is not None:
            mine, theirs = mine.filter(condition), theirs.filter(condition)
        if not others:
            if mine.exists() and theirs.exists():
                message = _("Both enterprises have a record of the kind “%(kind)s”, which an enterprise has only once.")
                return message % {"kind": model._meta.verbose_name}
            continue
        attnames = [model._meta.get_field(n).attname for n in others]
        shared = set(mine.values_list(*attnames)) & set(theirs.values_list(*attnames))
        if shared:
            row = theirs.filter(**dict(zip(attnames, sorted(shared, key=str)[0], strict=True))).first()
            value = "、".join(f"{model._meta.get_field(n).verbose_name}: {getattr(row, n)}" for n in others)
            return _(
                "Both enterprises have a record of the kind “%(kind)s” for the same %(value)s; a merged enterprise "
                "can have only one. Correct or delete one of them, then merge."
            ) % {"kind": model._meta.verbose_name, "value": value}
    return None


def merge_problems(survivor, duplicate) -> list[str]:
    """Every reason the two cannot be merged as they stand (an empty list: they can)."""
    if survivor.pk == duplicate.pk:
        return [_("An enterprise cannot be merged with itself.")]
    problems = []
    for reference in references():
        if reference.many or reference.model is NodeClassification:
            continue
        problem = _clash(reference, survivor, duplicate)
        if problem:
            problems.append(problem)
    return problems


# --- the merge ---------------------------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or value == ""


def _reconcile_classifications(survivor, duplicate) -> None:
    """The duplicate's rule rows go (the survivor's are written again afterwards); a staff row of the duplicate
    stays unless the survivor has a staff row at the node (it wins), and replaces a rule row of the survivor."""
    NodeClassification.objects.filter(enterprise=duplicate, source=ClassificationSource.RULES).delete()
    staff_nodes = set(
        NodeClassification.objects.filter(enterprise=survivor, source=ClassificationSource.STAFF).values_list(
            "node_id", flat=True
        )
    )
    NodeClassification.objects.filter(enterprise=duplicate, node_id__in=staff_nodes).delete()
    moving = NodeClassification.objects.filter(enterprise=duplicate).values_list("node_id", flat=True)
    NodeClassification.objects.filter(
        enterprise=survivor, source=ClassificationSource.RULES, node_id__in=list(moving)
    ).delete()


def _repoint(reference: Reference, survivor, duplicate) -> int:
    """Move the rows of ``reference`` from the duplicate to the survivor; one change record per audited row."""
    if reference.many:
        return _repoint_many(reference, survivor, duplicate)
    model, field = reference.model, reference.field
    rows = reference.rows(duplicate)
    pks = list(rows.values_list("pk", flat=True))
    if not pks:
        return 0
    if audit.is_audited(model):
        before, after = {field.attname: duplicate.pk}, {field.attname: survivor.pk}
        records = [
            audit.change_record(row, ChangeKind.UPDATE, before, after, [field.attname])
            for row in model._base_manager.filter(pk__in=pks).iterator(chunk_size=500)
        ]
        ChangeRecord.objects.bulk_create(records, batch_size=500)
    changes = {field.attname: survivor.pk}
    names = {f.name for f in model._meta.concrete_fields}
    if "version" in names:  # an edit form open on the old state must conflict, not undo the move
        changes["version"] = F("version") + 1
    if "updated" in names:
        changes["updated"] = timezone.now()
    model._base_manager.filter(pk__in=pks).update(**changes)
    return len(pks)


def _repoint_many(reference: Reference, survivor, duplicate) -> int:
    """Records of another model's many-to-many to enterprises: each one that names the duplicate names the survivor
    instead (once), through the audited ``add``/``remove``."""
    moved = 0
    for obj in reference.rows(duplicate):
        related = getattr(obj, reference.field.name)
        related.add(survivor)
        related.remove(duplicate)
        moved += 1
    return moved


def merge_enterprises(survivor, duplicate, user, note: str = "") -> dict:
    """Merge ``duplicate`` into ``survivor`` for ``user`` (who must be allowed to change both): every reference
    moves to the survivor, its blank fields are filled from the duplicate, it gains the duplicate's tags, and the
    duplicate is deleted. Returns {kind of record: rows moved}. Raises MergeRefused (nothing changed) or
    PermissionDenied."""
    from .classify import classify

    if survivor.pk == duplicate.pk:
        raise MergeRefused(_("An enterprise cannot be merged with itself."))
    moved: dict[str, int] = {}
    with transaction.atomic():
        pks = [survivor.pk, duplicate.pk]
        locked = {e.pk: e for e in Enterprise.objects.select_for_update().filter(pk__in=pks)}
        if len(locked) != 2 or Enterprise.objects.restrict(user, Action.CHANGE).filter(pk__in=pks).count() != 2:
            raise PermissionDenied(_("You may not change both enterprises."))
        survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
        problems = merge_problems(survivor, duplicate)
        if problems:
            raise MergeRefused(" ".join(problems))
        merged = {"merged_id": duplicate.pk, "merged_name": duplicate.name, "merged_uscc": duplicate.uscc or ""}
        if note:
            merged["note"] = note

        _reconcile_classifications(survivor, duplicate)
        for reference in references():
            count = _repoint(reference, survivor, duplicate)
            if count:
                moved[reference.label] = moved.get(reference.label, 0) + count
        for field in Enterprise._meta.many_to_many:  # tags: the union
            theirs = list(getattr(duplicate, field.name).values_list("pk", flat=True))
            if theirs:
                getattr(survivor, field.name).add(*theirs)

        code = duplicate.uscc
        for field in Enterprise._meta.concrete_fields:
            if field.name in NOT_FILLED or not field.editable:
                continue
            if _blank(getattr(survivor, field.attname)) and not _blank(getattr(duplicate, field.attname)):
                setattr(survivor, field.attname, getattr(duplicate, field.attname))
        duplicate.delete()
        if not survivor.uscc and code:
            survivor.uscc = code
        survivor.save()
        audit.record_event(survivor, ChangeKind.UPDATE, merged)
        classify([survivor.pk])
    return moved


# --- finding near-duplicates -------------------------------------------------------------------------------------


def duplicate_keys(user, of=None):
    """The loose name keys (``name_key``) shared by two or more enterprises ``user`` may change, grouped in the
    database (same normalized name implies the same key), in key order: a queryset of {"name_key", "count"} to
    paginate. ``of``: only the group of that enterprise."""
    writable = Enterprise.objects.restrict(user, Action.CHANGE).exclude(name_key="")
    if of is not None:
        writable = writable.filter(name_key=of.name_key)
    return (
        writable.order_by()
        .values("name_key")
        .annotate(count=models.Count("pk"))
        .filter(count__gt=1)
        .order_by("name_key")
    )


def duplicate_groups(user, keys) -> list[dict]:
    """The enterprises of ``keys`` (a page of ``duplicate_keys``) that ``user`` may change, by key: [{"key",
    "count", "enterprises"}] with the earliest record first."""
    keys = list(keys)
    members: dict[str, list] = {row["name_key"]: [] for row in keys}
    found = (
        Enterprise.objects.restrict(user, Action.CHANGE)
        .filter(name_key__in=list(members))
        .select_related("hq_region", "owner_team", "industry")
        .defer("search_text", "hq_region__boundary", "description", "main_products")
        .order_by("name_key", "pk")
    )
    for enterprise in found:
        members[enterprise.name_key].append(enterprise)
    return [{"key": row["name_key"], "count": row["count"], "enterprises": members[row["name_key"]]} for row in keys]
