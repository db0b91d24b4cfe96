"""Background work, run by `manage.py db_worker` (django-tasks, database backend)."""

import logging

from django.db import connection
from django_tasks import task

from conventions.models import Convention, PdfRendition
from conventions.rendering.output import render_current

logger = logging.getLogger(__name__)


@task()
def prerender_pdf(convention_id):
    """Render the convention's PDF as it is now, so that its next download is served from the
    cache. A failure is logged and recorded; the download then renders synchronously."""
    try:
        PdfRendition.objects.take_queued(convention_id)
        if not Convention.objects.filter(pk=convention_id).exists():
            return None
        return render_current(convention_id).key
    except Exception:
        logger.exception("Pre-rendering the PDF of convention %s failed", convention_id)
        drop_lost_connection()
        PdfRendition.objects.failed(convention_id)
        raise


def drop_lost_connection():
    """A connection lost during the task (PostgreSQL restarted) is closed, so that recording the
    failure, and the worker recording the task's, reconnect instead of failing in turn and stopping
    the worker. Inside a transaction (a task run by a test) nothing is closed."""
    if not connection.in_atomic_block and not connection.is_usable():
        connection.close()
