from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from lantern.core.actions import action
from lantern.core.errors import NotFound
from lantern.core.registry import Hook
from lantern.notifications.kinds import KINDS, freeze, render_in
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


def notify(*, recipients: Iterable[Any], kind: str, case: Any = None, params: dict[str, Any] | None = None,
           title: str | None = None, body: str | None = None) -> list[Notification]:
    """Write inbox entries and queue their e-mails; call inside the causing transaction.

    A kind of notifications.kinds is worded from ``params`` (the case number is added),
    when read, in the reader's language. Callers of other kinds pass the ``title`` and
    ``body`` themselves. Never pass names, phones or the account of what happened: the
    inbox and the e-mail carry the case number, what happened and a link."""
    stored = _stored_params(kind, case, params, title)
    if stored is not None:
        title, body = render_in(settings.LANGUAGE_CODE, kind, stored)
    if title is None or body is None:
        raise ValueError(f"notify({kind!r}): a kind outside notifications.kinds needs a title and a body")
    made = []
    for user in {u.pk: u for u in recipients}.values():
        note = Notification.objects.create(recipient=user, case=case, kind=kind, params=stored,
                                           title=title[:200], body=body)
        if user.email:
            subject, text = _mail(note)
            OutboxMessage.objects.create(notification=note, to_address=user.email, subject=subject, body=text)
        made.append(note)
    if made:
        transaction.on_commit(deliver_pending, robust=True)
    return made


def _stored_params(kind: str, case: Any, params: dict[str, Any] | None, title: str | None) -> dict[str, Any] | None:
    if kind not in KINDS or (title is not None and params is None):
        return None
    given = dict(params or {})
    if case is not None:
        given.setdefault("number", case.case_number)
    return freeze(given)


def open_link(note: Notification) -> str:
    """The address that opens a notification (marks it read, then shows its case)."""
    return settings.LANTERN_STAFF_URL + reverse("notifications:open", args=[note.pk])


def _mail(note: Notification) -> tuple[str, str]:
    """Subject and text: Simplified Chinese, English below (a mail has no language switch)."""
    link = open_link(note)
    worded = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            worded.append(note.worded())
    subject = "[Lantern] " + " / ".join(dict.fromkeys(title for title, _body in worded))
    text = "\n\n-----\n\n".join(f"{title}\n\n{body}\n\n{link}" for title, body in worded)
    return subject[:200], text


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


# --- The inbox: each user's own notifications, and nobody else's -----------------------


def inbox_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first. The recipient filter is the access rule:
    nobody, whatever their role, reads another user's inbox."""
    notes = Notification.objects.filter(recipient=user).select_related("case")
    return notes.filter(read_at__isnull=True) if unread_only else notes


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def own_notification(user: Any, notification_id: int) -> Notification:
    """One of the user's notifications; anyone else's does not exist for them (404)."""
    note = inbox_of(user).filter(pk=notification_id).first()
    if note is None:
        raise NotFound()
    return note


# Reading one's inbox changes nothing in a record, so these actions write no audit entry
# (opening the case a notification links to is audited as a case read).
@action
def mark_read(*, actor: Any, notification_id: int) -> Notification:
    note = own_notification(actor, notification_id)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


@action
def mark_all_read(*, actor: Any) -> int:
    """Returns how many were unread."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
