from django.core.management.base import BaseCommand, CommandError

from conventions.completeness import completeness_report
from conventions.models import Convention


class Command(BaseCommand):
    help = "Affiche ce qui manque à une convention avant sa signature (code de sortie 1 s'il manque quelque chose)."

    def add_arguments(self, parser):
        parser.add_argument("reference")

    def handle(self, *args, reference, **options):
        try:
            convention = Convention.objects.get(reference=reference)
        except Convention.DoesNotExist:
            raise CommandError(f"Aucune convention de référence « {reference} ».") from None
        missing = completeness_report(convention)
        if not missing:
            self.stdout.write(f"{reference} : complète, rien ne manque avant la signature.")
            return
        self.stdout.write(f"{reference} : {len(missing)} point(s) à compléter avant la signature :")
        for item in missing:
            self.stdout.write(f"- {item.message}")
        raise CommandError("Convention incomplète.", returncode=1)
