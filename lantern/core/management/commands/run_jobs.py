from django.core.management.base import BaseCommand, CommandParser

from lantern.core.context import origin
from lantern.core.scheduled import all_jobs, run_all


class Command(BaseCommand):
    help = ("Run one pass of the periodic jobs every app declares in its scheduled.py (without the worker, "
            "e.g. from cron every minute: each job runs only when its interval has passed).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", help="run only the job of this name (repeatable)")
        parser.add_argument("--all", action="store_true",
                            help="run the jobs even if they ran within their interval (without it, only those due)")
        parser.add_argument("--list", action="store_true", help="list the jobs and stop")

    def handle(self, *args: object, **options: object) -> None:
        if options["list"]:
            for j in all_jobs():
                self.stdout.write(f"{j.name}\tevery {j.every}")
            return
        only = set(options["only"]) if options["only"] else None
        with origin("cli"):
            for name, summary in run_all(only, due_only=not options["all"]):
                self.stdout.write(f"{name}: {summary}")
