from django.core.management.base import BaseCommand

from lantern.accounts import demo
from lantern.campaigns import demo as campaign_demo
from lantern.core.context import origin
from lantern.discipline import demo as discipline_demo
from lantern.institutions import demo as institution_demo
from lantern.intake import demo as case_demo
from lantern.portal import demo as family_demo


class Command(BaseCommand):
    help = "Create the demo units, accounts, synthetic cases and referrals (idempotent: existing ones are kept)."

    def handle(self, *args: object, **options: object) -> None:
        with origin("cli"):
            created = demo.load()
            cases = case_demo.load()
            family = family_demo.load()
            institution_demo.load()  # after the cases: the hotel's non-reporting is recorded on one
            discipline_demo.load()  # after the family's: its disclosure is news for them
            campaign_demo.load()  # after the cases: it computes their figures
        self.stdout.write(f"demo data ready ({len(created)} new accounts, {cases} new cases)")
        if family:
            self.stdout.write(f"family portal demo: /portal/ with tracking code {family_demo.DEMO_TRACKING_CODE} "
                              f"and secret {family_demo.DEMO_SECRET}")
