from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lantern.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, head and signed checkpoints."

    def handle(self, *args: object, **options: object) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                _("Audit log broken at entry %(ref)s: %(what)s (%(checked)s entries before it are intact).")
                % {"ref": report.problem.ref, "what": report.problem.what, "checked": report.checked}
            )
        self.stdout.write(_("Audit log intact: %(n)s entries checked.") % {"n": report.checked})
