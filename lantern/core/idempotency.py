"""Idempotency-Key for creating POSTs: the same key and body return the first result and
create nothing new; the same key with another body is refused."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lantern.core.errors import Conflict, ValidationFailed
from lantern.core.models import IdempotencyRecord


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"lantern-idempotency|{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


MAX_KEY_LENGTH = 200  # IdempotencyRecord.key; a longer key is refused, never cut (two keys would collide)


def run_once(*, user: Any, scope: str, key: str | None, body: bytes,
             create: Callable[[], tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]]:
    """Call ``create`` (returns status and JSON body) unless ``key`` was used before."""
    if not key:
        return create()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(details={"Idempotency-Key": [
            _("Too long: at most %(n)s characters.") % {"n": MAX_KEY_LENGTH}]})
    request_hash = hashlib.sha256(body).hexdigest()
    found = IdempotencyRecord.objects.filter(user_id=user.pk, scope=scope, key=key).first()
    if found is not None:
        return _replay(found, request_hash)
    try:
        with transaction.atomic():
            status, payload = create()
            IdempotencyRecord.objects.create(user_id=user.pk, scope=scope, key=key, request_hash=request_hash,
                                             status=status, sealed_response=payload)
            return status, payload
    except IntegrityError:  # a concurrent retry won the race: its result is the result
        return _replay(IdempotencyRecord.objects.get(user_id=user.pk, scope=scope, key=key), request_hash)


def _replay(found: IdempotencyRecord, request_hash: str) -> tuple[int, dict[str, Any]]:
    if found.request_hash != request_hash:
        raise Conflict(_("This Idempotency-Key was already used with a different request."),
                       unmet=[{"code": "idempotency_key_reused",
                               "message": _("Use a new key for a new request.")}])
    if found.sealed_response is not None:
        return found.status, found.sealed_response
    return found.status, json.loads(_fernet().decrypt(bytes(found.response)))
