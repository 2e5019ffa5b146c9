"""Record-level permissions, enforced on querysets.

Every view and API endpoint reaches records through
``Model.objects.restrict(user, action)``. The rules:

- anonymous callers see only what a model declares public (``public_q``);
- administrators (and superusers) may do everything;
- leaders read everything and change nothing they are not also a member for;
- everyone else sees what their teams own, and what lies in the district of a
  district bureau they belong to; writing needs a writing role (officer, team
  lead, administrator) in that team;
- apps above a model widen these rules with grants they register (core.access),
  never by editing the model's app.

A model says how its records relate to teams and districts in ``scope_q``.
Objects outside a user's scope are "not found" (404), never "forbidden".
Two actions refine reading: LOOKUP (knowing that a record exists; a model that
does not tell it apart answers it as VIEW) and PERSONAL (reading the personal
data a record holds; answered as CHANGE unless the model tells it apart): the
people who work a record read the people in it, others see them masked.
The policy, role by role, is in docs/access.md; the permission matrix test
(tests/test_access_matrix.py) holds the code to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from . import access
from .choices import Action

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """What one user may reach, computed once per request from their memberships."""

    user_id: int | None = None
    is_admin: bool = False
    is_leader: bool = False
    team_ids: dict[str, frozenset[int]] = field(default_factory=dict)
    region_prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    centre: dict[str, bool] = field(default_factory=dict)

    def teams(self, action: str) -> frozenset[int]:
        return self.team_ids.get(_kind(action), frozenset())

    def regions(self, action: str) -> tuple[str, ...]:
        return self.region_prefixes.get(_kind(action), ())

    def in_centre(self, action: str) -> bool:
        return self.centre.get(_kind(action), False)

    def team_q(self, action: str, field_name: str) -> Q:
        ids = self.teams(action)
        return Q(**{f"{field_name}__in": sorted(ids)}) if ids else NOTHING

    def region_q(self, action: str, adcode_field: str) -> Q:
        prefixes = self.regions(action)
        if not prefixes:
            return NOTHING
        return reduce(or_, (Q(**{f"{adcode_field}__startswith": p}) for p in prefixes))


def _kind(action: str) -> str:
    return "read" if action in (Action.VIEW, Action.LOOKUP) else "write"


# What an action asks of a model whose ``scope_q`` does not tell it apart (``distinct_actions``).
ACTION_FALLBACK = {Action.LOOKUP: Action.VIEW, Action.PERSONAL: Action.CHANGE}
# The actions leaders may do on every record (they read everything; personal data only where they work).
LEADER_ACTIONS = frozenset({Action.VIEW, Action.LOOKUP})
# The grants that also answer an action: whoever may read a record may know that it exists.
GRANTS_ANSWERING = {Action.LOOKUP: (Action.LOOKUP, Action.VIEW)}


EMPTY_SCOPE = Scope()


def user_scope(user) -> Scope:
    if user is None or not user.is_authenticated:
        return EMPTY_SCOPE
    return user.scope


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """The records ``user`` may ``action``; an empty queryset for anything else."""
        q = access_q(self.model, user, action)
        if q is None:
            return self.none()
        return self if q is EVERYTHING else self.filter(q)


EVERYTHING = Q()


def access_q(model, user, action: str = Action.VIEW) -> Q | None:
    """The condition on ``model``'s records that ``user`` may ``action`` (``EVERYTHING`` or None: nothing).

    The one place access is decided: the model's own rule (``public_q`` for anonymous callers, ``scope_q``
    for staff) or any grant registered for the model and action (core.access).
    """
    if user is None or not user.is_authenticated:
        return model.public_q() if action in LEADER_ACTIONS else None
    scope = user_scope(user)
    if scope.is_admin or (scope.is_leader and action in LEADER_ACTIONS):
        return EVERYTHING
    own = action if action in model.distinct_actions else ACTION_FALLBACK.get(action, action)
    found = [q for q in (model.scope_q(scope, own),) if q is not None]
    for granting in GRANTS_ANSWERING.get(action, (action,)):
        granted = access.granted_q(model, scope, granting)
        if granted is not None:
            found.append(granted)
    if not found:
        return None
    if any(is_everything(q) for q in found):
        return EVERYTHING
    return reduce(or_, found)


def is_everything(q: Q) -> bool:
    """An empty ``Q()`` lets every record through; beware that ``Q() | other`` is ``other``, not everything."""
    return not q


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


class ScopedModelMixin:
    """Default rules: reference data readable by every signed-in user, changed by administrators."""

    # The actions beyond view/add/change/delete that ``scope_q`` answers itself (Action.LOOKUP, Action.PERSONAL).
    distinct_actions: frozenset[str] = frozenset()

    @classmethod
    def public_q(cls) -> Q | None:
        return None

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        return Q() if action == Action.VIEW else None

    @classmethod
    def can_add(cls, user) -> bool:
        return user_scope(user).is_admin


class CentreKeptMixin(ScopedModelMixin):
    """Reference data a city keeps itself (standards, methods): read by all staff, kept by the centre's writing
    members and administrators."""

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        return Q() if action in (Action.VIEW, Action.LOOKUP) or scope.in_centre(action) else None

    @classmethod
    def can_add(cls, user) -> bool:
        scope = user_scope(user)
        return scope.is_admin or scope.in_centre(Action.ADD)


def can(user, obj, action: str) -> bool:
    """Whether ``user`` may ``action`` this saved object (re-checked against the database)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
