from django.conf import settings
from django.core.management.base import BaseCommand

from conventions.models import Caf
from conventions.seal import certificate_path, create_development_certificate


class Command(BaseCommand):
    help = "Crée un certificat de sceau auto-signé par Caf, pour la démonstration (jamais en production)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Remplace les certificats existants.")

    def handle(self, *args, force, **options):
        for caf in Caf.objects.all():
            path = certificate_path(caf)
            if path.exists() and not force:
                self.stdout.write(f"{caf} : certificat déjà présent ({path}).")
                continue
            create_development_certificate(caf, path, settings.SEAL_PASSPHRASE)
            self.stdout.write(f"{caf} : certificat de démonstration créé ({path}).")
