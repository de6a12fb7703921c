from lantern.core.management.commands.run_jobs import Command as RunJobs


class Command(RunJobs):
    help = "The older name of run_jobs: mark and escalate overdue deadlines, send e-mails and messages to families."
