from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantern.audit.signing import seal_and_sign


class Command(BaseCommand):
    help = ("Seal pending entries, extend the Merkle tree and sign a checkpoint and a tree head now "
            "(the audit.seal_and_sign job does so when the log grew).")

    def handle(self, *args: object, **options: object) -> None:
        _sealed, head = seal_and_sign(always=True)
        if head is None or head.tree_size == 0:
            self.stdout.write(_("The audit log is empty: nothing to sign."))
            return
        self.stdout.write(_("Signed checkpoint and tree head at entry #%(seq)s.") % {"seq": head.tree_size})
