from django.core.management.base import BaseCommand

from lantern.core.worker import serve


class Command(BaseCommand):
    help = ("Run the periodic jobs of every app on their schedules until stopped (the worker: one process "
            "beside the web server; two are harmless, each job still runs once per interval).")

    def handle(self, *args: object, **options: object) -> None:
        serve()
