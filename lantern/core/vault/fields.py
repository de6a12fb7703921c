"""Model fields that encrypt on the way into the database and decrypt on the way out.

The column holds an envelope token (people.crypto), never the value. Such a column
cannot be searched or compared: only `isnull` works, and any other lookup fails loudly
instead of silently matching nothing. Exact search goes through blind indexes
(people.blind)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from lantern.core.vault import crypto


class _Encrypted:
    """Mixin: text in the database, a Python value in the model."""

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"  # type: ignore[attr-defined]

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value  # emptiness is not secret; lets "no phone given" stay blank
        return crypto.encrypt(self.to_text(value), context=self.context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_text(crypto.decrypt(value, context=self.context()))

    def to_python(self, value: Any) -> Any:
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.context()} is encrypted: search it through a blind index, not {lookup_name!r}")
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedTextField(_Encrypted, models.TextField):
    """A name, phone, ID number, narrative: any text."""


class EncryptedDateField(_Encrypted, models.TextField):
    """A date (of birth): compared and computed on in Python after decryption."""

    def to_text(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def from_text(self, text: str) -> Any:
        return dt.date.fromisoformat(text)

    def to_python(self, value: Any) -> Any:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


class EncryptedJSONField(_Encrypted, models.TextField):
    """Structured identifiers (a suspect's platform accounts)."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        _remember_leaves(value)
        return crypto.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True), context=self.context())

    def from_text(self, text: str) -> Any:
        value = json.loads(text)
        _remember_leaves(value)  # a single handle in a log line is blanked too, not only the whole
        return value


def _remember_leaves(value: Any) -> None:
    if isinstance(value, str):
        crypto.remember(value)
    elif isinstance(value, dict):
        for item in value.values():
            _remember_leaves(item)
    elif isinstance(value, list):
        for item in value:
            _remember_leaves(item)
