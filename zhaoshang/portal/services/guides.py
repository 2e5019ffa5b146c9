"""Saving a landing guide together with its steps."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max

from zhaoshang.core.choices import ChangeKind
from zhaoshang.core.conflicts import atomic_write
from zhaoshang.core.models import ChangeRecord

from ..models import Guide, GuideStep


def save_guide(form, formset) -> Guide:
    """Save a valid guide form and its valid step formset in one transaction.

    Steps may trade numbers (2 becomes 1 and 1 becomes 2) although two steps of a guide never share one: steps
    whose number changes first move out of the way (above every number in use, a move the change records do
    not show), then every step is saved with its new number and audited from its number before. The guide is
    saved (its version rises) even when only steps changed, so that two people editing the same guide's steps
    cannot overwrite each other (``ConflictError``).
    """
    with atomic_write(form.instance):
        guide = form.save()
        formset.instance = guide
        moved = {
            f.instance.pk: f.initial["order"]
            for f in formset.initial_forms
            if "order" in f.changed_data and not formset._should_delete_form(f)
        }
        if moved:
            top = GuideStep.objects.filter(guide=guide).aggregate(top=Max("order"))["top"] or 0
            for offset, pk in enumerate(sorted(moved), start=1):
                GuideStep._base_manager.filter(pk=pk).update(order=top + offset)
        last = ChangeRecord.objects.aggregate(last=Max("pk"))["last"] or 0
        formset.save()
        if moved:
            records = ChangeRecord.objects.filter(
                pk__gt=last,
                content_type=ContentType.objects.get_for_model(GuideStep),
                object_id__in=[str(pk) for pk in moved],
                action=ChangeKind.UPDATE,
            )
            for record in records:
                if "order" in record.before:
                    record.before["order"] = moved[int(record.object_id)]
                    record.save(update_fields=["before"])
        return guide
