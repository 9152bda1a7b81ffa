"""A task worker: django-tasks-db's `db_worker`, with a heartbeat (see `portal.workers`)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from portal.workers import Heartbeat


class Command(BaseCommand):
    help = "Run a task worker (renders reports, refreshes peer tables) with a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default="", help="Unique in the pool (default: random)")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of an empty queue"
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then exit"
        )

    def handle(self, *, worker_id: str, interval: float, batch: bool, verbosity: int, **options):
        worker_id = worker_id or get_random_string(32)
        heartbeat = Heartbeat(worker_id)
        if not batch:
            heartbeat.start()
        try:
            call_command(
                "db_worker",
                worker_id=worker_id,
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=False,
                queue_name="default",
                verbosity=verbosity,
            )
        finally:
            heartbeat.stopped.set()
