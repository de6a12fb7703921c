"""The base of every API output schema."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from ninja import Schema
from pydantic import ConfigDict, model_validator


def _text(value: Any) -> Any:
    if isinstance(value, Promise):  # a lazily translated label or legal reference
        return str(value)
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


class Out(Schema):
    """A response body. Selectors build plain dicts whose labels may be lazy translations;
    they are rendered in the request's language here.

    Under test a key the schema does not declare is an error, so a selector that gains a
    field cannot lose it silently on the way out; in service it is dropped, not a 500."""

    model_config = ConfigDict(extra="forbid" if settings.TESTING else "ignore")

    @model_validator(mode="before")
    @classmethod
    def _lazy_text(cls, data: Any) -> Any:
        data = getattr(data, "_obj", data)  # Ninja hands the input over wrapped (DjangoGetter)
        if isinstance(data, dict):
            return {key: _text(value) for key, value in data.items()}
        return data
