"""Versions of the standards: a set that a review has used is frozen (its thresholds, criteria and rejection items
stay as the reviews saw them); a change is a new version, copied from the old one, from a new effective date."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import StandardSet


def is_frozen(standard_set: StandardSet) -> bool:
    """Whether a review has used the set (it is then kept as it was)."""
    return standard_set.reviews.exists()


def review_count(standard_set: StandardSet) -> int:
    return standard_set.reviews.count()


@transaction.atomic
def new_version(source: StandardSet, effective_from: date, name: str, name_en: str = "") -> StandardSet:
    """A new set in force from ``effective_from`` with copies of the thresholds, criteria and rejection items of
    ``source``. A date another set already takes effect on is refused (ValidationError on effective_from)."""
    if StandardSet.objects.filter(effective_from=effective_from).exists():
        raise ValidationError(
            {"effective_from": _("Another set already takes effect on %(date)s.") % {"date": effective_from}}
        )
    created = StandardSet(
        name=name,
        name_en=name_en,
        effective_from=effective_from,
        notes=_("Copied from %(name)s.") % {"name": source},
    )
    created.save()
    for threshold in source.thresholds.all():
        threshold.pk = None
        threshold._state.adding = True
        threshold.version = 1
        threshold.standard_set = created
        threshold.save()
    for criterion in source.criteria.all():
        criterion.pk = None
        criterion._state.adding = True
        criterion.version = 1
        criterion.standard_set = created
        criterion.save()
    for entry in source.rejections.all():
        entry.pk = None
        entry._state.adding = True
        entry.version = 1
        entry.standard_set = created
        entry.save()
    return created
