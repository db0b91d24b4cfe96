from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.lifecycle import find_signed
from conventions.wording import french_date


class Command(BaseCommand):
    help = "Dit si un PDF est la version signée archivée d'une convention (laquelle, signée quand, par qui)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        document = find_signed(path.read_bytes())
        if document is None:
            self.stdout.write(
                f"{path.name} n'est pas un document signé archivé : aucune convention n'a cette empreinte."
            )
            raise CommandError("Document inconnu.", returncode=1)
        convention = document.convention
        parties = ", ".join(
            f"{signatory} ({french_date(signatory.signed_on)})" for signatory in convention.signatories.all()
        )
        self.stdout.write(
            f"{path.name} est {document.description} de {convention.reference} "
            f"« {convention.title} », signée le {french_date(convention.signature_date)} par {parties}."
        )
