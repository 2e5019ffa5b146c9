"""JSON request bodies, strictly: no NaN or Infinity (1e999 is Infinity to Python), no absurd nesting.

Python's decoder turns ``1e999`` into ``inf`` and a body nested thousands of levels deep into a RecursionError;
both would reach the code behind the API. This parser answers 400 instead (DRF's ``ParseError``).
"""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # arrays and objects inside each other; the API's own bodies are at most three deep


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _no_constant(name: str):
    raise ValueError(name)


def _depth(data) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
            data = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except ValueError:
            raise ParseError(_("The body is not valid JSON (numbers must be finite).")) from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        return data
