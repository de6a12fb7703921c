from typing import Any

from lantern.core.management.commands.run_jobs import Command as RunJobs

SWEEP = ["deadlines.recompute_provisional", "deadlines.escalate", "notifications.deliver"]


class Command(RunJobs):
    help = "Mark and escalate overdue deadlines and send the e-mails and messages now (the clocks' part of run_jobs)."

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **{**options, "only": SWEEP, "all": True})
