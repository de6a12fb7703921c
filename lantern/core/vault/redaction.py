"""A logging filter that keeps identities out of log output, whatever put them there.

Two nets: every value encrypted or decrypted while handling the current request (see
crypto.revealed; outside a request, the last few thousand this process handled) is
blanked wherever it appears in a log line or traceback, and anything shaped like a
mainland mobile number or a resident ID number is blanked always (an unparsed form value
was never decrypted)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from lantern.core.vault import crypto

MASK = "[redacted]"
PATTERNS = (
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),  # mobile numbers
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # resident ID numbers
)


def scrub(text: str) -> str:
    for value in sorted(crypto.revealed_now(), key=len, reverse=True):
        text = text.replace(value, MASK)
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class RedactIdentities(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


@contextmanager
def request_scope() -> Iterator[None]:
    """Collect the values this request reveals, for the filter; forget them after."""
    token = crypto.revealed.set(set())
    try:
        yield
    finally:
        crypto.revealed.reset(token)
