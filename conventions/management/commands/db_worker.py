"""`manage.py db_worker`: django-tasks-db's worker, with the PDF renderer set up before it takes
its first task, and its layout helpers started (settings.PDF_LAYOUT_HELPERS)."""

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from conventions.rendering.helpers import start_helpers, stop_helpers
from conventions.rendering.pdf import warm_up


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en arrière-plan (préparation des PDF) ; le moteur de rendu est prêt avant la "
        "première tâche."
    )

    def handle(self, *args, **options):
        warm_up()
        start_helpers(settings.PDF_LAYOUT_HELPERS)
        try:
            super().handle(*args, **options)
        finally:
            stop_helpers()
