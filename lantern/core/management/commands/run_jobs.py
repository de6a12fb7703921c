from django.core.management.base import BaseCommand, CommandParser

from lantern.core.context import origin
from lantern.core.scheduled import all_jobs, run_all


class Command(BaseCommand):
    help = ("Run one pass of the periodic jobs every app declares in its scheduled.py (without the worker, "
            "e.g. from cron with --due every minute).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", help="run only the job of this name (repeatable)")
        parser.add_argument("--due", action="store_true", help="only the jobs whose interval has passed")
        parser.add_argument("--list", action="store_true", help="list the jobs and stop")

    def handle(self, *args: object, **options: object) -> None:
        if options["list"]:
            for j in all_jobs():
                self.stdout.write(f"{j.name}\tevery {j.every}")
            return
        only = set(options["only"]) if options["only"] else None
        with origin("cli"):
            for name, summary in run_all(only, due_only=bool(options["due"])):
                self.stdout.write(f"{name}: {summary}")
