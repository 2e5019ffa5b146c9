"""Record-level permissions, enforced on querysets.

Every view and API endpoint reaches records through
``Model.objects.restrict(user, action)``. The rules:

- anonymous callers see only what a model declares public (``public_q``);
- administrators (and superusers) may do everything;
- leaders read everything and change nothing they are not also a member for;
- everyone else sees what their teams own, and what lies in the district of a
  district bureau they belong to; writing needs a writing role (officer, team
  lead, administrator) in that team.

A model says how its records relate to teams and districts in ``scope_q``.
Objects outside a user's scope are "not found" (404), never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from .choices import Action

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """What one user may reach, computed once per request from their memberships."""

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
    return "read" if action == Action.VIEW else "write"


EMPTY_SCOPE = Scope()


def user_scope(user) -> Scope:
    if user is None or not user.is_authenticated:
        return EMPTY_SCOPE
    return user.scope


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """The records ``user`` may ``action``; an empty queryset for anything else."""
        if user is None or not user.is_authenticated:
            q = self.model.public_q()
            return self.filter(q) if q is not None else self.none()
        scope = user_scope(user)
        if scope.is_admin or (action == Action.VIEW and scope.is_leader):
            return self
        q = self.model.scope_q(scope, action)
        if q is None:
            return self.none()
        return self.filter(q)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


class ScopedModelMixin:
    """Default rules: reference data readable by every signed-in user, changed by administrators."""

    @classmethod
    def public_q(cls) -> Q | None:
        return None

    @classmethod
    def scope_q(cls, scope: Scope, action: str) -> Q | None:
        return Q() if action == Action.VIEW else None

    @classmethod
    def can_add(cls, user) -> bool:
        return user_scope(user).is_admin


def can(user, obj, action: str) -> bool:
    """Whether ``user`` may ``action`` this saved object (re-checked against the database)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()
