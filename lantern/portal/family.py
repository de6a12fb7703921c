"""Telling the family, by SMS and e-mail, that something happened — never what: the
message carries no case number, no names, no state, nothing a phone left on a table or a
shared mailbox could give away. The details are behind the portal's sign-in.

Messages are queued in the transaction of the change (so a rolled-back change sends
nothing) and sent after commit; the outbox job (notifications.scheduled) retries the rest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lantern.cases.states import State
from lantern.core.public import portal_address
from lantern.notifications.services import drain
from lantern.portal.gateway import gateway
from lantern.portal.models import Channel, FamilyMessage

# State changes a family is told about; the rest (a review begun, an investigation begun
# right after filing) are visible in the portal without a message.
WORTH_KNOWING = frozenset({State.FILED, State.NOT_FILED, State.SUSPENDED, State.REVOKED,
                           State.SENT_FOR_PROSECUTION, State.PROSECUTED, State.NOT_PROSECUTED, State.JUDGED,
                           State.CLOSED})


def _texts() -> dict[str, str]:
    return {
        "news": _("There is news about the matter you reported. Sign in to the family portal at %(portal)s "
                  "with the tracking code and secret on your receipt to read it."),
        "answered": _("Your question to the police has been answered. Sign in to the family portal at "
                      "%(portal)s to read the answer."),
        "extended": _("The police need more time to answer your question. Sign in to the family portal at "
                      "%(portal)s to see why and until when."),
        "code": _("Your sign-in code for the family portal (%(portal)s) is %(code)s. It is valid for 10 "
                  "minutes. If you did not ask for it, ignore this message."),
    }


def _addresses(case: Any) -> list[tuple[str, str]]:
    try:
        complainant = case.complainant
    except ObjectDoesNotExist:
        return []
    found = [(Channel.SMS, complainant.phone), (Channel.EMAIL, complainant.email)]
    return [(channel, address) for channel, address in found if address]


def has_contact(case: Any) -> bool:
    return bool(_addresses(case))


def tell_family(case: Any, kind: str, *, skip: set[tuple[str, str]] | None = None, **values: str) -> int:
    """Queue the message ``kind`` to every registered address of the complainant (but the
    addresses in ``skip``, which are added to it)."""
    with translation.override(settings.LANGUAGE_CODE):  # families read the default language
        # The portal's sign-in address only: the message stays about nothing in particular.
        body = _texts()[kind] % {"portal": portal_address(), **values}
        subject = _("Lantern family portal")
    queued = 0
    for channel, address in _addresses(case):
        if skip is not None:
            if (channel, address) in skip:
                continue
            skip.add((channel, address))
        FamilyMessage.objects.create(case=case, kind=kind, channel=channel, to_address=address,
                                     body=f"{subject}\n{body}" if channel == Channel.EMAIL else f"【{subject}】{body}")
        queued += 1
    if queued:
        transaction.on_commit(deliver_family_messages, robust=True)
    return queued


def case_moved(case: Any, before: str, after: str) -> None:
    """Subscribed to cases.events.case_moved: the workflow's one state-changing step."""
    resumed = before == State.SUSPENDED and after == State.INVESTIGATING
    if after in WORTH_KNOWING or resumed:
        # The complainants of the reports merged into the case follow it too; one message
        # per address, though the same person reported twice.
        told: set[tuple[str, str]] = set()
        for complainant_case in (case, *case.merged_reports.all()):
            tell_family(complainant_case, "news", skip=told)


def disclosure_made(*, case: Any, record: Any) -> None:
    """Subscribed to discipline.events.disclosed: the family is told there is news, as for
    a case that moved; what was disclosed is behind the portal's sign-in."""
    told: set[tuple[str, str]] = set()
    for complainant_case in (case, *case.merged_reports.all()):
        tell_family(complainant_case, "news", skip=told)


def send(message: FamilyMessage) -> None:
    if message.channel == Channel.SMS:
        gateway().send(to=message.to_address, text=message.body)
    else:
        subject, _sep, body = message.body.partition("\n")
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [message.to_address])


def deliver_family_messages(limit: int = 100) -> int:
    """Send queued messages; safe to run concurrently (each is claimed by one sender)."""
    return drain(FamilyMessage, send, limit)
