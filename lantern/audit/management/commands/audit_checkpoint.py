from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantern.audit.signing import sign_head


class Command(BaseCommand):
    help = "Sign the newest audit entry (run periodically, e.g. hourly from cron)."

    def handle(self, *args: object, **options: object) -> None:
        cp = sign_head()
        if cp is None:
            self.stdout.write(_("The audit log is empty: nothing to sign."))
            return
        self.stdout.write(_("Signed checkpoint at entry #%(seq)s.") % {"seq": cp.seq})
