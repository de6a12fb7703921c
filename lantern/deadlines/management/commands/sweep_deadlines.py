from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantern.core.context import origin
from lantern.deadlines.services import recompute_provisional
from lantern.deadlines.sweep import sweep
from lantern.notifications.services import deliver_pending
from lantern.portal.family import deliver_family_messages


class Command(BaseCommand):
    help = "Mark overdue deadlines, escalate them, send e-mails and messages to families (every few minutes)."

    def handle(self, *args: object, **options: object) -> None:
        with origin("cli"):
            recompute_provisional()
            steps = sweep()
            sent = deliver_pending(limit=1000)
            told = deliver_family_messages(limit=1000)
        self.stdout.write(_("%(steps)s escalation steps, %(sent)s e-mails sent, %(told)s messages to families.")
                          % {"steps": steps, "sent": sent, "told": told})
