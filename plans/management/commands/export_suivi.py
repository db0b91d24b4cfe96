from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention
from plans.resources import EXPORT_FORMATS, export_follow_up_table


class Command(BaseCommand):
    help = "Exporte le tableau de suivi partagé d'une convention en XLSX ou CSV (selon l'extension du fichier)."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("-o", "--output", required=True, help="Fichier .xlsx ou .csv à écrire.")

    def handle(self, *args, reference, output, **options):
        try:
            convention = Convention.objects.get(reference=reference)
        except Convention.DoesNotExist:
            raise CommandError(f"Aucune convention de référence « {reference} ».") from None
        path = Path(output)
        extension = path.suffix.lstrip(".").lower()
        if extension not in EXPORT_FORMATS:
            raise CommandError("Le fichier doit finir par .xlsx ou .csv.")
        content = export_follow_up_table(convention, extension)
        path.write_bytes(content)
        self.stdout.write(f"Tableau de suivi de {reference} écrit dans {path}.")
