from django.core.management.base import BaseCommand

from conventions.loading import load_all_cafs, load_all_templates


class Command(BaseCommand):
    help = "Charge (ou met à jour) les Caf et les modèles de convention décrits dans fixtures/."

    def handle(self, *args, **options):
        cafs = load_all_cafs()
        templates = load_all_templates()
        self.stdout.write(
            f"{len(cafs)} Caf et {len(templates)} modèles chargés : {', '.join(t.slug for t in templates)}."
        )
