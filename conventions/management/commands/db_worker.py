"""`manage.py db_worker`: django-tasks-db's worker, with the PDF renderer set up before it takes
its first task, its layout helpers started (settings.PDF_LAYOUT_HELPERS), and a heartbeat that
keeps it counted as running while it waits for work."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands import db_worker

from conventions.models import WorkerHeartbeat
from conventions.models.rendition import WORKER_BEAT_EVERY
from conventions.rendering.helpers import start_helpers, stop_helpers
from conventions.rendering.pdf import warm_up

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en arrière-plan (préparation des PDF) ; le moteur de rendu est prêt avant la "
        "première tâche."
    )

    def handle(self, *args, **options):
        warm_up()
        start_helpers(settings.PDF_LAYOUT_HELPERS)
        heartbeat = Heartbeat(f"{socket.gethostname()}:{os.getpid()}")
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            stop_helpers()


class Heartbeat(threading.Thread):
    """Says every WORKER_BEAT_EVERY that this worker polls its queue; the first time before it
    polls. Without it, a worker idle for a minute would count as stopped, and downloads would render
    beside it the PDFs it is about to prepare. A database that does not answer costs a beat, not
    the worker."""

    def __init__(self, worker):
        super().__init__(name="heartbeat", daemon=True)
        self.worker, self.stopped = worker, threading.Event()

    def start(self):
        WorkerHeartbeat.objects.forget_stopped()
        WorkerHeartbeat.objects.beat(self.worker)
        super().start()

    def run(self):
        while not self.stopped.wait(WORKER_BEAT_EVERY.total_seconds()):
            try:
                WorkerHeartbeat.objects.beat(self.worker)
            except DatabaseError:
                logger.warning("Heartbeat of the PDF worker not recorded: the database did not answer.")
            finally:
                connection.close()  # this thread's own connection: a fresh one at the next beat

    def stop(self):
        self.stopped.set()
        self.join()
        try:
            WorkerHeartbeat.objects.filter(worker=self.worker).delete()
        except DatabaseError:
            logger.warning("The PDF worker stopped without erasing its heartbeat: it expires in a minute.")
