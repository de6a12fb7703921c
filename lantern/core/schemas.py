"""The base of every API output schema."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, model_validator


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


def _moment(value: dt.datetime) -> dt.datetime:
    _year_in_range(value)
    return value


def _day(value: dt.date) -> dt.date:
    _year_in_range(value)
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_moment)]
Day = Annotated[dt.date, AfterValidator(_day)]
