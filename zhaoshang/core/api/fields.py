"""Serializer fields that read ids strictly (``core.ids.parse_id``).

DRF's ``PrimaryKeyRelatedField`` hands what it got to the database: ``true`` finds record 1, ``1.5`` record 1,
and a number past 64 bits fails the query. This one accepts a whole number (or a string of digits) only.
"""

from __future__ import annotations

from rest_framework import serializers

from ..ids import parse_id


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            if isinstance(data, bool) or not isinstance(data, int | str):
                self.fail("incorrect_type", data_type=type(data).__name__)
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)
