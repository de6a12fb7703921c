from django.core.management.base import BaseCommand

from lantern.audit.actions import rotate_signing_key
from lantern.audit.signing import seal_and_sign
from lantern.core.context import origin


class Command(BaseCommand):
    help = ("Replace the audit signing key by a new one. The old public key stays in the public-key directory "
            "and at /api/v1/audit/keys, so what it signed still verifies; the old private key is destroyed.")

    def handle(self, *args: object, **options: object) -> None:
        with origin("cli"):
            old, new = rotate_signing_key(actor=None)
        _sealed, head = seal_and_sign(always=True)  # the new key's first tree head covers the rotation
        self.stdout.write(f"Rotated the audit signing key: {old} -> {new}.")
        self.stdout.write(f"Signed a tree head of {head.tree_size} entries with the new key.")
