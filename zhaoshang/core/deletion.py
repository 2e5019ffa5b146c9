"""Deleting a record that others still refer to: refused with a message naming what refers to it.

Foreign keys that protect their target (``on_delete=PROTECT`` or ``RESTRICT``) make the database refuse the
delete; pages and the API both answer with :func:`refusal_message` instead of a server error.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

REFUSED_DELETES = (ProtectedError, RestrictedError)


def refusal_message(obj, error: ProtectedError | RestrictedError) -> str:
    """ "Enterprise X cannot be deleted: projects (3) still refer to it." in the active language."""
    referrers = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    counts = Counter(type(referrer)._meta.verbose_name_plural for referrer in referrers)
    kinds = _(", ").join(
        _("%(kind)s (%(count)d)") % {"kind": kind, "count": count} for kind, count in sorted(counts.items())
    )
    return _("%(object)s cannot be deleted: %(referrers)s still refer to it. Remove or change those first.") % {
        "object": obj,
        "referrers": kinds,
    }
