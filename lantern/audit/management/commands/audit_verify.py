from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lantern.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log: its hash chain, head, signed checkpoints, Merkle tree and signed tree heads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=1,
                            help="processes reading ranges of the log in parallel (e.g. the number of cores)")

    def handle(self, *args: object, **options: object) -> None:
        report = verify_chain(workers=int(options["workers"]))
        if not report.ok:
            raise CommandError(
                _("Audit log broken at entry %(ref)s: %(what)s (%(checked)s entries before it are intact).")
                % {"ref": report.problem.ref, "what": report.problem.what, "checked": report.checked}
            )
        self.stdout.write(_("Audit log intact: %(n)s entries checked.") % {"n": report.checked})
