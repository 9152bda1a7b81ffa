"""Task workers' heartbeats, and the renders of workers that died.

django-tasks-db leaves the task of a killed worker "running" for ever. Each worker therefore
beats (a `WorkerHeartbeat` row every `WORKER_HEARTBEAT_SECONDS`), and on every beat looks for
reports being rendered by a worker not seen for `WORKER_DEAD_AFTER_SECONDS`: those are queued
again (the attempt counts), so the report appears once any worker is back. Each beat also
runs the reports' bounded, low-priority sweep (`assessment.report_store.sweep`).
"""

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from assessment import report_store
from assessment.models import ReportState
from portal.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
Status = ReportState.Status


def alive_since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)


def alive_workers():
    return WorkerHeartbeat.objects.filter(seen_at__gte=alive_since())


def beat(worker_id: str, *, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def recover_orphans() -> int:
    """Queue again the renders whose worker died; returns how many."""
    from assessment.report_store import enqueue_render

    alive = set(alive_workers().values_list("worker_id", flat=True))
    orphans = [
        s
        for s in ReportState.objects.filter(status=Status.RENDERING)
        if s.worker_id not in alive and s.updated_at < alive_since()
    ]
    for state in orphans:
        with transaction.atomic():
            moved = ReportState.objects.filter(
                pk=state.pk,
                fingerprint=state.fingerprint,
                status=Status.RENDERING,
                worker_id=state.worker_id,
            ).update(status=Status.QUEUED, worker_id="", updated_at=timezone.now())
            if moved:
                logger.warning(
                    "Worker %s died while rendering the report of assessment %s (%s): queued again",
                    state.worker_id,
                    state.assessment_id,
                    state.language,
                )
                enqueue_render(
                    state.assessment_id, language=state.language, fingerprint=state.fingerprint
                )
    return len(orphans)


class Heartbeat(threading.Thread):
    """Beats and recovers orphans in the background while the worker runs its tasks."""

    def __init__(self, worker_id: str):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker_id, started_at=self.started_at)
                recover_orphans()
                report_store.sweep()
            except DatabaseError as error:
                logger.warning("Worker heartbeat could not reach the database: %s", error)
                connection.close()
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        connection.close()
