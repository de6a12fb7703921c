from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lantern.core.registry import Hook
from lantern.notifications.models import Notification, OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Outbox:
    """A table of queued messages (a subclass of notifications.Outbox) and how to send one.
    Apps with their own messages (the portal's to families) register theirs from ready."""

    label: Any  # a lazily translated name, for the job's summary
    model: Any
    send: Callable[[Any], None]


OUTBOXES: Hook[Outbox] = Hook("outboxes")


def notify(*, recipients: Iterable[Any], kind: str, title: str, body: str, case: Any = None) -> list[Notification]:
    """Write inbox entries and queue their e-mails; call inside the causing transaction."""
    made = []
    for user in {u.pk: u for u in recipients}.values():
        note = Notification.objects.create(recipient=user, case=case, kind=kind, title=title[:200], body=body)
        if user.email:
            OutboxMessage.objects.create(notification=note, to_address=user.email,
                                         subject=f"[Lantern] {title}"[:200], body=body)
        made.append(note)
    if made:
        transaction.on_commit(deliver_pending, robust=True)
    return made


def drain(model: Any, send: Callable[[Any], None], limit: int = 100) -> int:
    """Send the queued rows of an outbox ``model`` (this one, or the family's messages):
    each row is claimed by one sender with a conditional UPDATE, so concurrent senders
    never send twice; a failure is retried up to MAX_ATTEMPTS. Returns how many were sent.
    Runs outside any transaction: a slow server must not hold database locks."""
    ids = list(model.objects.filter(status=OutboxStatus.PENDING).order_by("id").values_list("id", flat=True)[:limit])
    sent = 0
    for message_id in ids:
        if model.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(status=OutboxStatus.SENDING) != 1:
            continue
        message = model.objects.get(pk=message_id)
        message.attempts += 1
        try:
            send(message)
        except (smtplib.SMTPException, OSError) as exc:
            message.last_error = type(exc).__name__  # never the text: it may echo the address
            message.status = OutboxStatus.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
        else:
            message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
        message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        sent += message.status == OutboxStatus.SENT
    return sent


def send_staff_mail(message: OutboxMessage) -> None:
    send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to_address])


def deliver_pending(limit: int = 100) -> int:
    """Send queued e-mails; returns how many were sent. Safe to run concurrently."""
    return drain(OutboxMessage, send_staff_mail, limit)


def deliver_all(limit: int = 1000) -> dict[str, int]:
    """Drain every registered outbox; returns how many each sent."""
    return {str(outbox.label): drain(outbox.model, outbox.send, limit) for outbox in OUTBOXES}
