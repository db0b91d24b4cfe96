"""`manage.py db_worker`: django-tasks-db's worker, with the PDF renderer set up before it takes
its first task."""

from django_tasks_db.management.commands import db_worker

from conventions.rendering.pdf import warm_up


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en arrière-plan (préparation des PDF) ; le moteur de rendu est prêt avant la "
        "première tâche."
    )

    def handle(self, *args, **options):
        warm_up()
        super().handle(*args, **options)
