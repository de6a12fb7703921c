from django.core.management.base import BaseCommand

from lantern.accounts import demo
from lantern.cases import demo as case_demo
from lantern.core.context import origin


class Command(BaseCommand):
    help = "Create the demo units, accounts and synthetic cases (idempotent: existing ones are kept)."

    def handle(self, *args: object, **options: object) -> None:
        with origin("cli"):
            created = demo.load()
            cases = case_demo.load()
        self.stdout.write(f"demo data ready ({len(created)} new accounts, {cases} new cases)")
