"""Hooks: how a lower app lets higher apps plug in without importing them.

The lower app declares a ``Hook`` (cases: "a case moved"; notifications: outboxes; core:
scheduled jobs); the higher app registers its callable from its ``AppConfig.ready``. The
import contract (pyproject.toml) forbids the upward import this replaces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Hook(Generic[T]):
    def __init__(self, name: str):
        self.name = name
        self._entries: list[T] = []

    def register(self, entry: T) -> T:
        """Add ``entry`` once (ready() may run twice in some test set-ups); usable as a decorator."""
        if entry not in self._entries:
            self._entries.append(entry)
        return entry

    def unregister(self, entry: T) -> None:
        """Remove ``entry`` (tests that plug in a probe take it out again)."""
        if entry in self._entries:
            self._entries.remove(entry)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._entries)} registered>"

