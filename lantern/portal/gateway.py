"""Where SMS go: a gateway interface and its backends. A deployment plugs in its
operator's gateway by naming a class in LANTERN_SMS_BACKEND; development and tests use the
file backend, which appends one JSON line per message to LANTERN_SMS_FILE."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Deliver or raise OSError (the message is retried later)."""


class FileGateway:
    """Development and tests: messages land in a file, as the operator's gateway would
    receive them. The file holds phone numbers: keep it out of shared folders."""

    def send(self, *, to: str, text: str) -> None:
        path = Path(settings.LANTERN_SMS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False)
        with path.open("a", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            out.write(line + "\n")


def gateway() -> SmsGateway:
    return import_string(settings.LANTERN_SMS_BACKEND)()
