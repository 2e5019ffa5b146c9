"""Access grants that apps register on the records of apps below them.

Who may do what with a record is decided in one place: ``RestrictedQuerySet.restrict`` (core.permissions) asks
the record's model (``scope_q``: its owning team, district, the centre) and then every grant registered for that
model and action, and lets the user through where any of them does. An app that arrives later widens access to
a lower app's records by registering a grant in its ``AppConfig``, as it registers its menu entries, panels and
statistics sources — the lower app never imports it:

```python
# review/access.py
def assigned_reviewer(scope, prefix):
    # a reviewer assigned to an undecided review reads its project (a confidential one too)
    return Q(**{f"{prefix}reviews__assignments__reviewer": scope.user_id, f"{prefix}reviews__decided_on": None})

GRANTS = [Grant("projects.Project", (Action.VIEW,), assigned_reviewer, _("A reviewer reads the projects assigned"))]

# review/apps.py
class ReviewConfig(AppConfig):
    access_grants = ["zhaoshang.review.access.GRANTS"]
```

A grant's rule takes the user's ``Scope`` and a path prefix and returns a ``Q`` (or None: nothing). The prefix
lets one grant reach the records that follow their parent's access: a grant on ``projects.Project`` reaches the
project's activities, documents and contacts too, with ``prefix="project__"``. Grants only ever widen access;
they are listed on the access page of the documentation (``docs/access.md``) by their description.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Q
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Grant:
    """``rule(scope, prefix)`` names records of ``model_path`` ("app_label.Model") the user may ``actions``."""

    model_path: str
    actions: tuple[str, ...]
    rule: Callable
    description: object = ""

    def q(self, scope, prefix: str = "") -> Q | None:
        return self.rule(scope, prefix)


_cache: dict[tuple[str, str], tuple[Grant, ...]] | None = None


def registered_grants() -> dict[tuple[str, str], tuple[Grant, ...]]:
    """The grants the installed apps list under ``AppConfig.access_grants``, by (model label, action)."""
    global _cache
    if _cache is None:
        found: dict[tuple[str, str], list[Grant]] = {}
        for config in apps.get_app_configs():
            for path in getattr(config, "access_grants", ()):
                for grant in _as_list(import_string(path)):
                    for action in grant.actions:
                        found.setdefault((grant.model_path.lower(), action), []).append(grant)
        _cache = {key: tuple(value) for key, value in found.items()}
    return _cache


def _as_list(value) -> Iterable[Grant]:
    return value if isinstance(value, list | tuple) else (value,)


def forget() -> None:
    """Read the registrations again at the next use (tests that register a grant of their own)."""
    global _cache
    _cache = None


def grants_for(model, action: str) -> tuple[Grant, ...]:
    return registered_grants().get((model._meta.label_lower, action), ())


def granted_q(model, scope, action: str, prefix: str = "") -> Q | None:
    """The records of ``model`` the grants registered for ``action`` give ``scope`` (None when none does)."""
    found = [q for grant in grants_for(model, action) if (q := grant.q(scope, prefix)) is not None]
    return reduce(or_, found) if found else None
