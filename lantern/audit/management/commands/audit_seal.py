from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lantern.audit.services import seal_pending


class Command(BaseCommand):
    help = "Seal committed audit entries into the hash chain (a safety net; normally done on commit)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(_("Sealed %(n)s entries.") % {"n": seal_pending()})
