"""The site's own rows: the task workers' heartbeats (see `portal.workers`)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life, written every few seconds by `manage.py run_worker`."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"
