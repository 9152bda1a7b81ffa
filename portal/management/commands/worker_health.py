"""Health check of the task workers, for a process supervisor or an orchestrator's probe."""

from django.core.management.base import BaseCommand, CommandError

from portal.workers import alive_workers


class Command(BaseCommand):
    help = "Exit 0 if a task worker (or the one named) has beaten recently, 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default="")

    def handle(self, *, worker_id: str, **options):
        workers = alive_workers()
        if worker_id:
            workers = workers.filter(worker_id=worker_id)
        count = workers.count()
        if not count:
            named = f" with id {worker_id}" if worker_id else ""
            raise CommandError(f"No task worker alive{named}")
        self.stdout.write(f"{count} task worker(s) alive")
