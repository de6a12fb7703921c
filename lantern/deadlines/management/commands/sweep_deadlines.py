from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantern.core.context import origin
from lantern.deadlines.services import recompute_provisional
from lantern.deadlines.sweep import sweep
from lantern.notifications.services import deliver_pending


class Command(BaseCommand):
    help = "Mark overdue deadlines, escalate them and send the e-mails (run every few minutes)."

    def handle(self, *args: object, **options: object) -> None:
        with origin("cli"):
            recompute_provisional()
            steps = sweep()
            sent = deliver_pending(limit=1000)
        self.stdout.write(_("%(steps)s escalation steps, %(sent)s e-mails sent.") % {"steps": steps, "sent": sent})
