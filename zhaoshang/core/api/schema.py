"""The OpenAPI schema documents the errors each operation can answer, so clients (and the fuzzing suite,
``tests/test_api_fuzzing.py``) know every status they may receive.

- 400 where the caller sends something to validate: a body, query parameters;
- 403 everywhere: where the caller must be signed in or have a right to the record, and wherever credentials
  that are sent are not valid (an unknown token, a missing CSRF token);
- 404 where the address names a record, or a list can be asked for a page past its end;
- 409 on every write: it may meet another write of the record (``core/conflicts.py``), and a delete can be refused
  because other records refer to the record (``core/deletion.py``);
- 429 where the view has a rate limit (``throttle_scope``).

Bodies: ``{"detail": "…"}`` (``ErrorSerializer``), or for 400 an object of messages per field.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from .errors import ErrorSerializer

VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": _("The messages per field (non_field_errors: about the whole request), or detail."),
}


WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CONFLICT = _(
    "Someone else changed the record since it was read, or was changing it at the same moment; nothing was saved. "
    "Read it again and retry."
)
CONFLICT_OR_REFERRED = _(
    "Someone else changed the record since it was read, or was changing it at the same moment; nothing was saved. "
    "Read it again and retry. Or other records still refer to this one."
)


class AutoSchema(BaseAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status, description, schema in self._errors(operation):
            responses.setdefault(
                status, {"content": {"application/json": {"schema": schema}}, "description": str(description)}
            )
        return operation

    def _errors(self, operation):
        parameters = operation.get("parameters", [])
        detail = self.resolve_serializer(ErrorSerializer, "response").ref
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            yield "400", _("The request is malformed or its data are invalid."), VALIDATION_ERROR
        yield "403", _("Not signed in, credentials not valid, or no right to do this."), detail
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            yield "404", _("No such record, or not one the caller may see; or no such page."), detail
        if self.method in WRITE_METHODS:
            yield "409", CONFLICT_OR_REFERRED if self.method == "DELETE" else CONFLICT, detail
        if getattr(self.view, "throttle_scope", None):
            yield "429", _("Too many requests: wait and retry."), detail
