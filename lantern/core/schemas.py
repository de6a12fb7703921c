"""The base of every API output schema."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Strict, model_validator


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


# Input times and dates. API.md: "Timestamps ISO 8601 with offset": a time without one is
# refused (422) rather than guessed. Years are bounded so that arithmetic on them (time
# zones, deadlines, ages) cannot overflow: nothing Lantern records is before 1900 or
# after 2100.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _year_in_range(value: dt.date) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(gettext("Must be between the years %(first)s and %(last)s.")
                         % {"first": EARLIEST_YEAR, "last": LATEST_YEAR})


def _text_not_number(value: Any) -> Any:
    # pydantic's lax mode reads 0 as 1970-01-01: a JSON time or date is a string.
    if isinstance(value, int | float):
        raise ValueError(gettext("Must be a date or time written as text (ISO 8601)."))
    return value


def _moment(value: dt.datetime) -> dt.datetime:
    _year_in_range(value)
    return value


def _day(value: dt.date) -> dt.date:
    _year_in_range(value)
    return value


# Strict(False): read from ISO 8601 text inside the strict bodies (In) as well.
Moment = Annotated[AwareDatetime, Strict(False), BeforeValidator(_text_not_number), AfterValidator(_moment)]
Day = Annotated[dt.date, Strict(False), BeforeValidator(_text_not_number), AfterValidator(_day)]
# An object's id in a JSON body: a number, never true or "7" (pydantic's lax mode would take both).
Id = Annotated[int, Strict()]


class In(Schema):
    """A request body, or an object inside one: a JSON object, whose values have the JSON
    types the schema names (strict: false is no number, "7" no integer, 1 no boolean).
    Ninja's Schema reads the attributes of anything (made for ORM objects), so a list
    would otherwise pass as all defaults."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict | BaseModel):  # Ninja hands it over wrapped
            raise ValueError(gettext("Must be an object."))
        return data
