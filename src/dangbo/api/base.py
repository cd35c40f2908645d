"""Shared pieces of API v1."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import (
    BaseValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.formatting import lazy_format

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


# DRF ships Vietnamese for only a score of its own messages ("A valid integer is required." is not
# among them): every input of API v1 carries these instead, translated in the project's catalogue.
FIELD_MESSAGES: dict[type[serializers.Field], dict[str, Any]] = {
    serializers.Field: {
        "required": gettext_lazy("This field is required."),
        "null": gettext_lazy("This field may not be null."),
    },
    serializers.BooleanField: {"invalid": gettext_lazy("Write true or false.")},
    serializers.CharField: {
        "invalid": gettext_lazy("Write it as text."),
        "blank": gettext_lazy("This field may not be blank."),
        "max_length": gettext_lazy("Write at most {max_length} characters."),
    },
    serializers.IntegerField: {
        "invalid": gettext_lazy("Write a whole number."),
        "max_string_length": gettext_lazy("Write a whole number."),
        "min_value": gettext_lazy("Write a number of at least {min_value}."),
        "max_value": gettext_lazy("Write a number of at most {max_value}."),
    },
    serializers.DateField: {
        "invalid": gettext_lazy("Write the date as YYYY-MM-DD."),
        "datetime": gettext_lazy("Write the date as YYYY-MM-DD."),
    },
    serializers.ChoiceField: {"invalid_choice": gettext_lazy("“{input}” is not one of the choices.")},
    serializers.ListField: {
        "not_a_list": gettext_lazy("Write a list of items."),
        "empty": gettext_lazy("The list may not be empty."),
        "max_length": gettext_lazy("Give at most {max_length} items."),
    },
    serializers.Serializer: {"invalid": gettext_lazy("Write an object with its fields.")},
}
LIMITS: dict[type[BaseValidator], str] = {
    MaxLengthValidator: "max_length",
    MinLengthValidator: "min_length",
    MaxValueValidator: "max_value",
    MinValueValidator: "min_value",
}


def in_vietnamese(field: serializers.Field) -> None:
    """The field's refusals from FIELD_MESSAGES (the most specific class wins), including those its
    validators of length and range were given when the field was made."""
    for cls in reversed(type(field).__mro__):
        for key, message in FIELD_MESSAGES.get(cls, {}).items():
            if key in field.error_messages:
                field.error_messages[key] = message
    for validator in field.validators:
        if not isinstance(validator, BaseValidator):
            continue
        limit = LIMITS.get(type(validator))
        if limit is not None and limit in field.error_messages:
            text: Any = field.error_messages[limit]
            validator.message = lazy_format(text, **{limit: validator.limit_value})  # type: ignore[assignment]


class StrictInput(serializers.Serializer):
    """An input serializer that refuses fields it does not know (400 naming them) and words every
    refusal in Vietnamese (FIELD_MESSAGES)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_vietnamese(self)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            in_vietnamese(field)
            if isinstance(field, serializers.ListField):
                in_vietnamese(field.child)
        return fields

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)
