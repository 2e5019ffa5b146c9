"""Base API views: the same queryset restriction as the pages.

Reads go through ``restrict(user, "view")``; an object outside it is 404.
Writes to an object the user can read but not change are 403; a write that meets another is 409.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from .. import personal
from ..choices import Action
from ..conflicts import atomic_write
from ..context import attribute_to
from ..deletion import REFUSED_DELETES, refusal_message
from ..ids import parse_id
from ..permissions import can
from .errors import Conflict
from .fields import PrimaryKeyRelatedField

METHOD_ACTIONS = {"PUT": Action.CHANGE, "PATCH": Action.CHANGE, "DELETE": Action.DELETE}


class RestrictedViewSetMixin:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        attribute_to(request.user)  # token-authenticated callers are known only now

    def get_queryset(self):
        return (
            self.queryset.model.objects.restrict(self.request.user, Action.VIEW)
            .select_related(*getattr(self, "select_related", ()))
            .prefetch_related(*getattr(self, "prefetch_related", ()))
        )

    def get_serializer(self, *args, **kwargs):
        """Records read are shown with the personal data the caller may not read masked (core.personal)."""
        if args and self.request.method in ("GET", "HEAD", "OPTIONS") and args[0] is not None:
            records = args[0]
            shown = (
                personal.mask(records, self.request.user)
                if kwargs.get("many")
                else personal.mask_one(records, self.request.user)
            )
            args = (shown, *args[1:])
        return super().get_serializer(*args, **kwargs)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        action = METHOD_ACTIONS.get(request.method)
        if action is not None and not can(request.user, obj, action):
            raise PermissionDenied()


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Saves in one transaction each; a save that meets another is ``ConflictError``, answered 409 (see
    ``core.api.errors``)."""

    def perform_create(self, serializer):
        with atomic_write():
            serializer.save()

    def perform_destroy(self, instance):
        try:
            with atomic_write(instance):
                instance.delete()
        except REFUSED_DELETES as error:
            raise Conflict(refusal_message(instance, error)) from None

    def perform_update(self, serializer):
        with atomic_write(serializer.instance):
            serializer.save()


class VersionedSerializerMixin(serializers.Serializer):
    """Carries ``version``: an update must send the version it read (optimistic locking). Relations it
    generates read ids strictly (``core.api.fields``)."""

    serializer_related_field = PrimaryKeyRelatedField

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            version = self.initial_data.get("version")
            if version is None:
                raise serializers.ValidationError({"version": [_("Send the version of the record you read.")]})
            self.instance.version = parse_id(version)
            if self.instance.version is None:
                raise serializers.ValidationError({"version": [_("A whole number is required.")]})
        return attrs
