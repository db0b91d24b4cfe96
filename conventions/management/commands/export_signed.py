from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.exports import signed_conventions, zip_chunks
from conventions.models import Caf


class Command(BaseCommand):
    help = "Exporte en ZIP les conventions signées d'une Caf (PDF archivés et manifeste CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--caf", required=True, help="Code du département de la Caf, par exemple 59.")
        parser.add_argument("--year", type=int, help="Année de signature.")
        parser.add_argument("-o", "--output", required=True, help="Fichier .zip à écrire.")

    def handle(self, *args, caf, year, output, **options):
        caf_record = Caf.objects.filter(code=caf).first()
        if caf_record is None:
            raise CommandError(f"Aucune Caf de code « {caf} ».")
        conventions = list(signed_conventions(caf_record, year=year))
        path = Path(output)
        partial = path.with_suffix(path.suffix + ".part")
        with partial.open("wb") as file:
            for chunk in zip_chunks(conventions):
                file.write(chunk)
        partial.replace(path)  # never a half-written ZIP under the final name
        self.stdout.write(f"{len(conventions)} convention(s) signée(s) de la {caf_record} exportée(s) dans {path}.")
