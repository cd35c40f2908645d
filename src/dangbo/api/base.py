"""Shared pieces of API v1."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination

# Ids are positive 63-bit integers on both databases; anything else is a 400 or a 404, never a 500.
MAX_ID = 2**63 - 1
ID_PATTERN = re.compile(r"[0-9]{1,18}")
LOOKUP_ID = r"[0-9]{1,18}"


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def query_id(value: str | None) -> int | None:
    """An id from the query string, or None when it is not one (ASCII digits only: "²" is not)."""
    return int(value) if value is not None and ID_PATTERN.fullmatch(value) else None


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500
    max_offset = 10**12  # beyond any table; larger numbers overflow the database's integers

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), self.max_offset)


class JSONParser(parsers.JSONParser):
    """DRF's parser, but a body nested deeper than Python's recursion limit is a 400, not a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc


class StrictInput(serializers.Serializer):
    """An input serializer that refuses fields it does not know (400 naming them)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)
